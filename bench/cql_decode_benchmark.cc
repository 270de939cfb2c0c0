// SPDX-License-Identifier: Apache-2.0
// The ops adapter on the unload and load hot paths: a ROWS body of 100k rows of (int, bigint,
// text of 20 bytes, double, uuid, timestamp), built with cql's RowsBuilder, decoded by
// ops::RowDecoder into a reused data::BatchBuilder (ns per row); and the reverse, every cell
// of the decoded batch encoded back with ops::EncodeCell (ns per cell).
// Reports CPU time per row or cell (the "per_row" / "per_cell" counters); asserts nothing
// about timing.
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "cqlbulk/cql/protocol/rows.h"
#include "cqlbulk/ops/cql_data.h"

namespace cqlbulk::ops {
namespace {

constexpr int32_t kRows = 100'000;

cql::RowsMetadata SixColumns() {
  using cql::DataType;
  using cql::TypeId;
  cql::RowsMetadata m;
  m.columns_count = 6;
  m.global_table = cql::TableSpec{"ks", "t"};
  m.columns = {{"ks", "t", "c_int", DataType::Native(TypeId::kInt)},
               {"ks", "t", "c_bigint", DataType::Native(TypeId::kBigint)},
               {"ks", "t", "c_text", DataType::Native(TypeId::kVarchar)},
               {"ks", "t", "c_double", DataType::Native(TypeId::kDouble)},
               {"ks", "t", "c_uuid", DataType::Native(TypeId::kUuid)},
               {"ks", "t", "c_ts", DataType::Native(TypeId::kTimestamp)}};
  return m;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "cql_decode_benchmark: %s failed\n", what);
    std::abort();
  }
}

/// A RESULT Rows body (protocol v5) of kRows rows.
Bytes SixColumnBody() {
  cql::RowsBuilder builder(SixColumns(), 5);
  uint8_t uuid[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
                      0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
  std::string text = "abcdefghijklmnopqrst";
  uint8_t buf[8];
  for (int32_t i = 0; i < kRows; ++i) {
    StoreBE32(buf, static_cast<uint32_t>(i));
    builder.AddCell(BytesView(buf, 4));
    StoreBE64(buf, static_cast<uint64_t>(int64_t{i} * 7));
    builder.AddCell(BytesView(buf, 8));
    text[0] = static_cast<char>('a' + i % 26);
    builder.AddCell(AsBytes(text));
    StoreBE64(buf, std::bit_cast<uint64_t>(static_cast<double>(i) * 0.5));
    builder.AddCell(BytesView(buf, 8));
    uuid[15] = static_cast<uint8_t>(i);
    builder.AddCell(BytesView(uuid, 16));
    StoreBE64(buf, static_cast<uint64_t>(int64_t{1'700'000'000'000} + i));
    builder.AddCell(BytesView(buf, 8));
  }
  auto body = std::move(builder).FinishBody();
  Check(body.has_value(), "FinishBody");
  return std::move(body).value();
}

// One page of 100k rows into one batch, the builder reused (Finish keeps its capacity).
void BM_DecodeSixColumnRows(benchmark::State& state) {
  Bytes body = SixColumnBody();
  auto rows = cql::ParseRowsResult(body, 5);
  Check(rows.has_value(), "ParseRowsResult");
  auto decoder = RowDecoder::Make(rows->metadata);
  Check(decoder.has_value(), "RowDecoder::Make");
  data::BatchBuilder builder(decoder->schema(), kRows);
  for (auto _ : state) {
    auto n = decoder->AppendRows(*rows, builder);
    Check(n.has_value() && *n == static_cast<size_t>(kRows), "AppendRows");
    auto batch = builder.Finish();
    benchmark::DoNotOptimize(batch);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(rows->rows_content.size()));
  state.counters["per_row"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kRows),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_DecodeSixColumnRows)->Unit(benchmark::kMillisecond);

// The load direction: every cell of the decoded batch back to wire bytes (exact types).
void BM_EncodeSixColumnCells(benchmark::State& state) {
  Bytes body = SixColumnBody();
  auto rows = cql::ParseRowsResult(body, 5);
  Check(rows.has_value(), "ParseRowsResult");
  auto decoder = RowDecoder::Make(rows->metadata);
  Check(decoder.has_value(), "RowDecoder::Make");
  data::BatchBuilder builder(decoder->schema(), kRows);
  Check(decoder->AppendRows(*rows, builder).has_value(), "AppendRows");
  auto batch = builder.Finish();
  Check(batch.has_value(), "Finish");
  std::vector<cql::DataTypePtr> types;
  for (const auto& column : rows->metadata.columns) {
    types.push_back(column.type);
  }
  data::Buffer out;
  out.Reserve(256);
  for (auto _ : state) {
    for (size_t row = 0; row < static_cast<size_t>(kRows); ++row) {
      out.Clear();
      for (size_t c = 0; c < types.size(); ++c) {
        Status status = EncodeCell(batch->column(c), row, *types[c], out);
        Check(status.has_value(), "EncodeCell");
      }
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * kRows * 6);
  state.counters["per_cell"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kRows * 6),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_EncodeSixColumnCells)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cqlbulk::ops

BENCHMARK_MAIN();
