// SPDX-License-Identifier: Apache-2.0
// The test driver of metadata_interop_test.py: makes an Iceberg table with our code only, and
// prints what our readers find in any table, so that PyIceberg and fastavro can judge both.
//
//   iceberg_metadata_tool write-table --location DIR --rows rows.jsonl
//       [--partition none|identity:category|day:day] [--snapshots N] [--row-group-rows N]
//
// The rows are JSON objects {"id", "category", "day" (days), "amount", "ts" (ms), "tags",
// "price_cents"} of the schema id long not null (1), category string (2), day date (3),
// amount double (4), ts timestamptz (5), tags list<string> (6, element 7), price
// decimal(12,2) (8). (No uuid column: PyIceberg 0.12's inspect.files() fails on one.) Each of N appends writes its share of
// the rows, a Parquet file per partition value, one manifest, a manifest list holding the
// earlier manifests too, and a metadata file. Prints {"metadata": location, "files": [...]}.
//
//   iceberg_metadata_tool read-manifest PATH [--added-snapshot-id S --sequence-number N]
//
// Prints a manifest's info and entries (inheriting from a list entry with those values).
//
//   iceberg_metadata_tool dump METADATA_LOCATION [--snapshot-id N | --as-of MS]
//
// Prints the metadata's snapshots and, for the chosen snapshot (the current one by default),
// its manifests and their entries (inherited fields filled in), bounds as hex.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/metadata/manifest.h"
#include "cqlbulk/iceberg/metadata/manifest_list.h"
#include "cqlbulk/iceberg/metadata/metrics.h"
#include "cqlbulk/iceberg/metadata/snapshot_summary.h"
#include "cqlbulk/iceberg/metadata/table_metadata.h"
#include "cqlbulk/iceberg/spec/json.h"

