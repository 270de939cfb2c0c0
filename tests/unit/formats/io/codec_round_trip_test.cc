// SPDX-License-Identifier: Apache-2.0
// Every codec: what our writer writes, our reader reads back exactly, whatever the sizes of the
// writes and reads.
#include <gtest/gtest.h>

#include "cqlbulk/formats/io/compression.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using cqlbulk::testing::HasValue;
using testing::Compress;
using testing::Decompress;

class CodecRoundTripTest : public ::testing::TestWithParam<Compression> {};

// Odd piece sizes so writes and reads straddle every internal 64 KiB boundary.
const std::vector<size_t> kOddPieces = {1, 7, 4093, 65537, 3, 65535, 100003};

TEST_P(CodecRoundTripTest, SizesAroundBufferBoundaries) {
  for (size_t size : {0u, 1u, 2u, 65535u, 65536u, 65537u, 131071u, 131072u, 131073u, 1000003u}) {
    Bytes data = testing::RandomBytes(size, static_cast<uint32_t>(size));

    CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, Compress(GetParam(), data, kOddPieces));

    EXPECT_THAT(Decompress(GetParam(), compressed, kOddPieces), HasValue(data)) << size;
  }
}

TEST_P(CodecRoundTripTest, TenMegabytesOfRandomData) {
  Bytes data = testing::RandomBytes(10 << 20);

  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, Compress(GetParam(), data, kOddPieces));

  EXPECT_THAT(Decompress(GetParam(), compressed, {65536, 1, 1000}), HasValue(data));
}

TEST_P(CodecRoundTripTest, TenMegabytesOfRepetitiveDataCompressWell) {
  Bytes data = testing::RepetitiveBytes(10 << 20);

  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, Compress(GetParam(), data, kOddPieces));

  EXPECT_LT(compressed.size(), data.size() / 3);
  EXPECT_THAT(Decompress(GetParam(), compressed, {65536, 17}), HasValue(data));
}

TEST_P(CodecRoundTripTest, FlushInTheMiddleKeepsOneStream) {
  Bytes data = testing::RepetitiveBytes(300000);
  Bytes out;
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto stream, CompressingStream(GetParam(), std::make_unique<MemoryOutputStream>(&out)));

  CQLBULK_ASSERT_OK(stream->Write(BytesView(data).first(1000)));
  CQLBULK_ASSERT_OK(stream->Flush());
  size_t flushed_size = out.size();
  CQLBULK_ASSERT_OK(stream->Flush());
  CQLBULK_ASSERT_OK(stream->Write(BytesView(data).subspan(1000)));
  CQLBULK_ASSERT_OK(stream->Close());

  EXPECT_GT(flushed_size, 0u);
  EXPECT_EQ(stream->bytes_written(), data.size());
  EXPECT_THAT(Decompress(GetParam(), out), HasValue(data));
}

TEST_P(CodecRoundTripTest, ThroughFiles) {
  testing::TempDir dir;
  std::string path = dir.Path("data.csv" + std::string(FileExtension(GetParam())));
  Bytes data = testing::RepetitiveBytes(500000);
  {
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto file, FileOutputStream::Open(path));
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto out, CompressingStream(GetParam(), std::move(file)));
    CQLBULK_ASSERT_OK(out->Write(data));
    CQLBULK_ASSERT_OK(out->Close());
  }

  CQLBULK_ASSERT_OK_AND_ASSIGN(auto file, FileInputStream::Open(path));
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto in, DecompressingStream(CompressionFromPath(path), std::move(file), path));

  EXPECT_THAT(ReadAll(*in), HasValue(data));
  EXPECT_EQ(in->bytes_read(), data.size());
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecRoundTripTest, ::testing::ValuesIn(testing::AllCodecs()),
                         [](const auto& info) { return testing::CodecParamName(info.param); });

}  // namespace
}  // namespace cqlbulk::formats
