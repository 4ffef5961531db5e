// EntityDirectory's unknown-name reports (issue 15): a report carries the number of updates it stands for, so an
// ingest reports each unknown name once per message; names too long to be worth keeping are counted, not kept.

#include "greentwin/core/entity_directory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace gt {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(EntityDirectory, AReportCountsItsUpdatesAndIsOneLookUp) {
  EntityDirectory directory;
  directory.reportUnknownEntity("ghost/1", 5);
  directory.reportUnknownEntity("ghost/1", 2);
  directory.reportUnknownEntity("ghost/2");
  directory.reportUnknownAttribute("humidity", 7);
  const EntityDirectoryStats s = directory.stats();
  EXPECT_EQ(s.unknownEntityUpdates, 8u);
  EXPECT_EQ(s.unknownEntityReports, 3u);
  EXPECT_EQ(s.unknownAttributeUpdates, 7u);
  EXPECT_EQ(s.unknownAttributeReports, 1u);
  EXPECT_THAT(directory.unknownEntities(), ElementsAre("ghost/1", "ghost/2"));
  EXPECT_THAT(directory.unknownAttributes(), ElementsAre("humidity"));
}

TEST(EntityDirectory, NamesOverTheKeptLengthAreCountedButNotKept) {
  EntityDirectory directory;
  const std::string longest(EntityDirectory::kMaxKeptNameBytes, 'a');
  const std::string tooLong(EntityDirectory::kMaxKeptNameBytes + 1, 'b');
  directory.reportUnknownAttribute(tooLong, 3);
  directory.reportUnknownAttribute(longest);
  directory.reportUnknownEntity(std::string(1 << 20, 'c'), 10);
  const EntityDirectoryStats s = directory.stats();
  EXPECT_EQ(s.unknownAttributeUpdates, 4u);
  EXPECT_EQ(s.unknownEntityUpdates, 10u);
  EXPECT_EQ(s.unknownNameTooLong, 2u);
  EXPECT_THAT(directory.unknownAttributes(), ElementsAre(longest));
  EXPECT_THAT(directory.unknownEntities(), IsEmpty());
}

}  // namespace
}  // namespace gt
