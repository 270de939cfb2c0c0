// SPDX-License-Identifier: Apache-2.0
// formats readers: CPU per row to read and parse 1M rows of (int32, int64, text of 20 bytes,
// double, uuid, ISO timestamp) from memory into a reused BatchBuilder, cut every 4096 rows:
// CSV (CsvReader) and JSON lines (JsonReader). Reports CPU time per row ("per_row");
// asserts nothing about timing.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/csv/csv_reader.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/formats/json/json_reader.h"

namespace cqlbulk::formats {
namespace {

constexpr int64_t kRows = 1'000'000;
constexpr size_t kBatchRows = 4096;

data::SchemaPtr SixColumns() {
  using T = data::LogicalType;
  return std::make_shared<data::Schema>(data::Schema{{
      data::Field{.name = "c_int", .type = T::Int32()},
      data::Field{.name = "c_bigint", .type = T::Int64()},
      data::Field{.name = "c_text", .type = T::String()},
      data::Field{.name = "c_double", .type = T::Float64()},
      data::Field{.name = "c_uuid", .type = T::Uuid()},
      data::Field{.name = "c_ts", .type = T::Timestamp()},
  }});
}

const std::vector<std::string> kFields = {"c_int",    "c_bigint", "c_text",
                                          "c_double", "c_uuid",   "c_ts"};

struct Row {
  char values[6][48];
};

Row MakeRow(int64_t i) {
  Row row;
  std::snprintf(row.values[0], 48, "%lld", static_cast<long long>(i * 7 - 3'000'000));
  std::snprintf(row.values[1], 48, "%lld", static_cast<long long>(i * 1'000'003'017LL));
  std::snprintf(row.values[2], 48, "text value %09lld", static_cast<long long>(i));
  std::snprintf(row.values[3], 48, "%.6f", static_cast<double>(i) * 0.731);
  std::snprintf(row.values[4], 48, "%08llx-e89b-42d3-a456-%012llx",
                static_cast<unsigned long long>(i * 2654435761ULL & 0xffffffffULL),
                static_cast<unsigned long long>(i * 40503ULL));
  long long ms = 1'600'000'000'000LL + i * 1'337;
  long long day = ms / 86'400'000;
  long long of_day = ms % 86'400'000;
  // 2020-09-13 is day 18518; keep it simple: dates within a few months of it.
  int d = static_cast<int>(day - 18518);
  std::snprintf(row.values[5], 48, "2020-%02d-%02dT%02lld:%02lld:%02lld.%03lldZ", 9 + d / 28 % 4,
                1 + d % 28, of_day / 3'600'000, of_day / 60'000 % 60, of_day / 1000 % 60,
                of_day % 1000);
  return row;
}

std::string MakeCsv() {
  std::string csv = "c_int,c_bigint,c_text,c_double,c_uuid,c_ts\n";
  for (int64_t i = 0; i < kRows; ++i) {
    Row row = MakeRow(i);
    for (int c = 0; c < 6; ++c) {
      csv += row.values[c];
      csv += c == 5 ? '\n' : ',';
    }
  }
  return csv;
}

std::string MakeJsonLines() {
  std::string json;
  for (int64_t i = 0; i < kRows; ++i) {
    Row row = MakeRow(i);
    json += "{\"c_int\":";
    json += row.values[0];
    json += ",\"c_bigint\":";
    json += row.values[1];
    json += ",\"c_text\":\"";
    json += row.values[2];
    json += "\",\"c_double\":";
    json += row.values[3];
    json += ",\"c_uuid\":\"";
    json += row.values[4];
    json += "\",\"c_ts\":\"";
    json += row.values[5];
    json += "\"}\n";
  }
  return json;
}

template <typename MakeReader>
void ReadAll(benchmark::State& state, const std::string& input, MakeReader make_reader) {
  data::SchemaPtr schema = SixColumns();
  data::BatchBuilder builder(schema, kBatchRows);
  RecordInfo info;
  std::vector<RecordError> errors;
  for (auto _ : state) {
    // Neither the copy into the stream nor freeing it is reading.
    state.PauseTiming();
    auto in = std::make_unique<MemoryInputStream>(Bytes(input.begin(), input.end()));
    state.ResumeTiming();
    auto reader = make_reader(*in, schema);
    int64_t rows = 0;
    for (;;) {
      Result<size_t> n = reader->Read(builder, kBatchRows, info, errors);
      if (!n.has_value() || *n == 0) break;
      rows += static_cast<int64_t>(*n);
      Result<data::Batch> batch = builder.Finish();
      benchmark::DoNotOptimize(batch);
      info.Clear();
    }
    state.PauseTiming();
    reader.reset();
    in.reset();
    state.ResumeTiming();
    if (rows != kRows || !errors.empty()) {
      state.SkipWithError("not every row was read");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(input.size()));
  state.counters["per_row"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kRows),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_CsvReadMillionRows(benchmark::State& state) {
  static const std::string csv = MakeCsv();
  ReadAll(state, csv, [](InputStream& in, const data::SchemaPtr& schema) {
    return std::move(
        CsvReader::Make(in, "bench.csv", schema, kFields, CsvOptions{}, MissingField::kUnset)
            .value());
  });
}
BENCHMARK(BM_CsvReadMillionRows)->Unit(benchmark::kMillisecond);

void BM_JsonLinesReadMillionRows(benchmark::State& state) {
  static const std::string json = MakeJsonLines();
  ReadAll(state, json, [](InputStream& in, const data::SchemaPtr& schema) {
    return std::move(
        JsonReader::Make(in, "bench.json", schema, kFields, TextOptions{}, MissingField::kUnset)
            .value());
  });
}
BENCHMARK(BM_JsonLinesReadMillionRows)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cqlbulk::formats

BENCHMARK_MAIN();