namespace cqlbulk::iceberg {
namespace {

using Json = nlohmann::json;

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "iceberg_metadata_tool: " << message << "\n";
  std::exit(2);
}

template <typename T>
T Check(Result<T> r, const std::string& what) {
  if (!r.has_value()) Fail(what + ": " + r.error().ToString());
  return std::move(*r);
}

void Check(Status s, const std::string& what) {
  if (!s.has_value()) Fail(what + ": " + s.error().ToString());
}

std::string Hex(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

Schema TableSchema() {
  Schema schema;
  schema.fields = {NestedField::Required(1, "id", Type::Long()),
                   NestedField::Optional(2, "category", Type::String()),
                   NestedField::Optional(3, "day", Type::Date()),
                   NestedField::Optional(4, "amount", Type::Double()),
                   NestedField::Optional(5, "ts", Type::TimestampTz()),
                   NestedField::Optional(6, "tags", Type::List(7, Type::String(), false)),
                   NestedField::Optional(8, "price", Type::Decimal(12, 2))};
  schema.identifier_field_ids = {1};
  return schema;
}

data::SchemaPtr DataSchema() {
  auto schema = std::make_shared<data::Schema>();
  schema->fields = {
      {"id", data::LogicalType::Int64(), false, 1},
      {"category", data::LogicalType::String(), true, 2},
      {"day", data::LogicalType::Date(), true, 3},
      {"amount", data::LogicalType::Float64(), true, 4},
      {"ts", data::LogicalType::Timestamp(), true, 5},
      {"tags",
       data::LogicalType::List(data::Field{"element", data::LogicalType::String(), true, 7}),
       true, 6},
      {"price", data::LogicalType::Decimal(12, 2), true, 8}};
  return schema;
}

void AppendRow(data::BatchBuilder& b, const Json& row) {
  b.column(0).AppendInt64(row.at("id").get<int64_t>());
  auto str = [&](size_t c, const char* key) {
    const Json& v = row.value(key, Json());
    if (v.is_null()) {
      b.column(c).AppendNull();
    } else {
      b.column(c).AppendString(v.get<std::string>());
    }
  };
  str(1, "category");
  const Json& day = row.value("day", Json());
  day.is_null() ? b.column(2).AppendNull() : b.column(2).AppendDate(day.get<int32_t>());
  const Json& amount = row.value("amount", Json());
  amount.is_null() ? b.column(3).AppendNull() : b.column(3).AppendFloat64(amount.get<double>());
  const Json& ts = row.value("ts", Json());
  ts.is_null() ? b.column(4).AppendNull() : b.column(4).AppendTimestamp(ts.get<int64_t>());
  const Json& tags = row.value("tags", Json());
  if (tags.is_null()) {
    b.column(5).AppendNull();
  } else {
    b.column(5).BeginList();
    for (const Json& t : tags) {
      b.column(5).child().AppendString(t.get<std::string>());
    }
    b.column(5).EndList();
  }
  // price: cents, as the minimal big-endian two's complement of the unscaled value.
  const Json& cents = row.value("price_cents", Json());
  if (cents.is_null()) {
    b.column(6).AppendNull();
  } else {
    int64_t v = cents.get<int64_t>();
    std::string bytes;
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes += static_cast<char>((v >> shift) & 0xff);
    }
    size_t start = 0;
    while (start + 1 < bytes.size() &&
           ((bytes[start] == 0 && (bytes[start + 1] & 0x80) == 0) ||
            (bytes[start] == '\xff' && (bytes[start + 1] & 0x80) != 0))) {
      ++start;
    }
    std::string minimal = bytes.substr(start);
    b.column(6).AppendDecimal(AsBytes(minimal), 2);
  }
}

// The partition value of a row, and a name for its folder.
std::pair<Literal, std::string> PartitionOf(const std::string& partition, const Json& row) {
  if (partition == "identity:category") {
    const Json& v = row.value("category", Json());
    if (v.is_null()) return {Literal::Null(), "category=null"};
    return {Literal::Bytes(v.get<std::string>()), "category=" + v.get<std::string>()};
  }
  const Json& v = row.value("day", Json());
  if (v.is_null()) return {Literal::Null(), "day_day=null"};
  return {Literal::Int(v.get<int32_t>()), "day_day=" + std::to_string(v.get<int32_t>())};
}

int WriteTable(const std::string& location, const std::string& rows_path,
               const std::string& partition, int num_snapshots, size_t row_group_rows) {
  std::vector<Json> rows;
  std::ifstream in(rows_path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) rows.push_back(Json::parse(line));
  }
  PartitionSpec spec;
  if (partition == "identity:category") {
    spec.fields = {{2, 1000, "category", {Transform::Kind::kIdentity, 0}}};
  } else if (partition == "day:day") {
    spec.fields = {{3, 1000, "day_day", {Transform::Kind::kDay, 0}}};
  } else if (partition != "none") {
    Fail("unknown --partition " + partition);
  }
  Schema schema = TableSchema();
  TableMetadata metadata = Check(MakeNewTableMetadata(location, schema, spec), "new table");
  std::string metadata_location = NextMetadataLocation(metadata);
  Check(WriteTableMetadata(metadata, metadata_location), "write metadata");

