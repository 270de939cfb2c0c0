// SPDX-License-Identifier: Apache-2.0
// formats: Parquet's page codecs (io/block_codec.h) on 1 MiB of realistic page data: PLAIN
// int64 ids counting up, and PLAIN BYTE_ARRAY short strings, as one 1 MiB page or as 128 pages
// of 8 KiB (where the per-page setup shows). Compress and decompress speed (bytes per second
// of uncompressed data, CPU time) and the ratio, at Arrow's default levels, plus GZIP 6 and
// ZSTD 3 for comparison. Asserts nothing about timing; fails only when a page does not read
// back.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "cqlbulk/formats/io/block_codec.h"

namespace cqlbulk::formats {
namespace {

constexpr size_t kPageBytes = 1 << 20;

// 131,072 little-endian int64 ids from 10^12 up, as PLAIN writes them.
Bytes Int64Page() {
  Bytes page(kPageBytes);
  for (size_t i = 0; i < kPageBytes / 8; ++i) {
    int64_t id = 1'000'000'000'000 + static_cast<int64_t>(i);
    std::memcpy(page.data() + 8 * i, &id, 8);
  }
  return page;
}

// PLAIN BYTE_ARRAY: a 4-byte little-endian length, then the bytes; strings of 8 to 22 bytes
// from a few prefixes and a scrambled number (names, cities, codes).
Bytes StringPage() {
  static const char* const kPrefixes[] = {"customer-", "London/", "order_", "x", "Zürich ",
                                          "user.name+"};
  Bytes page;
  page.reserve(kPageBytes + 64);
  for (uint64_t i = 0; page.size() < kPageBytes; ++i) {
    std::string s = std::string(kPrefixes[i % 6]) + std::to_string((i * 2654435761u) % 1000003);
    auto n = static_cast<uint32_t>(s.size());
    page.insert(page.end(), reinterpret_cast<const uint8_t*>(&n),
                reinterpret_cast<const uint8_t*>(&n) + 4);
    page.insert(page.end(), s.begin(), s.end());
  }
  page.resize(kPageBytes);
  return page;
}

struct Setting {
  BlockCodec codec;
  std::optional<int> level;
};

constexpr Setting kSettings[] = {
    {BlockCodec::kSnappy, std::nullopt}, {BlockCodec::kGzip, std::nullopt},
    {BlockCodec::kGzip, 6},              {BlockCodec::kZstd, std::nullopt},
    {BlockCodec::kZstd, 3},              {BlockCodec::kLz4Raw, std::nullopt},
    {BlockCodec::kLz4Hadoop, std::nullopt}, {BlockCodec::kBrotli, std::nullopt},
};

const Bytes& Page(int64_t kind) {
  static const Bytes int64_page = Int64Page();
  static const Bytes string_page = StringPage();
  return kind == 0 ? int64_page : string_page;
}

// The 1 MiB of data cut into pages of state.range(2) KiB.
std::vector<BytesView> Pages(benchmark::State& state) {
  BytesView data = Page(state.range(1));
  auto page_bytes = static_cast<size_t>(state.range(2)) << 10;
  std::vector<BytesView> pages;
  for (size_t at = 0; at < data.size(); at += page_bytes) {
    pages.push_back(data.subspan(at, std::min(page_bytes, data.size() - at)));
  }
  return pages;
}

void Label(benchmark::State& state, const Setting& setting, size_t compressed_bytes) {
  std::string label = std::string(BlockCodecName(setting.codec)) + " " +
                      (setting.level ? std::to_string(*setting.level) : std::string("default")) +
                      (state.range(1) == 0 ? " int64" : " strings") + " " +
                      std::to_string(state.range(2)) + "KiB";
  state.SetLabel(label);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kPageBytes));
  state.counters["ratio"] =
      static_cast<double>(kPageBytes) / static_cast<double>(compressed_bytes);
}

void BM_Compress(benchmark::State& state) {
  const Setting& setting = kSettings[state.range(0)];
  std::vector<BytesView> pages = Pages(state);
  auto compressor = std::move(BlockCompressor::Make(setting.codec, setting.level)).value();
  data::Buffer out;
  for (auto _ : state) {
    out.Clear();
    for (BytesView page : pages) {
      if (!compressor->Compress(page, out).has_value()) {
        state.SkipWithError("compress failed");
        return;
      }
    }
    benchmark::DoNotOptimize(out.data());
  }
  Label(state, setting, out.size());
}

void BM_Decompress(benchmark::State& state) {
  const Setting& setting = kSettings[state.range(0)];
  std::vector<BytesView> pages = Pages(state);
  auto compressor = std::move(BlockCompressor::Make(setting.codec, setting.level)).value();
  auto decompressor = std::move(BlockDecompressor::Make(setting.codec)).value();
  std::vector<data::Buffer> compressed(pages.size());
  size_t compressed_bytes = 0;
  for (size_t i = 0; i < pages.size(); ++i) {
    (void)compressor->Compress(pages[i], compressed[i]);
    compressed_bytes += compressed[i].size();
  }
  Bytes back(kPageBytes);
  for (auto _ : state) {
    size_t at = 0;
    for (size_t i = 0; i < pages.size(); ++i) {
      std::span<uint8_t> output(back.data() + at, pages[i].size());
      if (!decompressor->Decompress(compressed[i].view(), output).has_value()) {
        state.SkipWithError("decompress failed");
        return;
      }
      at += pages[i].size();
    }
    benchmark::DoNotOptimize(back.data());
  }
  if (back != Page(state.range(1))) {
    state.SkipWithError("decompressed to other bytes");
  }
  Label(state, setting, compressed_bytes);
}

void AllSettings(benchmark::internal::Benchmark* b) {
  b->ArgNames({"setting", "strings", "page_kib"});
  for (int64_t page_kib : {1024, 8}) {
    for (int64_t kind : {0, 1}) {
      for (int64_t i = 0; i < static_cast<int64_t>(std::size(kSettings)); ++i) {
        b->Args({i, kind, page_kib});
      }
    }
  }
  b->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_Compress)->Apply(AllSettings);
BENCHMARK(BM_Decompress)->Apply(AllSettings);

}  // namespace
}  // namespace cqlbulk::formats

BENCHMARK_MAIN();
