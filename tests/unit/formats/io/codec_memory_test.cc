// SPDX-License-Identifier: Apache-2.0
// Streams use bounded memory: 100 MB of zeros go through each codec, both ways, while the
// process' peak resident set (VmHWM, reset through /proc/self/clear_refs) grows by little.
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "cqlbulk/formats/io/compression.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

constexpr uint64_t kTotalBytes = 100 << 20;
// The kernel's counters lag by a few pages, so growth may even read slightly negative.
constexpr int64_t kAllowedGrowthBytes = 24 << 20;

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"); 0 if absent.
int64_t StatusBytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::stoll(line.substr(field.size() + 1)) * 1024;
    }
  }
  return 0;
}

// Resets the peak to the current resident set; false where the kernel does not allow it.
bool ResetPeak() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return clear.good() && StatusBytes("VmHWM") > 0;
}

// Discards what is written (counting it), so only the stream's own memory is measured.
class NullOutputStream final : public OutputStream {
 protected:
  Status DoWrite(BytesView) override { return OkStatus(); }
  Status DoFlush() override { return OkStatus(); }
  Status DoClose() override { return OkStatus(); }
};

class CodecMemoryTest : public ::testing::TestWithParam<Compression> {
 protected:
  // xz -6 keeps a 94 MiB encoder (as the xz tool does); level 1 shows the stream's own bound.
  std::optional<int> WriterLevel() const {
    return GetParam() == Compression::kXz ? std::optional<int>(1) : std::nullopt;
  }
};

TEST_P(CodecMemoryTest, CompressingOneHundredMegabytesKeepsMemoryFlat) {
  Bytes zeros(1 << 20);
  if (!ResetPeak()) {
    GTEST_SKIP() << "no /proc/self/clear_refs";
  }
  int64_t before = StatusBytes("VmRSS");

  {
    CQLBULK_ASSERT_OK_AND_ASSIGN(
        auto out,
        CompressingStream(GetParam(), std::make_unique<NullOutputStream>(), WriterLevel()));
    for (uint64_t written = 0; written < kTotalBytes; written += zeros.size()) {
      CQLBULK_ASSERT_OK(out->Write(zeros));
    }
    CQLBULK_ASSERT_OK(out->Close());
  }

  int64_t growth = StatusBytes("VmHWM") - before;
  EXPECT_LT(growth, kAllowedGrowthBytes) << growth;
}

TEST_P(CodecMemoryTest, DecompressingOneHundredMegabytesKeepsMemoryFlat) {
  Bytes compressed;
  {
    Bytes zeros(1 << 20);
    CQLBULK_ASSERT_OK_AND_ASSIGN(
        auto out, CompressingStream(GetParam(), std::make_unique<MemoryOutputStream>(&compressed)));
    for (uint64_t written = 0; written < kTotalBytes; written += zeros.size()) {
      CQLBULK_ASSERT_OK(out->Write(zeros));
    }
    CQLBULK_ASSERT_OK(out->Close());
  }
  Bytes buffer(64 * 1024);
  if (!ResetPeak()) {
    GTEST_SKIP() << "no /proc/self/clear_refs";
  }
  int64_t before = StatusBytes("VmRSS");

  uint64_t total = 0;
  bool all_zero = true;
  {
    CQLBULK_ASSERT_OK_AND_ASSIGN(
        auto in,
        DecompressingStream(GetParam(), std::make_unique<MemoryInputStream>(std::move(compressed)),
                            "zeros"));
    while (true) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(size_t n, in->Read(buffer));
      if (n == 0) {
        break;
      }
      total += n;
      all_zero = all_zero && std::all_of(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(n),
                                         [](uint8_t b) { return b == 0; });
    }
  }

  int64_t growth = StatusBytes("VmHWM") - before;
  EXPECT_EQ(total, kTotalBytes);
  EXPECT_TRUE(all_zero);
  EXPECT_LT(growth, kAllowedGrowthBytes) << growth;
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecMemoryTest, ::testing::ValuesIn(testing::AllCodecs()),
                         [](const auto& info) { return testing::CodecParamName(info.param); });

}  // namespace
}  // namespace cqlbulk::formats