  Json files = Json::array();
  std::vector<ManifestFile> manifests;
  int64_t total_records = 0, total_files = 0, total_size = 0;
  size_t per_snapshot = (rows.size() + num_snapshots - 1) / std::max(num_snapshots, 1);
  for (int s = 0; s < num_snapshots; ++s) {
    size_t begin = std::min(rows.size(), s * per_snapshot);
    size_t end = std::min(rows.size(), begin + per_snapshot);
    // Rows grouped by partition, in input order (std::map orders the folders).
    std::map<std::string, std::pair<Literal, std::vector<const Json*>>> groups;
    for (size_t i = begin; i < end; ++i) {
      auto [value, name] = PartitionOf(partition, rows[i]);
      auto& group = groups[partition == "none" ? "" : name];
      group.first = value;
      group.second.push_back(&rows[i]);
    }
    int64_t snapshot_id = NewSnapshotId();
    std::string commit = NewUuid();
    std::string manifest_location =
        JoinLocation(location, "metadata/" + commit + "-m0.avro");
    ManifestWriterOptions options{.schema = schema, .spec = spec, .snapshot_id = snapshot_id};
    std::vector<ManifestEntry> entries;
    std::vector<DataFile> added_files;
    int64_t added_records = 0, added_size = 0;
    int file_number = 0;
    for (auto& [folder, group] : groups) {
      std::string dir = JoinLocation(location, folder.empty() ? "data" : "data/" + folder);
      std::string file_location = JoinLocation(
          dir, std::to_string(file_number++) + "-" + commit + ".parquet");
      std::string path = Check(LocalPath(file_location), "path");
      std::string mkdir = "mkdir -p '" + Check(LocalPath(dir), "path") + "'";
      if (std::system(mkdir.c_str()) != 0) Fail("mkdir failed: " + dir);
      formats::parquet::WriterOptions writer_options;
      writer_options.mapping.timestamp_unit = formats::parquet::TimeUnit::kMicros;
      writer_options.row_group_rows = row_group_rows;
      auto sink = Check(formats::FileOutputStream::Open(path), "open data file");
      auto writer = Check(formats::parquet::ParquetWriter::Make(DataSchema(), std::move(sink),
                                                                 writer_options),
                          "parquet writer");
      data::BatchBuilder builder(DataSchema(), 64);
      for (const Json* row : group.second) {
        AppendRow(builder, *row);
        if (builder.num_rows() == 64) {
          Check(writer->Write(Check(builder.Finish(), "batch")), "write");
        }
      }
      if (builder.num_rows() > 0) {
        Check(writer->Write(Check(builder.Finish(), "batch")), "write");
      }
      Check(writer->Close(), "close data file");
      DataFile file = Check(ParquetMetrics(*writer->metadata(), schema), "metrics");
      file.file_path = file_location;
      file.file_size_in_bytes = writer->bytes_written();
      if (partition != "none") {
        file.partition = {group.first};
      }
      added_records += file.record_count;
      added_size += file.file_size_in_bytes;
      files.push_back(file_location);
      added_files.push_back(file);
      ManifestEntry entry;
      entry.data_file = std::move(file);  // added, by the writer's snapshot
      entries.push_back(std::move(entry));
    }
    ManifestFile manifest_file = Check(
        WriteManifest(manifest_location, std::move(options), std::move(entries)), "manifest");
    manifests.insert(manifests.begin(), manifest_file);

    const Snapshot* parent = metadata.CurrentSnapshot();
    int64_t sequence_number = metadata.last_sequence_number + 1;
    std::string list_location = JoinLocation(
        location, "metadata/snap-" + std::to_string(snapshot_id) + "-1-" + commit + ".avro");
    ManifestListWriterOptions list_options{
        .snapshot_id = snapshot_id,
        .parent_snapshot_id = parent ? std::optional<int64_t>(parent->snapshot_id)
                                     : std::nullopt,
        .sequence_number = sequence_number};
    Check(WriteManifestList(list_location, list_options, manifests), "manifest list");
    for (ManifestFile& m : manifests) {
      if (m.sequence_number == kUnassignedSequenceNumber) {
        m.sequence_number = m.min_sequence_number = sequence_number;
      }
    }

    total_records += added_records;
    total_files += static_cast<int64_t>(groups.size());
    total_size += added_size;
    Snapshot snapshot;
    snapshot.snapshot_id = snapshot_id;
    snapshot.parent_snapshot_id = list_options.parent_snapshot_id;
    snapshot.sequence_number = sequence_number;
    snapshot.timestamp_ms = std::max(NowMillis(), metadata.last_updated_ms + 1);
    snapshot.manifest_list = list_location;
    snapshot.schema_id = 0;
    snapshot.summary = AppendSummary(parent, added_files);
    Check(AddSnapshot(metadata, snapshot), "add snapshot");
    metadata.metadata_log.push_back({metadata_location, metadata.last_updated_ms});
    std::string next = NextMetadataLocation(metadata, metadata_location);
    Check(WriteTableMetadata(metadata, next), "write metadata");
    metadata_location = next;
  }
  std::cout << Json{{"metadata", metadata_location}, {"files", files}}.dump() << "\n";
  return 0;
}

