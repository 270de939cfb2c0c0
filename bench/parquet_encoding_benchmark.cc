// SPDX-License-Identifier: Apache-2.0
// formats/parquet/encoding: encode and decode speed of each encoding over 1M values of
// realistic columns: int64 ids, millisecond timestamps, low-cardinality strings, 20-byte
// strings, doubles, definition levels with 10% nulls. Encoders take batches of 4096 values
// and flush a page every 128Ki values; decoders read those pages back 4096 values at a time.
// Reports values/s (items_per_second) and the PLAIN size of the values per second
// (bytes_per_second); asserts nothing about timing, only that values round trip.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "cqlbulk/formats/parquet/encoding/byte_stream_split.h"
#include "cqlbulk/formats/parquet/encoding/delta.h"
#include "cqlbulk/formats/parquet/encoding/dictionary.h"
#include "cqlbulk/formats/parquet/encoding/plain.h"
#include "cqlbulk/formats/parquet/encoding/rle.h"

namespace cqlbulk::formats::parquet {
namespace {

constexpr size_t kValues = 1 << 20;
constexpr size_t kBatch = 4096;
constexpr size_t kPageValues = 128 * 1024;

// ---------------------------------------------------------------------------------------
// Data

const std::vector<int64_t>& Ids() {
  static const std::vector<int64_t> values = [] {
    std::vector<int64_t> v(kValues);
    for (size_t i = 0; i < kValues; ++i) v[i] = 1'000'000'000 + static_cast<int64_t>(i);
    return v;
  }();
  return values;
}

const std::vector<int64_t>& Timestamps() {
  static const std::vector<int64_t> values = [] {
    std::mt19937_64 rng(1);
    std::vector<int64_t> v(kValues);
    int64_t t = 1'700'000'000'000;
    for (size_t i = 0; i < kValues; ++i) v[i] = t += static_cast<int64_t>(rng() % 2000);
    return v;
  }();
  return values;
}

const std::vector<double>& Doubles() {
  static const std::vector<double> values = [] {
    std::mt19937_64 rng(2);
    std::uniform_real_distribution<double> dist(-1000.0, 1000.0);
    std::vector<double> v(kValues);
    for (double& d : v) d = dist(rng);
    return v;
  }();
  return values;
}

ByteArrays MakeStrings(bool low_cardinality) {
  std::mt19937_64 rng(3);
  static const char* kWords[] = {"pending", "shipped", "delivered", "cancelled", "returned",
                                 "on-hold", "processing", "refunded"};
  ByteArrays out;
  std::string s(20, 'a');
  for (size_t i = 0; i < kValues; ++i) {
    if (low_cardinality) {
      // 8 words x 6 regions: 48 distinct values.
      char v[32];
      int n = std::snprintf(v, sizeof(v), "%s/eu-%d", kWords[rng() % 8],
                            static_cast<int>(rng() % 6));
      out.Append(BytesView(reinterpret_cast<const uint8_t*>(v), static_cast<size_t>(n)));
    } else {
      for (char& c : s) c = static_cast<char>('a' + rng() % 26);
      out.Append(AsBytes(s));
    }
  }
  return out;
}

const ByteArrays& LowCardStrings() {
  static const ByteArrays values = MakeStrings(true);
  return values;
}
const ByteArrays& Strings20() {
  static const ByteArrays values = MakeStrings(false);
  return values;
}

const std::vector<int16_t>& Levels() {
  static const std::vector<int16_t> values = [] {
    std::mt19937_64 rng(4);
    std::vector<int16_t> v(kValues);
    for (int16_t& l : v) l = rng() % 10 == 0 ? 0 : 1;
    return v;
  }();
  return values;
}

ByteArraysView Slice(const ByteArrays& values, size_t begin, size_t n) {
  ByteArraysView view = values.view();
  view.offsets += begin;
  view.size = n;
  return view;
}

void Counters(benchmark::State& state, size_t plain_bytes) {
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kValues));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(plain_bytes));
}

// Encodes all values with `put(begin, n)` in batches and flushes a page every kPageValues
// into `pages`, reusing their buffers (a benchmark that allocated fresh pages would time
// the kernel's page faults).
template <typename Encoder, typename Put>
void EncodePages(Encoder& encoder, Put put, std::vector<data::Buffer>& pages) {
  size_t p = 0;
  for (size_t begin = 0; begin < kValues; begin += kBatch) {
    put(begin, std::min(kBatch, kValues - begin));
    if ((begin + kBatch) % kPageValues == 0 || begin + kBatch >= kValues) {
      if (p == pages.size()) pages.emplace_back();
      pages[p].Clear();
      encoder.FlushTo(pages[p++]);
    }
  }
}

