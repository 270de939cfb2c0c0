// SPDX-License-Identifier: Apache-2.0
// formats: CSV and JSON-lines writing cost of rows of (int32, int64, text of 20 bytes, double,
// uuid, timestamp), the six columns of data_builder_benchmark, from batches of 4096 rows to a
// stream that discards the bytes. Reports CPU time per row (the "per_row" counter) and bytes
// per second; asserts nothing about timing.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/csv/csv_writer.h"
#include "cqlbulk/formats/json/json_writer.h"

namespace cqlbulk::formats {
namespace {

constexpr size_t kRows = 262'144;
constexpr size_t kBatchRows = 4096;

using data::Batch;
using data::BatchBuilder;
using data::Field;
using data::Schema;
using data::SchemaPtr;
using T = data::LogicalType;

/// Counts and drops what it is given.
class NullStream final : public OutputStream {
 protected:
  Status DoWrite(BytesView data) override {
    benchmark::DoNotOptimize(data.data());
    return OkStatus();
  }
  Status DoFlush() override { return OkStatus(); }
  Status DoClose() override { return OkStatus(); }
};

SchemaPtr SixColumns() {
  return std::make_shared<Schema>(Schema{{
      Field{.name = "c_int", .type = T::Int32()},
      Field{.name = "c_bigint", .type = T::Int64(), .nullable = false},
      Field{.name = "c_text", .type = T::String()},
      Field{.name = "c_double", .type = T::Float64()},
      Field{.name = "c_uuid", .type = T::Uuid()},
      Field{.name = "c_ts", .type = T::Timestamp()},
  }});
}

/// kRows rows in batches of kBatchRows. `simple` doubles are i * 0.5 (short text); otherwise
/// they need all 17 significant digits, the worst case of the shortest round trip.
std::vector<Batch> MakeBatches(bool simple) {
  SchemaPtr schema = SixColumns();
  BatchBuilder builder(schema, kBatchRows);
  std::vector<Batch> batches;
  std::string text = "abcdefghijklmnopqrst";
  uint8_t uuid[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
                      0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
  for (size_t i = 0; i < kRows; ++i) {
    auto v = static_cast<int64_t>(i);
    text[i % 20] = static_cast<char>('a' + i % 26);
    uuid[15] = static_cast<uint8_t>(i);
    builder.column(0).AppendInt32(static_cast<int32_t>(v * 7919));
    builder.column(1).AppendInt64(v * 1'000'000'007);
    builder.column(2).AppendString(text);
    builder.column(3).AppendFloat64(simple ? static_cast<double>(v) * 0.5
                                           : static_cast<double>(v) / 3.0 + 0.1);
    builder.column(4).AppendUuid(uuid);
    builder.column(5).AppendTimestamp(1'700'000'000'000 + v * 1237);
    if (builder.num_rows() == kBatchRows) {
      batches.push_back(std::move(builder.Finish()).value());
    }
  }
  return batches;
}

void SetCounters(benchmark::State& state, size_t bytes_per_pass) {
  auto rows = static_cast<double>(state.iterations() * static_cast<int64_t>(kRows));
  if (bytes_per_pass != 0) {
    state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes_per_pass));
  }
  state.counters["per_row"] =
      benchmark::Counter(rows, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

template <typename Writer, typename Options>
void WriteAll(benchmark::State& state, const Options& options) {
  std::vector<Batch> batches = MakeBatches(state.range(0) != 0);
  NullStream out;
  for (auto _ : state) {
    auto writer = std::move(Writer::Make(out, batches[0].schema_ptr(), options)).value();
    for (const Batch& batch : batches) {
      if (!writer->Write(batch).has_value()) state.SkipWithError("write failed");
    }
    if (!writer->Flush().has_value()) state.SkipWithError("flush failed");
  }
  uint64_t before = out.bytes_written();
  {
    auto writer = std::move(Writer::Make(out, batches[0].schema_ptr(), options)).value();
    for (const Batch& batch : batches) (void)writer->Write(batch);
    (void)writer->Flush();
  }
  SetCounters(state, static_cast<size_t>(out.bytes_written() - before));
}

void BM_CsvSixColumns(benchmark::State& state) { WriteAll<CsvWriter>(state, CsvOptions{}); }
BENCHMARK(BM_CsvSixColumns)
    ->ArgName("simple_doubles")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond);

void BM_JsonSixColumns(benchmark::State& state) { WriteAll<JsonWriter>(state, JsonOptions{}); }
BENCHMARK(BM_JsonSixColumns)
    ->ArgName("simple_doubles")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond);

// One column at a time (the values of simple_doubles:0), to see what each kind costs per cell
// (with the row's overhead: its line end, the null check and the dispatch on the kind).
void BM_CsvOneColumn(benchmark::State& state) {
  std::vector<Batch> six = MakeBatches(false);
  auto column = static_cast<size_t>(state.range(0));
  const Field& field = six[0].schema().fields[column];
  auto schema = std::make_shared<Schema>(Schema{{field}});
  std::vector<Batch> batches;
  for (const Batch& batch : six) {
    BatchBuilder builder(schema, kBatchRows);
    const data::Column& c = batch.column(column);
    for (size_t row = 0; row < batch.num_rows(); ++row) {
      data::ColumnBuilder& b = builder.column(0);
      switch (c.kind()) {
        case data::TypeKind::kInt32: b.AppendInt32(c.Int32(row)); break;
        case data::TypeKind::kInt64: b.AppendInt64(c.Int64(row)); break;
        case data::TypeKind::kString: b.AppendString(c.String(row)); break;
        case data::TypeKind::kFloat64: b.AppendFloat64(c.Float64(row)); break;
        case data::TypeKind::kUuid: b.AppendUuid(c.UuidBytes(row).data()); break;
        default: b.AppendTimestamp(c.Timestamp(row)); break;
      }
    }
    batches.push_back(std::move(builder.Finish()).value());
  }
  NullStream out;
  for (auto _ : state) {
    auto writer = std::move(CsvWriter::Make(out, schema, CsvOptions{})).value();
    for (const Batch& batch : batches) {
      if (!writer->Write(batch).has_value()) state.SkipWithError("write failed");
    }
    if (!writer->Flush().has_value()) state.SkipWithError("flush failed");
  }
  state.SetLabel(field.name);
  SetCounters(state, 0);
}
BENCHMARK(BM_CsvOneColumn)->DenseRange(0, 5)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cqlbulk::formats

BENCHMARK_MAIN();