Json LiteralJson(const Literal& value, bool is_string) {
  switch (value.kind) {
    case Literal::Kind::kNull: return nullptr;
    case Literal::Kind::kBoolean: return value.boolean;
    case Literal::Kind::kInt: return value.int_value;
    case Literal::Kind::kLong: return value.long_value;
    case Literal::Kind::kFloat: return value.float_value;
    case Literal::Kind::kDouble: return value.double_value;
    case Literal::Kind::kBytes:
      return is_string ? Json(value.bytes) : Json("hex:" + Hex(value.bytes));
  }
  return nullptr;
}

template <typename Map>
Json HexMap(const Map& map) {
  Json out = Json::object();
  for (const auto& [k, v] : map) out[std::to_string(k)] = Hex(v);
  return out;
}

template <typename Map>
Json CountMap(const Map& map) {
  Json out = Json::object();
  for (const auto& [k, v] : map) out[std::to_string(k)] = v;
  return out;
}

Json EntryJson(const std::string& manifest, const ManifestEntry& e, const Json& partition) {
  const DataFile& f = e.data_file;
  return {{"manifest", manifest},
          {"status", static_cast<int>(e.status)},
          {"snapshot_id", e.snapshot_id ? Json(*e.snapshot_id) : Json()},
          {"sequence_number", e.sequence_number ? Json(*e.sequence_number) : Json()},
          {"file_sequence_number", e.file_sequence_number ? Json(*e.file_sequence_number) : Json()},
          {"content", static_cast<int>(f.content)},
          {"file_path", f.file_path},
          {"file_format", f.file_format},
          {"partition", partition},
          {"record_count", f.record_count},
          {"file_size_in_bytes", f.file_size_in_bytes},
          {"column_sizes", CountMap(f.column_sizes)},
          {"value_counts", CountMap(f.value_counts)},
          {"null_value_counts", CountMap(f.null_value_counts)},
          {"nan_value_counts", CountMap(f.nan_value_counts)},
          {"lower_bounds", HexMap(f.lower_bounds)},
          {"upper_bounds", HexMap(f.upper_bounds)},
          {"split_offsets", f.split_offsets},
          {"equality_ids", f.equality_ids},
          {"sort_order_id", f.sort_order_id ? Json(*f.sort_order_id) : Json()}};
}

// A manifest alone: its info and entries, partition values by kind (strings as hex).
int ReadOneManifest(const std::string& path, std::optional<int64_t> added_snapshot_id,
                    std::optional<int64_t> sequence_number) {
  ManifestFile list_entry;
  list_entry.manifest_path = path;
  list_entry.added_snapshot_id = added_snapshot_id.value_or(0);
  list_entry.sequence_number = sequence_number.value_or(0);
  auto file = Check(formats::FileInputStream::Open(Check(LocalPath(path), "path")), "open");
  auto reader = Check(ManifestReader::Open(std::move(file), path,
                                           added_snapshot_id ? &list_entry : nullptr),
                      "open manifest");
  const ManifestInfo& info = reader->info();
  Json out{{"format_version", info.format_version},
           {"content", info.content == ManifestContent::kData ? "data" : "deletes"},
           {"partition_field_ids", info.partition_field_ids},
           {"partition_spec_id", info.partition_spec_id ? Json(*info.partition_spec_id) : Json()}};
  Json entries = Json::array();
  for (const ManifestEntry& e : Check(reader->ReadAll(), "read manifest")) {
    Json partition = Json::array();
    for (const Literal& v : e.data_file.partition) partition.push_back(LiteralJson(v, false));
    entries.push_back(EntryJson(path, e, partition));
  }
  out["entries"] = entries;
  std::cout << out.dump() << "\n";
  return 0;
}

