// SPDX-License-Identifier: Apache-2.0
// data::BatchBuilder append cost: 1M rows of (int32, int64, text of 20 bytes, double, uuid,
// timestamp), the typed appends the unload adapter makes after decoding a ROWS page.
// Reports CPU time per row (the "per_row" counter); asserts nothing about timing.
#include <cstdint>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "cqlbulk/data/batch_builder.h"

namespace cqlbulk::data {
namespace {

constexpr int64_t kRows = 1'000'000;

SchemaPtr SixColumns() {
  using T = LogicalType;
  return std::make_shared<Schema>(Schema{{
      Field{.name = "c_int", .type = T::Int32()},
      Field{.name = "c_bigint", .type = T::Int64(), .nullable = false},
      Field{.name = "c_text", .type = T::String()},
      Field{.name = "c_double", .type = T::Float64()},
      Field{.name = "c_uuid", .type = T::Uuid()},
      Field{.name = "c_ts", .type = T::Timestamp()},
  }});
}

void AppendRow(BatchBuilder& builder, int64_t i, const std::string& text, const uint8_t* uuid) {
  builder.column(0).AppendInt32(static_cast<int32_t>(i));
  builder.column(1).AppendInt64(i * 7);
  builder.column(2).AppendString(text);
  builder.column(3).AppendFloat64(static_cast<double>(i) * 0.5);
  builder.column(4).AppendUuid(uuid);
  builder.column(5).AppendTimestamp(1'700'000'000'000 + i);
}

void SetCounters(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * kRows);
  // An inverted rate prints as CPU time per row ("17.2ns").
  state.counters["per_row"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kRows),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// A new builder per iteration with no reserved capacity: 1M rows in one batch, growth included.
void BM_AppendMillionRowsOneBatch(benchmark::State& state) {
  SchemaPtr schema = SixColumns();
  const std::string text = "abcdefghijklmnopqrst";
  uint8_t uuid[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
                      0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
  for (auto _ : state) {
    BatchBuilder builder(schema, 0);
    for (int64_t i = 0; i < kRows; ++i) {
      AppendRow(builder, i, text, uuid);
    }
    Result<Batch> batch = builder.Finish();
    benchmark::DoNotOptimize(batch);
  }
  SetCounters(state);
}
BENCHMARK(BM_AppendMillionRowsOneBatch)->Unit(benchmark::kMillisecond);

// The unload hot path: one builder per worker, reused, a Batch cut every `range(0)` rows.
void BM_AppendMillionRowsReusedBuilder(benchmark::State& state) {
  SchemaPtr schema = SixColumns();
  const std::string text = "abcdefghijklmnopqrst";
  uint8_t uuid[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
                      0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
  const int64_t batch_rows = state.range(0);
  BatchBuilder builder(schema, static_cast<size_t>(batch_rows));
  for (auto _ : state) {
    for (int64_t i = 0; i < kRows; ++i) {
      AppendRow(builder, i, text, uuid);
      if (builder.num_rows() == static_cast<size_t>(batch_rows)) {
        Result<Batch> batch = builder.Finish();
        benchmark::DoNotOptimize(batch);
      }
    }
    builder.Reset();
  }
  SetCounters(state);
}
BENCHMARK(BM_AppendMillionRowsReusedBuilder)->Arg(4096)->Arg(65536)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cqlbulk::data

BENCHMARK_MAIN();
