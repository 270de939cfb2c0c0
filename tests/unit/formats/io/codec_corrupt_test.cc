// SPDX-License-Identifier: Apache-2.0
// Truncated, bit-flipped and foreign inputs are kCorrupt naming the stream and the codec, never
// a crash nor silently wrong data; errors of the underlying streams pass through as they are.
#include <gtest/gtest.h>

#include "cqlbulk/formats/io/compression.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;
using testing::Compress;
using testing::Decompress;

class CodecCorruptTest : public ::testing::TestWithParam<Compression> {
 protected:
  // Compressible and incompressible parts, so snappy has both kinds of chunk.
  static Bytes MixedData() {
    Bytes data = testing::RepetitiveBytes(150000);
    Bytes noise = testing::RandomBytes(70000);
    data.insert(data.end(), noise.begin(), noise.end());
    return data;
  }
  std::string Name() const { return "part-7.csv" + std::string(FileExtension(GetParam())); }
  std::string Prefix() const {
    return Name() + ": " + std::string(CompressionName(GetParam())) + ": ";
  }
};

TEST_P(CodecCorruptTest, TruncatedByOneByteSaysWhere) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, Compress(GetParam(), MixedData()));
  size_t cut = compressed.size() - 1;
  compressed.resize(cut);

  auto result = Decompress(GetParam(), compressed, {65536}, Name());

  EXPECT_THAT(result, IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(result, HasMessage(Prefix() + "unexpected end of file after " + std::to_string(cut) +
                                 " bytes"));
}

TEST_P(CodecCorruptTest, TruncatedAnywhereIsCorrupt) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, Compress(GetParam(), MixedData()));

  // Never at a snappy chunk boundary: the framing format has no end marker, so a stream cut
  // between chunks is a valid, shorter stream (the 10-byte identifier is one such boundary).
  for (size_t cut :
       {size_t{1}, size_t{5}, size_t{13}, compressed.size() / 2 + 1, compressed.size() - 3}) {
    Bytes truncated(compressed.begin(), compressed.begin() + static_cast<ptrdiff_t>(cut));

    auto result = Decompress(GetParam(), truncated, {65536}, Name());

    EXPECT_THAT(result, IsError(ErrorCode::kCorrupt)) << cut;
    EXPECT_THAT(result, HasMessage(Prefix())) << cut;
  }
}

TEST_P(CodecCorruptTest, EmptyInputIsTruncatedWhereTheToolSaysSo) {
  auto result = Decompress(GetParam(), {}, {65536}, Name());

  // The lz4 tool reads an empty file as empty; python-snappy writes one for no data.
  if (GetParam() == Compression::kLz4 || GetParam() == Compression::kSnappy) {
    EXPECT_THAT(result, cqlbulk::testing::HasValue(Bytes{}));
  } else {
    EXPECT_THAT(result, HasMessage(Prefix() + "unexpected end of file after 0 bytes"));
  }
}

TEST_P(CodecCorruptTest, BitFlipsAreCorruptOrHarmlessNeverWrong) {
  Bytes data = MixedData();
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, Compress(GetParam(), data));
  size_t step = std::max<size_t>(1, compressed.size() / 150);

  // Every byte of the first 32 (headers), then spread over the rest.
  for (size_t pos = 0; pos < compressed.size(); pos += (pos < 32 ? 1 : step)) {
    Bytes flipped = compressed;
    flipped[pos] ^= static_cast<uint8_t>(1u << (pos % 8));

    auto result = Decompress(GetParam(), flipped, {65536}, Name());

    // A flip in a field no check covers (gzip's MTIME, say) may decode to the same data.
    if (result.has_value()) {
      EXPECT_EQ(*result, data) << "flip at " << pos << " gave different data";
    } else {
      EXPECT_THAT(result, IsError(ErrorCode::kCorrupt)) << pos;
      EXPECT_THAT(result, HasMessage(Name())) << pos;
    }
  }
}

TEST_P(CodecCorruptTest, AFlipInTheMiddleIsCorrupt) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, Compress(GetParam(), MixedData()));
  compressed[compressed.size() / 2] ^= 0x10;

  EXPECT_THAT(Decompress(GetParam(), compressed, {65536}, Name()), HasMessage(Prefix()));
}

TEST_P(CodecCorruptTest, ForeignDataIsCorrupt) {
  for (Bytes input : {testing::RandomBytes(5000),
                      Bytes(AsBytes("id,name\n1,x\n").begin(), AsBytes("id,name\n1,x\n").end())}) {
    auto result = Decompress(GetParam(), input, {65536}, Name());

    EXPECT_THAT(result, IsError(ErrorCode::kCorrupt));
    EXPECT_THAT(result, HasMessage(Prefix()));
  }
}

TEST_P(CodecCorruptTest, TrailingGarbageIsCorrupt) {
  Bytes data = testing::RepetitiveBytes(10000);
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, Compress(GetParam(), data));
  for (char c : std::string_view("garbage after the end")) {
    compressed.push_back(static_cast<uint8_t>(c));
  }

  EXPECT_THAT(Decompress(GetParam(), compressed, {65536}, Name()), IsError(ErrorCode::kCorrupt));
}

// A source that yields some bytes and then fails as a file would.
class FailingInputStream final : public InputStream {
 public:
  explicit FailingInputStream(Bytes first) : first_(std::move(first)) {}

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out) override {
    if (first_.empty()) {
      return IoError("cannot read /data/x: Input/output error");
    }
    size_t n = std::min(out.size(), first_.size());
    std::copy_n(first_.begin(), n, out.begin());
    first_.erase(first_.begin(), first_.begin() + static_cast<ptrdiff_t>(n));
    return n;
  }

 private:
  Bytes first_;
};

TEST_P(CodecCorruptTest, SourceErrorsPassThrough) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, Compress(GetParam(), MixedData()));
  compressed.resize(compressed.size() / 2);
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto in,
      DecompressingStream(GetParam(), std::make_unique<FailingInputStream>(compressed), Name()));

  auto result = ReadAll(*in);

  EXPECT_THAT(result, IsError(ErrorCode::kIo));
  EXPECT_THAT(result, HasMessage("cannot read /data/x"));
  EXPECT_THAT(ReadAll(*in), IsError(ErrorCode::kIo));  // and again
}

TEST_P(CodecCorruptTest, SinkErrorsNameThePath) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto file, FileOutputStream::Open("/dev/full"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto out, CompressingStream(GetParam(), std::move(file)));
  Bytes data = testing::RandomBytes(300000);

  Status written = out->Write(data);
  Status status = written.has_value() ? out->Close() : written;

  EXPECT_THAT(status, IsError(ErrorCode::kIo));
  EXPECT_THAT(status, HasMessage("/dev/full: No space left on device"));
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecCorruptTest, ::testing::ValuesIn(testing::AllCodecs()),
                         [](const auto& info) { return testing::CodecParamName(info.param); });

}  // namespace
}  // namespace cqlbulk::formats