template <typename Encoder, typename Put>
std::vector<data::Buffer> EncodePages(Encoder& encoder, Put put) {
  std::vector<data::Buffer> pages;
  EncodePages(encoder, put, pages);
  return pages;
}

size_t TotalBytes(const std::vector<data::Buffer>& pages) {
  size_t n = 0;
  for (const data::Buffer& p : pages) n += p.size();
  return n;
}

void Fail(benchmark::State& state, const char* what) { state.SkipWithError(what); }

// ---------------------------------------------------------------------------------------
// Fixed-width encoders and decoders

template <typename T, typename Encoder, typename Decoder>
void FixedBench(benchmark::State& state, const std::vector<T>& values, bool encode,
                Encoder make_encoder, Decoder make_decoder) {
  auto encoder = make_encoder();
  auto put = [&](size_t begin, size_t n) { encoder.Put(values.data() + begin, n); };
  std::vector<data::Buffer> pages = EncodePages(encoder, put);
  if (encode) {
    for (auto _ : state) {
      EncodePages(encoder, put, pages);
      benchmark::DoNotOptimize(pages.data());
    }
  } else {
    std::vector<T> out(kValues);
    auto decoder = make_decoder();
    bool verified = false;  // the first pass checks the values; later ones are timed alone
    for (auto _ : state) {
      size_t done = 0;
      for (const data::Buffer& page : pages) {
        if (!decoder.Reset(page.view()).has_value()) return Fail(state, "reset");
        for (;;) {
          Result<size_t> got = decoder.Get(out.data() + done, std::min(kBatch, kValues - done));
          if (!got.has_value()) return Fail(state, "decode");
          if (*got == 0) break;
          done += *got;
        }
      }
      if (!verified && (done != kValues ||
                        std::memcmp(out.data(), values.data(), kValues * sizeof(T)) != 0)) {
        return Fail(state, "values differ");
      }
      verified = true;
    }
  }
  Counters(state, kValues * sizeof(T));
  state.counters["encoded_MB"] = static_cast<double>(TotalBytes(pages)) / 1e6;
}

template <typename T>
void Plain(benchmark::State& state, const std::vector<T>& values) {
  FixedBench<T>(
      state, values, state.range(0) != 0, [] { return PlainFixedEncoder(sizeof(T)); },
      [] { return PlainFixedDecoder(sizeof(T)); });
}

template <typename T>
void Delta(benchmark::State& state, const std::vector<T>& values) {
  FixedBench<T>(
      state, values, state.range(0) != 0, [] { return DeltaBinaryPackedEncoder<T>(); },
      [] { return DeltaBinaryPackedDecoder<T>(); });
}

void BM_PlainIds(benchmark::State& state) { Plain(state, Ids()); }
void BM_PlainDoubles(benchmark::State& state) { Plain(state, Doubles()); }
void BM_DeltaIds(benchmark::State& state) { Delta(state, Ids()); }
void BM_DeltaTimestamps(benchmark::State& state) { Delta(state, Timestamps()); }
void BM_ByteStreamSplitDoubles(benchmark::State& state) {
  FixedBench<double>(
      state, Doubles(), state.range(0) != 0, [] { return ByteStreamSplitEncoder(8); },
      [] { return ByteStreamSplitDecoder(8); });
}

// ---------------------------------------------------------------------------------------
// Dictionary

template <typename T>
void DictFixed(benchmark::State& state, const std::vector<T>& values) {
  std::vector<uint32_t> indices(kValues);
  std::vector<data::Buffer> pages;
  DictEncoder<T> encoder;
  auto encode_all = [&] {
    encoder.Clear();
    encoder.Put(values.data(), kValues, indices.data());
    pages.resize(kValues / kPageValues);
    for (size_t p = 0; p < pages.size(); ++p) {
      pages[p].Clear();
      EncodeDictionaryIndices(indices.data() + p * kPageValues, kPageValues,
                              encoder.num_entries(), pages[p]);
    }
  };
  encode_all();
  if (state.range(0) != 0) {
    for (auto _ : state) encode_all();
  } else {
    std::vector<T> out(kValues);
    DictIndexDecoder decoder;
    bool verified = false;
    for (auto _ : state) {
      for (size_t p = 0; p < pages.size(); ++p) {
        if (!decoder.Reset(pages[p].view(), encoder.num_entries()).has_value()) {
          return Fail(state, "reset");
        }
        for (size_t done = 0; done < kPageValues;) {
          Result<size_t> got = decoder.Get(indices.data(), kBatch);
          if (!got.has_value() || *got == 0) return Fail(state, "decode");
          GatherDictionary(encoder.entries(), indices.data(), *got,
                           out.data() + p * kPageValues + done);
          done += *got;
        }
      }
      if (!verified && std::memcmp(out.data(), values.data(), kValues * sizeof(T)) != 0) {
        return Fail(state, "values differ");
      }
      verified = true;
    }
  }
  Counters(state, kValues * sizeof(T));
  state.counters["entries"] = encoder.num_entries();
  state.counters["encoded_MB"] = static_cast<double>(TotalBytes(pages)) / 1e6;
}

