// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/io/stream.h"

#include <gtest/gtest.h>

#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;
using testing::RandomBytes;
using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteFileBytes;

TEST(FileStreamTest, WritesSmallAndLargePiecesInOrder) {
  TempDir dir;
  std::string path = dir.Path("out.bin");
  Bytes data = RandomBytes(300000);
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto out, FileOutputStream::Open(path, 4096));

  // Pieces smaller than the buffer, one larger, and one that straddles it.
  BytesView rest(data);
  for (size_t n : {1u, 100u, 4095u, 10000u, 3000u}) {
    CQLBULK_ASSERT_OK(out->Write(rest.first(n)));
    rest = rest.subspan(n);
  }
  CQLBULK_ASSERT_OK(out->Write(rest));
  CQLBULK_ASSERT_OK(out->Close());

  EXPECT_EQ(ReadFileBytes(path), data);
  EXPECT_EQ(out->bytes_written(), data.size());
}

TEST(FileStreamTest, ReadsBackWithSmallAndLargeReads) {
  TempDir dir;
  std::string path = dir.Path("in.bin");
  Bytes data = RandomBytes(200000);
  WriteFileBytes(path, data);
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto in, FileInputStream::Open(path, 4096));

  Bytes got;
  Bytes buffer(10000);
  for (size_t i = 0;; ++i) {
    size_t want = (i % 2 == 0) ? 7 : buffer.size();
    CQLBULK_ASSERT_OK_AND_ASSIGN(size_t n, in->Read(std::span(buffer).first(want)));
    if (n == 0) {
      break;
    }
    got.insert(got.end(), buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(n));
  }

  EXPECT_EQ(got, data);
  EXPECT_EQ(in->bytes_read(), data.size());
}

TEST(FileStreamTest, OpeningAMissingFileNamesThePathAndReason) {
  auto in = FileInputStream::Open("/nonexistent/dir/file.csv");

  EXPECT_THAT(in, IsError(ErrorCode::kIo));
  EXPECT_THAT(in, HasMessage("/nonexistent/dir/file.csv: No such file or directory"));
}

TEST(FileStreamTest, CreatingInAMissingDirectoryNamesThePath) {
  auto out = FileOutputStream::Open("/nonexistent/dir/out.csv");

  EXPECT_THAT(out, IsError(ErrorCode::kIo));
  EXPECT_THAT(out, HasMessage("cannot create /nonexistent/dir/out.csv"));
}

TEST(FileStreamTest, WriteErrorNamesThePathAndIsRepeated) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto out, FileOutputStream::Open("/dev/full", 16));
  Bytes data(100, 'x');

  Status written = out->Write(data);

  EXPECT_THAT(written, IsError(ErrorCode::kIo));
  EXPECT_THAT(written, HasMessage("cannot write /dev/full: No space left on device"));
  EXPECT_THAT(out->Close(), HasMessage("/dev/full"));
}

TEST(FileStreamTest, DashIsStandardOutputAndInput) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto out, FileOutputStream::Open("-"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto in, FileInputStream::Open("-"));

  EXPECT_EQ(out->path(), "-");
  EXPECT_EQ(in->path(), "-");
  CQLBULK_ASSERT_OK(out->Close());  // flushes, and leaves fd 1 open for gtest
}

TEST(OutputStreamTest, CloseTwiceIsFineAndWriteAfterCloseFails) {
  Bytes target;
  MemoryOutputStream out(&target);
  CQLBULK_ASSERT_OK(out.Write(AsBytes("abc")));

  CQLBULK_ASSERT_OK(out.Close());
  CQLBULK_ASSERT_OK(out.Close());

  EXPECT_THAT(out.Write(AsBytes("d")), IsError(ErrorCode::kInternal));
  EXPECT_EQ(AsChars(target), "abc");
  EXPECT_EQ(out.bytes_written(), 3u);
  EXPECT_TRUE(out.is_closed());
}

TEST(MemoryStreamTest, ReadAllAndCopyStream) {
  Bytes data = RandomBytes(200001);
  MemoryInputStream in(data);
  Bytes copy;
  MemoryOutputStream out(&copy);

  CQLBULK_ASSERT_OK_AND_ASSIGN(uint64_t n, CopyStream(in, out, 999));

  EXPECT_EQ(n, data.size());
  EXPECT_EQ(copy, data);
  MemoryInputStream again(data);
  EXPECT_THAT(ReadAll(again), cqlbulk::testing::HasValue(data));
  EXPECT_EQ(again.remaining(), 0u);
}

}  // namespace
}  // namespace cqlbulk::formats