int Dump(const std::string& metadata_location, std::optional<int64_t> snapshot_id,
         std::optional<int64_t> as_of) {
  TableMetadata metadata = Check(ReadTableMetadata(metadata_location), "read metadata");
  Json out;
  out["format_version"] = metadata.format_version;
  out["table_uuid"] = metadata.table_uuid;
  out["location"] = metadata.location;
  out["current_snapshot_id"] =
      metadata.current_snapshot_id ? Json(*metadata.current_snapshot_id) : Json();
  out["round_trip"] = TableMetadataFromJson(TableMetadataToJson(metadata)).value_or(
                          TableMetadata{}) == metadata;
  Json snapshots = Json::array();
  for (const Snapshot& s : metadata.snapshots) {
    snapshots.push_back({{"snapshot_id", s.snapshot_id},
                         {"parent_id", s.parent_snapshot_id ? Json(*s.parent_snapshot_id) : Json()},
                         {"sequence_number", s.sequence_number},
                         {"timestamp_ms", s.timestamp_ms},
                         {"manifest_list", s.manifest_list},
                         {"operation", std::string(s.operation())},
                         {"summary", s.summary}});
  }
  // For each append, the summary AppendSummary makes of the files it added (as our reader
  // finds them), to set beside the writer's own.
  for (size_t i = 0; i < metadata.snapshots.size(); ++i) {
    const Snapshot& s = metadata.snapshots[i];
    if (s.operation() != "append" || s.manifest_list.empty()) continue;
    std::vector<DataFile> added;
    for (const ManifestFile& m : Check(ReadManifestList(s.manifest_list), "list")) {
      if (m.added_snapshot_id != s.snapshot_id) continue;
      for (ManifestEntry& e : Check(ReadManifest(m.manifest_path, &m), "manifest")) {
        if (e.status == ManifestEntryStatus::kAdded && e.snapshot_id == s.snapshot_id) {
          added.push_back(std::move(e.data_file));
        }
      }
    }
    const Snapshot* parent =
        s.parent_snapshot_id ? metadata.SnapshotById(*s.parent_snapshot_id) : nullptr;
    snapshots[i]["our_append_summary"] = AppendSummary(parent, added);
  }
  out["snapshots"] = snapshots;
  const Snapshot* snapshot = metadata.CurrentSnapshot();
  if (snapshot_id) {
    snapshot = metadata.SnapshotById(*snapshot_id);
    if (snapshot == nullptr) Fail("no snapshot " + std::to_string(*snapshot_id));
  } else if (as_of) {
    snapshot = Check(metadata.SnapshotAsOf(*as_of), "as of");
  }
  if (snapshot == nullptr) {
    std::cout << out.dump() << "\n";
    return 0;
  }
  out["snapshot_id"] = snapshot->snapshot_id;
  const Schema* schema = metadata.CurrentSchema();
  std::vector<ManifestFile> manifests =
      Check(ReadManifestList(snapshot->manifest_list), "read manifest list");
  Json manifests_json = Json::array();
  Json entries_json = Json::array();
  for (const ManifestFile& m : manifests) {
    Json summaries = Json::array();
    for (const PartitionFieldSummary& p : m.partitions) {
      summaries.push_back(
          {{"contains_null", p.contains_null},
           {"contains_nan", p.contains_nan ? Json(*p.contains_nan) : Json()},
           {"lower_bound", p.lower_bound ? Json(Hex(*p.lower_bound)) : Json()},
           {"upper_bound", p.upper_bound ? Json(Hex(*p.upper_bound)) : Json()}});
    }
    manifests_json.push_back({{"path", m.manifest_path},
                              {"length", m.manifest_length},
                              {"partition_spec_id", m.partition_spec_id},
                              {"content", static_cast<int>(m.content)},
                              {"sequence_number", m.sequence_number},
                              {"min_sequence_number", m.min_sequence_number},
                              {"added_snapshot_id", m.added_snapshot_id},
                              {"added_files_count", m.added_files_count},
                              {"existing_files_count", m.existing_files_count},
                              {"deleted_files_count", m.deleted_files_count},
                              {"added_rows_count", m.added_rows_count},
                              {"existing_rows_count", m.existing_rows_count},
                              {"deleted_rows_count", m.deleted_rows_count},
                              {"partitions", summaries}});
    const PartitionSpec* spec = metadata.SpecById(m.partition_spec_id);
    for (const ManifestEntry& e : Check(ReadManifest(m.manifest_path, &m), "read manifest")) {
      const DataFile& f = e.data_file;
      Json partition = Json::object();
      for (size_t i = 0; i < f.partition.size(); ++i) {
        std::string name = "field" + std::to_string(i);
        bool is_string = false;
        if (spec != nullptr && i < spec->fields.size()) {
          name = spec->fields[i].name;
          const NestedField* source = schema->FindField(spec->fields[i].source_id);
          is_string = source != nullptr && source->type->id() == TypeId::kString &&
                      spec->fields[i].transform.kind != Transform::Kind::kBucket;
        }
        partition[name] = LiteralJson(f.partition[i], is_string);
      }
      entries_json.push_back(EntryJson(m.manifest_path, e, partition));
    }
  }
  out["manifests"] = manifests_json;
  out["entries"] = entries_json;
  std::cout << out.dump() << "\n";
  return 0;
}

