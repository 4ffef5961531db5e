// Reading capped text files and writing them atomically (core/text_file.hpp).
#include "greentwin/core/text_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../support/test_folder.hpp"

namespace gt {
namespace {

TEST(TextFile, WrittenTextReadsBackAndReplacesTheOldFile) {
  testing::TestFolder folder("gt_text_file");
  const std::string path = folder.file("a.txt");
  ASSERT_TRUE(writeTextFileAtomically(path, "first", "test file").isOk());
  ASSERT_TRUE(writeTextFileAtomically(path, std::string("sec\0ond", 7), "test file").isOk());
  auto read = readTextFile(path, "test file", 100);
  ASSERT_TRUE(read.isOk()) << read.status().message();
  EXPECT_EQ(*read, std::string("sec\0ond", 7));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(TextFile, AFileOverTheCapIsRefusedNamingIt) {
  testing::TestFolder folder("gt_text_file");
  const std::string path = folder.file("big.txt");
  ASSERT_TRUE(writeTextFileAtomically(path, std::string(101, 'x'), "test file").isOk());
  auto read = readTextFile(path, "test file", 100);
  ASSERT_FALSE(read.isOk());
  EXPECT_EQ(read.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(read.status().message().find("test file '" + path + "' is 101 bytes"), std::string::npos)
      << read.status().message();
  EXPECT_TRUE(readTextFile(path, "test file", 101).isOk());
}

TEST(TextFile, AFolderOrAMissingFileIsNotFound) {
  testing::TestFolder folder("gt_text_file");
  EXPECT_EQ(readTextFile(folder.dir().string(), "test file", 100).status().code(), ErrorCode::NotFound);
  EXPECT_EQ(readTextFile(folder.file("none"), "test file", 100).status().code(), ErrorCode::NotFound);
}

TEST(TextFile, AFolderThatCannotBeWrittenIsAnIoErrorAndTheOldFileStays) {
  testing::TestFolder folder("gt_text_file");
  const std::string path = folder.file("missing-folder/a.txt");
  const Status s = writeTextFileAtomically(path, "x", "test file");
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), ErrorCode::IoError);
  EXPECT_NE(s.message().find("test file"), std::string::npos);
  // The target is a folder: the rename fails, the folder is untouched.
  std::filesystem::create_directories(folder.file("target"));
  EXPECT_FALSE(writeTextFileAtomically(folder.file("target"), "x", "test file").isOk());
  EXPECT_TRUE(std::filesystem::is_directory(folder.file("target")));
}

}  // namespace
}  // namespace gt
