// SPDX-License-Identifier: Apache-2.0
// formats/avro: the cost of Iceberg manifest entries (the v2 schema, a bucket partition, six
// columns of metrics) through the binary encoding and object container files: Encode and
// Decode of one entry, writing and reading a manifest of 10,000 entries with each codec, and
// parsing the schema. Reports records and bytes per second; asserts nothing about timing.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "cqlbulk/formats/avro/container.h"
#include "cqlbulk/formats/avro/value_json.h"
#include "cqlbulk/formats/io/memory_stream.h"

namespace cqlbulk::formats::avro {
namespace {

std::string SchemaJson() {
  std::ifstream in(CQLBULK_AVRO_MANIFEST_SCHEMA);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const Schema& ManifestSchema() {
  static const Schema schema = *Schema::Parse(SchemaJson());
  return schema;
}

std::string Metrics(int k, int base) {
  std::string out = "{\"array\": [";
  for (int c = 1; c <= 6; ++c) {
    out += (c > 1 ? "," : "") + std::string("{\"key\": ") + std::to_string(c) +
           ", \"value\": " + std::to_string(base * c + k) + "}";
  }
  return out + "]}";
}

std::string Bounds(int k) {
  std::string out = "{\"array\": [";
  for (int c = 1; c <= 6; ++c) {
    out += (c > 1 ? "," : "") + std::string("{\"key\": ") + std::to_string(c) +
           ", \"value\": \"bound-" + std::to_string(k % 1000) + "\"}";
  }
  return out + "]}";
}

Value Entry(int k) {
  std::string json = R"({"status": 1, "snapshot_id": {"long": 3051729675574597004},
      "sequence_number": null, "file_sequence_number": null, "data_file": {"content": 0,
      "file_path": "s3://warehouse/db/table/data/id_bucket=)" + std::to_string(k % 16) +
                     "/00000-" + std::to_string(k) +
                     R"(-a1b2c3d4.parquet", "file_format": "PARQUET",
      "partition": {"id_bucket": {"int": )" + std::to_string(k % 16) + R"(}},
      "record_count": )" + std::to_string(100000 + k) + R"(, "file_size_in_bytes": )" +
                     std::to_string(50000000 + k) + R"(,
      "column_sizes": )" + Metrics(k, 1000000) + R"(, "value_counts": )" + Metrics(k, 100000) +
                     R"(, "null_value_counts": )" + Metrics(k, 10) + R"(, "nan_value_counts": null,
      "lower_bounds": )" + Bounds(k) + R"(, "upper_bounds": )" + Bounds(k + 1) + R"(,
      "key_metadata": null, "split_offsets": {"array": [4, 33554436]}, "equality_ids": null,
      "sort_order_id": {"int": 0}, "referenced_data_file": null}})";
  return *ValueFromJsonText(ManifestSchema(), json);
}

const std::vector<Value>& Entries() {
  static const std::vector<Value> entries = [] {
    std::vector<Value> out;
    for (int k = 0; k < 10000; ++k) out.push_back(Entry(k));
    return out;
  }();
  return entries;
}

Bytes WriteManifest(Codec codec) {
  Bytes file;
  ContainerWriterOptions options;
  options.codec = codec;
  auto writer = *ContainerWriter::Make(ManifestSchema(),
                                       std::make_unique<MemoryOutputStream>(&file), options);
  for (const Value& v : Entries()) (void)writer->Append(v);
  (void)writer->Close();
  return file;
}

void BM_Encode(benchmark::State& state) {
  const std::vector<Value>& entries = Entries();
  data::Buffer out;
  size_t i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    out.Clear();
    (void)Encode(ManifestSchema(), entries[i++ % entries.size()], out);
    bytes += static_cast<int64_t>(out.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_Encode);

void BM_Decode(benchmark::State& state) {
  std::vector<Bytes> encoded;
  for (size_t i = 0; i < 100; ++i) {
    data::Buffer out;
    (void)Encode(ManifestSchema(), Entries()[i], out);
    encoded.emplace_back(out.data(), out.data() + out.size());
  }
  size_t i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    const Bytes& b = encoded[i++ % encoded.size()];
    benchmark::DoNotOptimize(Decode(ManifestSchema(), b));
    bytes += static_cast<int64_t>(b.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_Decode);

void BM_WriteManifest(benchmark::State& state) {
  auto codec = static_cast<Codec>(state.range(0));
  Entries();
  size_t size = 0;
  for (auto _ : state) size = WriteManifest(codec).size();
  state.SetLabel(std::string(CodecName(codec)) + ", " + std::to_string(size) + " bytes");
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Entries().size()));
}
BENCHMARK(BM_WriteManifest)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_ReadManifest(benchmark::State& state) {
  auto codec = static_cast<Codec>(state.range(0));
  Bytes file = WriteManifest(codec);
  for (auto _ : state) {
    auto reader = *ContainerReader::OpenBytes(file, "m.avro");
    while (true) {
      auto next = reader->Next();
      if (!next.has_value() || !*next) break;
      benchmark::DoNotOptimize(*next);
    }
  }
  state.SetLabel(std::string(CodecName(codec)) + ", " + std::to_string(file.size()) + " bytes");
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Entries().size()));
}
BENCHMARK(BM_ReadManifest)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_ParseSchema(benchmark::State& state) {
  std::string json = SchemaJson();
  for (auto _ : state) benchmark::DoNotOptimize(Schema::Parse(json));
}
BENCHMARK(BM_ParseSchema);

}  // namespace
}  // namespace cqlbulk::formats::avro

BENCHMARK_MAIN();