// Writes a manifest of `n` entries with the metrics of 10 columns, then reads it back: times.
int Bench(const std::string& dir, int n) {
  Schema schema;
  for (int i = 1; i <= 10; ++i) {
    schema.fields.push_back(NestedField::Optional(i, "c" + std::to_string(i), Type::Long()));
  }
  PartitionSpec spec;
  spec.fields = {{1, 1000, "c1", {Transform::Kind::kIdentity, 0}}};
  std::string path = dir + "/bench-m0.avro";
  std::remove(path.c_str());
  auto start = std::chrono::steady_clock::now();
  auto sink = Check(formats::FileOutputStream::Open(path), "open");
  ManifestWriterOptions options{.schema = schema, .spec = spec, .snapshot_id = 1};
  auto writer = Check(ManifestWriter::Make(std::move(sink), path, options), "writer");
  for (int i = 0; i < n; ++i) {
    DataFile f;
    f.file_path = dir + "/data/" + std::to_string(i) + "-0000-aaaa-bbbb-cccc.parquet";
    f.partition = {Literal::Long(i % 100)};
    f.record_count = 100000;
    f.file_size_in_bytes = 50 << 20;
    for (int c = 1; c <= 10; ++c) {
      f.column_sizes[c] = 5 << 20;
      f.value_counts[c] = 100000;
      f.null_value_counts[c] = 10;
      f.lower_bounds[c] = std::string(8, static_cast<char>(c));
      f.upper_bounds[c] = std::string(8, static_cast<char>(c + 1));
    }
    f.split_offsets = {4, 1 << 20};
    Check(writer->AddFile(std::move(f)), "add");
  }
  ManifestFile m = Check(writer->Close(), "close");
  auto written = std::chrono::steady_clock::now();
  auto entries = Check(ReadManifest(path, &m), "read");
  auto read = std::chrono::steady_clock::now();
  auto us = [](auto d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); };
  std::cout << Json{{"entries", entries.size()},
                    {"manifest_bytes", m.manifest_length},
                    {"write_us_per_entry", static_cast<double>(us(written - start)) / n},
                    {"read_us_per_entry", static_cast<double>(us(read - written)) / n}}
                   .dump()
            << "\n";
  return 0;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto flag = [&](const std::string& name) -> std::optional<std::string> {
    for (size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == name) return args[i + 1];
    }
    return std::nullopt;
  };
  if (args.empty()) Fail("usage: write-table ... | dump METADATA");
  if (args[0] == "write-table") {
    return WriteTable(flag("--location").value_or(""), flag("--rows").value_or(""),
                      flag("--partition").value_or("none"),
                      std::stoi(flag("--snapshots").value_or("1")),
                      std::stoul(flag("--row-group-rows").value_or("1000000")));
  }
  if (args[0] == "dump" && args.size() >= 2) {
    std::optional<int64_t> id, as_of;
    if (auto v = flag("--snapshot-id")) id = std::stoll(*v);
    if (auto v = flag("--as-of")) as_of = std::stoll(*v);
    return Dump(args[1], id, as_of);
  }
  if (args[0] == "bench" && args.size() >= 3) {
    return Bench(args[1], std::stoi(args[2]));
  }
  if (args[0] == "read-manifest" && args.size() >= 2) {
    std::optional<int64_t> snapshot, seq;
    if (auto v = flag("--added-snapshot-id")) snapshot = std::stoll(*v);
    if (auto v = flag("--sequence-number")) seq = std::stoll(*v);
    return ReadOneManifest(args[1], snapshot, seq);
  }
  Fail("unknown command " + args[0]);
}

}  // namespace
}  // namespace cqlbulk::iceberg

int main(int argc, char** argv) { return cqlbulk::iceberg::Main(argc, argv); }
