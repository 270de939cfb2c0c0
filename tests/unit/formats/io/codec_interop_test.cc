// SPDX-License-Identifier: Apache-2.0
// The codecs' own tools are the referees: they decode exactly what we write, and we decode
// exactly what they write, including concatenated members, frames and streams.
#include <gtest/gtest.h>

#include "test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using cqlbulk::testing::HasValue;
using testing::Shell;

class CodecInteropTest : public ::testing::TestWithParam<Compression> {
 protected:
  // Runs the tool as a filter from `in` to `out`; fails the test if it fails.
  void Run(const std::string& tool, const std::string& in, const std::string& out,
           bool append = false) {
    std::string command = tool + " < " + in + (append ? " >> " : " > ") + out;
    ASSERT_EQ(Shell(command), 0) << command << " (scripts/install-deps.sh installs the tools)";
  }

  testing::TempDir dir_;
};

TEST_P(CodecInteropTest, ToolDecodesWhatWeWrite) {
  for (Bytes data :
       {Bytes{}, Bytes{'x'}, testing::RepetitiveBytes(700001), testing::RandomBytes(300001)}) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, testing::Compress(GetParam(), data, {4093}));
    testing::WriteFileBytes(dir_.Path("ours"), compressed);

    Run(testing::ToolDecompressCommand(GetParam()), dir_.Path("ours"), dir_.Path("plain"));

    EXPECT_EQ(testing::ReadFileBytes(dir_.Path("plain")), data) << data.size();
  }
}

TEST_P(CodecInteropTest, WeDecodeWhatTheToolWrites) {
  for (Bytes data :
       {Bytes{}, Bytes{'x'}, testing::RepetitiveBytes(700001), testing::RandomBytes(300001)}) {
    testing::WriteFileBytes(dir_.Path("plain"), data);

    Run(testing::ToolCompressCommand(GetParam()), dir_.Path("plain"), dir_.Path("theirs"));

    EXPECT_THAT(
        testing::Decompress(GetParam(), testing::ReadFileBytes(dir_.Path("theirs")), {4093, 65536}),
        HasValue(data))
        << data.size();
  }
}

// gzip members, zstd/lz4 frames, bzip2/xz streams and snappy streams one after another
// decode as the concatenation of their contents.
TEST_P(CodecInteropTest, WeDecodeConcatenatedToolOutput) {
  Bytes first = testing::RepetitiveBytes(100000);
  Bytes second = testing::RandomBytes(70000);
  testing::WriteFileBytes(dir_.Path("first"), first);
  testing::WriteFileBytes(dir_.Path("second"), second);

  Run(testing::ToolCompressCommand(GetParam()), dir_.Path("first"), dir_.Path("both"));
  Run(testing::ToolCompressCommand(GetParam()), dir_.Path("second"), dir_.Path("both"), true);

  Bytes both = first;
  both.insert(both.end(), second.begin(), second.end());
  EXPECT_THAT(testing::Decompress(GetParam(), testing::ReadFileBytes(dir_.Path("both"))),
              HasValue(both));
}

TEST(CodecInteropLevelTest, ToolDecodesEveryLevel) {
  testing::TempDir dir;
  Bytes data = testing::RepetitiveBytes(200000);
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kLz4,
                        Compression::kBzip2, Compression::kXz}) {
    for (int level : {1, 9}) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes compressed, testing::Compress(c, data, {65536}, level));
      testing::WriteFileBytes(dir.Path("ours"), compressed);
      std::string command =
          testing::ToolDecompressCommand(c) + " < " + dir.Path("ours") + " > " + dir.Path("plain");
      ASSERT_EQ(Shell(command), 0) << command;
      EXPECT_EQ(testing::ReadFileBytes(dir.Path("plain")), data) << CompressionName(c) << level;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecInteropTest, ::testing::ValuesIn(testing::AllCodecs()),
                         [](const auto& info) { return testing::CodecParamName(info.param); });

}  // namespace
}  // namespace cqlbulk::formats
