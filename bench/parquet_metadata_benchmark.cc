// SPDX-License-Identifier: Apache-2.0
// formats/parquet/format: cost of ParseFileMetaData and Serialize on large footers (columns x
// row groups, each column chunk with statistics, three encodings and two encoding stats, as
// pyarrow writes them), and of ParsePageHeader / Serialize on one data page header with
// statistics. Reports time per footer, per column chunk and bytes per second; asserts nothing
// about timing.
#include <cstdint>
#include <string>

#include <benchmark/benchmark.h>

#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/parquet/format/metadata.h"

namespace cqlbulk::formats::parquet {
namespace {

std::string Le64(int64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
  return out;
}

FileMetaData MakeFooter(int num_columns, int num_row_groups) {
  FileMetaData m;
  m.created_by = "parquet-cpp-arrow version 22.0.0";
  m.schema.push_back({.name = "schema", .num_children = num_columns});
  for (int c = 0; c < num_columns; ++c) {
    m.schema.push_back({.type = PhysicalType::kInt64,
                        .repetition_type = Repetition::kOptional,
                        .name = "column_" + std::to_string(c),
                        .field_id = c + 1,
                        .logical_type = LogicalTypeAnnotation::Timestamp(true, TimeUnit::kMicros)});
  }
  int64_t offset = 4;
  for (int g = 0; g < num_row_groups; ++g) {
    RowGroup group{.num_rows = 1'000'000, .file_offset = offset, .ordinal = static_cast<int16_t>(g)};
    for (int c = 0; c < num_columns; ++c) {
      ColumnMetaData meta{
          .type = PhysicalType::kInt64,
          .encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary},
          .path_in_schema = {"column_" + std::to_string(c)},
          .codec = CompressionCodec::kZstd,
          .num_values = 1'000'000,
          .total_uncompressed_size = 8'000'123,
          .total_compressed_size = 2'345'678,
          .data_page_offset = offset + 70'000,
          .dictionary_page_offset = offset,
          .statistics = Statistics{.max = Le64(1'700'000'000'000'000 + c),
                                   .min = Le64(1'600'000'000'000'000 - c),
                                   .null_count = 1234,
                                   .max_value = Le64(1'700'000'000'000'000 + c),
                                   .min_value = Le64(1'600'000'000'000'000 - c),
                                   .is_max_value_exact = true,
                                   .is_min_value_exact = true},
          .encoding_stats = {{.page_type = PageType::kDictionaryPage,
                              .encoding = Encoding::kPlain,
                              .count = 1},
                             {.page_type = PageType::kDataPage,
                              .encoding = Encoding::kRleDictionary,
                              .count = 8}}};
      group.columns.push_back({.file_offset = 0, .meta_data = std::move(meta)});
      offset += 2'345'678;
    }
    group.total_byte_size = 8'000'123LL * num_columns;
    group.total_compressed_size = 2'345'678LL * num_columns;
    m.row_groups.push_back(std::move(group));
  }
  m.num_rows = 1'000'000LL * num_row_groups;
  m.column_orders.assign(static_cast<size_t>(num_columns), ColumnOrder::kTypeDefined);
  return m;
}

void SetCounters(benchmark::State& state, size_t bytes, int64_t chunks) {
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
  state.counters["per_chunk"] = benchmark::Counter(
      static_cast<double>(state.iterations() * chunks),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["footer_bytes"] = static_cast<double>(bytes);
}

void BM_ParseFileMetaData(benchmark::State& state) {
  const int columns = static_cast<int>(state.range(0));
  const int row_groups = static_cast<int>(state.range(1));
  data::Buffer footer;
  Serialize(MakeFooter(columns, row_groups), footer);
  for (auto _ : state) {
    Result<FileMetaData> parsed = ParseFileMetaData(footer.view());
    if (!parsed.has_value()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(parsed);
  }
  SetCounters(state, footer.size(), int64_t{columns} * row_groups);
}
BENCHMARK(BM_ParseFileMetaData)
    ->ArgNames({"columns", "row_groups"})
    ->Args({1000, 10})
    ->Args({100, 100})
    ->Args({10, 1})
    ->Unit(benchmark::kMillisecond);

void BM_SerializeFileMetaData(benchmark::State& state) {
  const int columns = static_cast<int>(state.range(0));
  const int row_groups = static_cast<int>(state.range(1));
  const FileMetaData metadata = MakeFooter(columns, row_groups);
  data::Buffer footer;
  for (auto _ : state) {
    footer.Clear();
    Serialize(metadata, footer);
    benchmark::DoNotOptimize(footer.data());
  }
  SetCounters(state, footer.size(), int64_t{columns} * row_groups);
}
BENCHMARK(BM_SerializeFileMetaData)
    ->ArgNames({"columns", "row_groups"})
    ->Args({1000, 10})
    ->Args({100, 100})
    ->Args({10, 1})
    ->Unit(benchmark::kMillisecond);

PageHeader DataPage() {
  return {.type = PageType::kDataPage,
          .uncompressed_page_size = 1 << 20,
          .compressed_page_size = 300'000,
          .crc = 123456789,
          .data_page_header = DataPageHeader{
              .num_values = 131'072,
              .encoding = Encoding::kRleDictionary,
              .statistics = Statistics{.null_count = 17,
                                       .max_value = Le64(99'999),
                                       .min_value = Le64(-5)}}};
}

void BM_ParsePageHeader(benchmark::State& state) {
  data::Buffer bytes;
  Serialize(DataPage(), bytes);
  for (auto _ : state) {
    size_t header_size = 0;
    Result<PageHeader> header = ParsePageHeader(bytes.view(), &header_size);
    benchmark::DoNotOptimize(header);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_ParsePageHeader);

void BM_SerializePageHeader(benchmark::State& state) {
  const PageHeader header = DataPage();
  data::Buffer bytes;
  for (auto _ : state) {
    bytes.Clear();
    Serialize(header, bytes);
    benchmark::DoNotOptimize(bytes.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_SerializePageHeader);

}  // namespace
}  // namespace cqlbulk::formats::parquet

BENCHMARK_MAIN();