// Ids are all distinct: the table's worst case (a writer falls back to PLAIN at 1 MiB of
// dictionary, 128Ki ids, so this runs past the point a writer would).
void BM_DictIds(benchmark::State& state) { DictFixed(state, Ids()); }
void BM_DictLowCardDoubles(benchmark::State& state) {
  static const std::vector<double> values = [] {
    std::vector<double> v(kValues);
    for (size_t i = 0; i < kValues; ++i) v[i] = static_cast<double>((i * 7919) % 1000) * 0.25;
    return v;
  }();
  DictFixed(state, values);
}

void DictStrings(benchmark::State& state, const ByteArrays& values) {
  std::vector<uint32_t> indices(kValues);
  std::vector<data::Buffer> pages;
  ByteArrayDictEncoder encoder;
  auto encode_all = [&] {
    encoder.Clear();
    for (size_t begin = 0; begin < kValues; begin += kBatch) {
      encoder.Put(Slice(values, begin, kBatch), indices.data() + begin);
    }
    pages.resize(kValues / kPageValues);
    for (size_t p = 0; p < pages.size(); ++p) {
      pages[p].Clear();
      EncodeDictionaryIndices(indices.data() + p * kPageValues, kPageValues,
                              encoder.num_entries(), pages[p]);
    }
  };
  encode_all();
  ByteArrays dictionary;
  for (size_t i = 0; i < encoder.num_entries(); ++i) dictionary.Append(encoder.entries()[i]);
  if (state.range(0) != 0) {
    for (auto _ : state) encode_all();
  } else {
    ByteArrays out;
    DictIndexDecoder decoder;
    size_t checked = 0;
    for (auto _ : state) {
      for (size_t p = 0; p < pages.size(); ++p) {
        if (!decoder.Reset(pages[p].view(), encoder.num_entries()).has_value()) {
          return Fail(state, "reset");
        }
        for (size_t done = 0; done < kPageValues;) {
          out.Clear();
          Result<size_t> got = decoder.Get(indices.data(), kBatch);
          if (!got.has_value() || *got == 0) return Fail(state, "decode");
          if (!GatherByteArrays(dictionary.view(), indices.data(), *got, out).has_value()) {
            return Fail(state, "gather");
          }
          if (checked++ == 0 && out.str(0) != values.str(p * kPageValues + done)) {
            return Fail(state, "values differ");
          }
          done += *got;
        }
      }
    }
  }
  Counters(state, values.bytes.size() + 4 * kValues);
  state.counters["entries"] = encoder.num_entries();
  state.counters["encoded_MB"] = static_cast<double>(TotalBytes(pages)) / 1e6;
}

void BM_DictLowCardStrings(benchmark::State& state) { DictStrings(state, LowCardStrings()); }
void BM_DictStrings20(benchmark::State& state) { DictStrings(state, Strings20()); }

// ---------------------------------------------------------------------------------------
// Byte arrays

template <typename Encoder, typename Decoder>
void Strings(benchmark::State& state, const ByteArrays& values) {
  Encoder encoder;
  auto put = [&](size_t begin, size_t n) { encoder.Put(Slice(values, begin, n)); };
  std::vector<data::Buffer> pages = EncodePages(encoder, put);
  if (state.range(0) != 0) {
    for (auto _ : state) {
      EncodePages(encoder, put, pages);
      benchmark::DoNotOptimize(pages.data());
    }
  } else {
    ByteArrays out;
    Decoder decoder;
    bool verified = false;
    for (auto _ : state) {
      size_t done = 0;
      for (const data::Buffer& page : pages) {
        if (!decoder.Reset(page.view()).has_value()) return Fail(state, "reset");
        for (;;) {
          out.Clear();
          Result<size_t> got = decoder.Get(out, kBatch);
          if (!got.has_value()) return Fail(state, "decode");
          if (*got == 0) break;
          if (!verified && out.str(*got - 1) != values.str(done + *got - 1)) {
            return Fail(state, "values differ");
          }
          done += *got;
        }
      }
      if (done != kValues) return Fail(state, "count");
      verified = true;
    }
  }
  Counters(state, values.bytes.size() + 4 * kValues);
  state.counters["encoded_MB"] = static_cast<double>(TotalBytes(pages)) / 1e6;
}

