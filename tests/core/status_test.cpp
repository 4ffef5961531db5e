#include "greentwin/core/status.hpp"

#include <gtest/gtest.h>

namespace gt {
namespace {

Result<int> parsePositive(int v) {
  if (v <= 0) return Status(ErrorCode::OutOfRange, "value must be positive, got " + std::to_string(v));
  return v;
}

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.isOk());
  EXPECT_EQ(s.toString(), "Ok");
}

TEST(Status, ErrorCarriesCodeAndMessage) {
  Status s(ErrorCode::NotFound, "bookmark 'x' not found");
  EXPECT_FALSE(s);
  EXPECT_EQ(s.code(), ErrorCode::NotFound);
  EXPECT_EQ(s.toString(), "NotFound: bookmark 'x' not found");
}

TEST(Result, HoldsValueOrError) {
  auto good = parsePositive(3);
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 3);
  EXPECT_TRUE(good.status().isOk());
  auto bad = parsePositive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().code(), ErrorCode::OutOfRange);
  EXPECT_NE(bad.status().message().find("-1"), std::string::npos);
}

}  // namespace
}  // namespace gt