void BM_PlainStrings20(benchmark::State& state) {
  Strings<PlainByteArrayEncoder, PlainByteArrayDecoder>(state, Strings20());
}
void BM_PlainLowCardStrings(benchmark::State& state) {
  Strings<PlainByteArrayEncoder, PlainByteArrayDecoder>(state, LowCardStrings());
}
void BM_DeltaLengthStrings20(benchmark::State& state) {
  Strings<DeltaLengthByteArrayEncoder, DeltaLengthByteArrayDecoder>(state, Strings20());
}
void BM_DeltaByteArrayStrings20(benchmark::State& state) {
  Strings<DeltaByteArrayEncoder, DeltaByteArrayDecoder>(state, Strings20());
}
void BM_DeltaByteArrayLowCardStrings(benchmark::State& state) {
  Strings<DeltaByteArrayEncoder, DeltaByteArrayDecoder>(state, LowCardStrings());
}

// ---------------------------------------------------------------------------------------
// Levels

void BM_RleLevels10PctNulls(benchmark::State& state) {
  const std::vector<int16_t>& levels = Levels();
  RleBitPackedEncoder encoder(1);
  auto put = [&](size_t begin, size_t n) { encoder.Put(levels.data() + begin, n); };
  std::vector<data::Buffer> pages = EncodePages(encoder, put);
  if (state.range(0) != 0) {
    for (auto _ : state) {
      EncodePages(encoder, put, pages);
      benchmark::DoNotOptimize(pages.data());
    }
  } else {
    std::vector<int16_t> out(kValues);
    RleBitPackedDecoder decoder;
    bool verified = false;
    for (auto _ : state) {
      size_t done = 0;
      for (const data::Buffer& page : pages) {
        if (!decoder.Reset(page.view(), 1).has_value()) return Fail(state, "reset");
        for (size_t in_page = 0; in_page < kPageValues;) {
          Result<size_t> got = decoder.Get(out.data() + done, kBatch);
          if (!got.has_value()) return Fail(state, "decode");
          done += *got;
          in_page += *got;
        }
      }
      if (!verified && std::memcmp(out.data(), levels.data(), kValues * 2) != 0) {
        return Fail(state, "values differ");
      }
      verified = true;
    }
  }
  Counters(state, kValues * 2);
  state.counters["encoded_MB"] = static_cast<double>(TotalBytes(pages)) / 1e6;
}

// A column without nulls: one run of definition levels per page.
void BM_RleLevelsNoNulls(benchmark::State& state) {
  RleBitPackedEncoder encoder(1);
  std::vector<int16_t> out(kBatch);
  RleBitPackedDecoder decoder;
  data::Buffer page;
  for (auto _ : state) {
    size_t done = 0;
    for (size_t p = 0; p < kValues / kPageValues; ++p) {
      page.Clear();
      encoder.PutRepeated(1, kPageValues);
      encoder.FlushTo(page);
      if (state.range(0) == 0) {
        (void)decoder.Reset(page.view(), 1);
        for (size_t got = 1; got != 0;) {
          got = decoder.Get(out.data(), kBatch).value_or(0);
          done += got;
        }
      }
    }
    benchmark::DoNotOptimize(done);
  }
  Counters(state, kValues * 2);
}

#define CQLBULK_ENCODING_BENCH(name) \
  BENCHMARK(name)->ArgName("encode")->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)

CQLBULK_ENCODING_BENCH(BM_PlainIds);
CQLBULK_ENCODING_BENCH(BM_DeltaIds);
CQLBULK_ENCODING_BENCH(BM_DictIds);
CQLBULK_ENCODING_BENCH(BM_DeltaTimestamps);
CQLBULK_ENCODING_BENCH(BM_PlainDoubles);
CQLBULK_ENCODING_BENCH(BM_ByteStreamSplitDoubles);
CQLBULK_ENCODING_BENCH(BM_DictLowCardDoubles);
CQLBULK_ENCODING_BENCH(BM_PlainLowCardStrings);
CQLBULK_ENCODING_BENCH(BM_DictLowCardStrings);
CQLBULK_ENCODING_BENCH(BM_DeltaByteArrayLowCardStrings);
CQLBULK_ENCODING_BENCH(BM_PlainStrings20);
CQLBULK_ENCODING_BENCH(BM_DictStrings20);
CQLBULK_ENCODING_BENCH(BM_DeltaLengthStrings20);
CQLBULK_ENCODING_BENCH(BM_DeltaByteArrayStrings20);
CQLBULK_ENCODING_BENCH(BM_RleLevels10PctNulls);
CQLBULK_ENCODING_BENCH(BM_RleLevelsNoNulls);

}  // namespace
}  // namespace cqlbulk::formats::parquet

BENCHMARK_MAIN();
