// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/iceberg/export.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <span>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/spec/partition_by.h"
#include "cqlbulk/iceberg/spec/type_mapping.h"
#include "cqlbulk/iceberg/table/commit.h"
#include "cqlbulk/ops/iceberg/partitioned_files.h"

namespace cqlbulk::ops {

Result<IcebergMode> ParseIcebergMode(std::string_view name) {
  if (name == "append") return IcebergMode::kAppend;
  if (name == "create") return IcebergMode::kCreate;
  if (name == "overwrite") return IcebergMode::kOverwrite;
  return InvalidArgument("--mode must be append, create or overwrite, not '" + std::string(name) +
                         "'");
}

std::string_view IcebergModeName(IcebergMode mode) {
  switch (mode) {
    case IcebergMode::kAppend: return "append";
    case IcebergMode::kCreate: return "create";
    case IcebergMode::kOverwrite: return "overwrite";
  }
  return "append";
}

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using iceberg::DataFile;

/// The row group of the file being written, and its dictionaries, at most (one file is
/// written at a time).
constexpr size_t kRowGroupMemory = 16 << 20;
constexpr size_t kDictionaryMemory = 32 << 20;
constexpr const char* kRunIdKey = "cqlbulk.run-id";

std::string Hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

Result<std::string> Unhex(const std::string& hex) {
  if (hex.size() % 2 != 0) return Corrupt("bad hex '" + hex + "'");
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

/// A manifest written for the export's snapshot, as the checkpoint keeps it (what the
/// manifest list will say of it).
Json ManifestJson(const iceberg::ManifestFile& m) {
  Json partitions = Json::array();
  for (const iceberg::PartitionFieldSummary& p : m.partitions) {
    Json j = {{"contains_null", p.contains_null}};
    if (p.contains_nan) j["contains_nan"] = *p.contains_nan;
    if (p.lower_bound) j["lower_bound"] = Hex(*p.lower_bound);
    if (p.upper_bound) j["upper_bound"] = Hex(*p.upper_bound);
    partitions.push_back(std::move(j));
  }
  return {{"path", m.manifest_path},
          {"length", m.manifest_length},
          {"spec_id", m.partition_spec_id},
          {"files", m.added_files_count},
          {"rows", m.added_rows_count},
          {"partitions", std::move(partitions)}};
}

Result<iceberg::ManifestFile> ManifestFromJson(const Json& j, int64_t snapshot_id) {
  if (!j.is_object() || !j.contains("path") || !j.contains("files")) {
    return Corrupt("bad manifest in the checkpoint: " + j.dump());
  }
  iceberg::ManifestFile m;
  m.manifest_path = j.at("path").get<std::string>();
  m.manifest_length = j.value("length", int64_t{0});
  m.partition_spec_id = j.value("spec_id", 0);
  m.added_snapshot_id = snapshot_id;
  m.added_files_count = j.value("files", 0);
  m.added_rows_count = j.value("rows", int64_t{0});
  for (const Json& p : j.value("partitions", Json::array())) {
    iceberg::PartitionFieldSummary summary;
    summary.contains_null = p.value("contains_null", false);
    if (p.contains("contains_nan")) summary.contains_nan = p.at("contains_nan").get<bool>();
    if (p.contains("lower_bound")) {
      CQLBULK_ASSIGN_OR_RETURN(summary.lower_bound, Unhex(p.at("lower_bound").get<std::string>()));
    }
    if (p.contains("upper_bound")) {
      CQLBULK_ASSIGN_OR_RETURN(summary.upper_bound, Unhex(p.at("upper_bound").get<std::string>()));
    }
    m.partitions.push_back(std::move(summary));
  }
  return m;
}

/// What the export keeps of a finished file once a manifest holds it: what the snapshot
/// summary counts and the checkpoint lists, without the metrics.
DataFile Listed(DataFile f) {
  DataFile listed;
  listed.file_path = std::move(f.file_path);
  listed.partition = std::move(f.partition);
  listed.record_count = f.record_count;
  listed.file_size_in_bytes = f.file_size_in_bytes;
  return listed;
}

/// Whether two types are the same but for their field ids.
bool SameShape(const iceberg::Type& a, const iceberg::Type& b) {
  if (a.id() != b.id() || a.precision() != b.precision() || a.scale() != b.scale() ||
      a.length() != b.length() || a.fields().size() != b.fields().size()) {
    return false;
  }
  for (size_t i = 0; i < a.fields().size(); ++i) {
    const auto& fa = a.fields()[i];
    const auto& fb = b.fields()[i];
    if (fa.name != fb.name || fa.required != fb.required || !SameShape(*fa.type, *fb.type)) {
      return false;
    }
  }
  return true;
}

bool HasDuration(const data::LogicalType& type) {
  if (type.kind() == data::TypeKind::kDuration) return true;
  return std::any_of(type.fields().begin(), type.fields().end(),
                     [](const data::Field& f) { return HasDuration(*f.type); });
}

/// `type` (a column's data type, of the shape of `table`: SameShape of their Iceberg forms)
/// with the field ids of the table's column in its nested fields.
data::LogicalTypePtr WithTableIds(const data::LogicalTypePtr& type, const iceberg::Type& table) {
  using data::LogicalType;
  using data::TypeKind;
  auto child = [](data::Field field, const iceberg::NestedField& theirs) {
    field.field_id = theirs.id;
    field.type = WithTableIds(field.type, *theirs.type);
    return field;
  };
  switch (type->kind()) {
    case TypeKind::kStruct: {
      std::vector<data::Field> fields = type->fields();
      for (size_t i = 0; i < fields.size(); ++i) fields[i] = child(fields[i], table.fields()[i]);
      return LogicalType::Struct(std::move(fields), type->name());
    }
    case TypeKind::kList: return LogicalType::List(child(type->element(), table.fields()[0]));
    case TypeKind::kSet: return LogicalType::Set(child(type->element(), table.fields()[0]));
    case TypeKind::kVector:
      return LogicalType::Vector(child(type->element(), table.fields()[0]), type->dimension());
    case TypeKind::kMap:
      return LogicalType::Map(child(type->key(), table.fields()[0]),
                              child(type->value(), table.fields()[1]));
    default: return type;
  }
}

/// Finds the field `id` among `fields` (Iceberg's) and `columns` (the rows', in the same order),
/// through structs: appends its path to `source`.
bool FindSource(std::span<const iceberg::NestedField> fields,
                std::span<const data::Field> columns, int32_t id, PartitionSource& source) {
  for (size_t i = 0; i < fields.size() && i < columns.size(); ++i) {
    source.path.push_back(i);
    if (fields[i].id == id) {
      source.type = fields[i].type;
      return true;
    }
    // A duration is a struct in Iceberg, one value in the rows: its parts cannot be sources.
    if (fields[i].type->id() == iceberg::TypeId::kStruct &&
        columns[i].type->kind() == data::TypeKind::kStruct &&
        FindSource(fields[i].type->fields(), columns[i].type->fields(), id, source)) {
      return true;
    }
    source.path.pop_back();
  }
  return false;
}

}  // namespace

struct IcebergExport::State {
  const UnloadOptions* options = nullptr;
  RunDirectory* run = nullptr;
  std::unique_ptr<iceberg::Catalog> catalog;
  iceberg::TableIdentifier id;
  std::string run_id;
  std::string location;
  bool table_existed = false;
  iceberg::Schema schema;  ///< the fields the files hold, with the table's ids
  iceberg::PartitionSpec spec;
  iceberg::Schema table_schema;  ///< the table's (or the new table's) whole schema
  data::SchemaPtr data_schema;   ///< rows as written: the field ids of `schema`
  std::optional<iceberg::NewTableOptions> create;
  std::unique_ptr<PartitionedFiles> files;  ///< the epoch's
  std::vector<std::pair<size_t, int64_t>> pending;  ///< ranges in the epoch's files
  /// The snapshot the export commits: its manifests are written for it as epochs end.
  int64_t snapshot_id = 0;
  std::vector<iceberg::ManifestFile> manifests;  ///< a manifest per completed epoch
  /// Finished in completed epochs, as Listed() keeps them (their manifests hold the metrics).
  std::vector<DataFile> done_files;
  uint64_t bytes_finished = 0;

  /// Writes `files` (finished) into a manifest of their own in the table's metadata folder, for
  /// the export's snapshot, and keeps them without their metrics: memory and checkpoints stay
  /// small however many files an export writes. The commit lists the manifests.
  Status AddManifest(std::vector<DataFile> files) {
    if (files.empty()) return {};
    const std::string metadata = iceberg::JoinLocation(location, "metadata");
    CQLBULK_ASSIGN_OR_RETURN(std::string dir, iceberg::LocalPath(metadata));
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return IoError("cannot create " + dir + ": " + ec.message());
    std::vector<iceberg::ManifestEntry> entries(files.size());
    for (size_t i = 0; i < files.size(); ++i) entries[i].data_file = files[i];
    CQLBULK_ASSIGN_OR_RETURN(
        iceberg::ManifestFile manifest,
        iceberg::WriteManifest(
            iceberg::JoinLocation(metadata, ManifestPrefix() + std::to_string(manifests.size() + 1) +
                                                ".avro"),
            {.schema = schema, .spec = spec, .snapshot_id = snapshot_id}, std::move(entries)));
    manifests.push_back(std::move(manifest));
    for (DataFile& f : files) done_files.push_back(Listed(std::move(f)));
    return {};
  }

  /// The names of the export's manifests start with it.
  std::string ManifestPrefix() const { return run_id + "-m"; }

  /// Removes the interrupted run's data files and manifests that its checkpoint does not list
  /// (from the epoch it was in: never committed, as the commit follows the last checkpoint).
  Status RemoveUnlisted() {
    std::set<std::string> keep;
    for (const DataFile& f : done_files) {
      if (auto p = iceberg::LocalPath(f.file_path); p.has_value()) keep.insert(*p);
    }
    for (const iceberg::ManifestFile& m : manifests) {
      if (auto p = iceberg::LocalPath(m.manifest_path); p.has_value()) keep.insert(*p);
    }
    for (const auto& [folder, prefix] : {std::pair<std::string, std::string>{"data", run_id + "-"},
                                         {"metadata", ManifestPrefix()}}) {
      CQLBULK_ASSIGN_OR_RETURN(std::string dir,
                               iceberg::LocalPath(iceberg::JoinLocation(location, folder)));
      std::error_code ec;
      if (!fs::exists(dir, ec)) continue;
      for (auto it = fs::recursive_directory_iterator(dir, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!it->is_regular_file() || name.rfind(prefix, 0) != 0) continue;
        if (keep.count(it->path().string()) != 0) continue;
        std::error_code rm;
        fs::remove(it->path(), rm);
        run->Log("resume: removed " + it->path().string() +
                 " (not finished by the interrupted run)");
      }
    }
    return {};
  }
};

IcebergExport::IcebergExport(std::unique_ptr<State> state) : state_(std::move(state)) {}
IcebergExport::~IcebergExport() = default;

Result<std::unique_ptr<IcebergExport>> IcebergExport::Open(const UnloadOptions& options,
                                                           data::SchemaPtr schema,
                                                           std::vector<std::string> primary_key,
                                                           RunDirectory& run,
                                                           const Json* checkpoint) {
  auto state = std::make_unique<State>();
  State& s = *state;
  s.options = &options;
  s.run = &run;
  const IcebergExportOptions& ice = options.iceberg;
  if (ice.table.table.empty()) {
    return InvalidArgument("unload --format iceberg needs --iceberg-table NS.TABLE");
  }
  CQLBULK_ASSIGN_OR_RETURN(s.id, iceberg::TableIdentifier::Parse(ice.table.table));
  CQLBULK_ASSIGN_OR_RETURN(s.catalog, OpenIcebergCatalog(ice.table));
  s.run_id = checkpoint != nullptr ? checkpoint->value("run_id", "") : iceberg::NewUuid();
  if (s.run_id.empty()) return Corrupt(run.checkpoint_path() + ": no Iceberg run id");
  // A checkpoint of an older cqlbulk has no snapshot id (and no manifests): a new one.
  s.snapshot_id = checkpoint != nullptr ? checkpoint->value("snapshot_id", int64_t{0}) : 0;
  if (s.snapshot_id == 0) s.snapshot_id = iceberg::NewSnapshotId();
  if (checkpoint != nullptr) {
    const std::string table = checkpoint->value("table", "");
    const std::string mode = checkpoint->value("mode", "");
    if (table != s.id.ToString() || mode != IcebergModeName(ice.mode)) {
      return InvalidArgument("cannot resume " + run.path() + ": it exported to Iceberg table " +
                             table + " (--mode " + mode + "), this run asks for " +
                             s.id.ToString() + " (--mode " +
                             std::string(IcebergModeName(ice.mode)) +
                             ") (resume with the same options)");
    }
  }

  iceberg::TypeMappingOptions mapping_options;
  const formats::parquet::TypeMapping& pm = options.parquet.mapping;
  mapping_options.time_as_time = pm.time_unit == formats::parquet::TimeUnit::kMicros;
  mapping_options.decimal_precision = pm.decimal_precision;
  mapping_options.decimal_scale = pm.decimal_scale;
  mapping_options.varint_as_decimal = pm.big_integer_as_decimal;
  CQLBULK_ASSIGN_OR_RETURN(iceberg::IcebergMapping mapping,
                           iceberg::MapToIceberg(*schema, primary_key, mapping_options));
  for (const std::string& c : mapping.key_columns_not_identifiers) {
    run.Log("warning: key column " + c + " cannot be an Iceberg identifier field");
  }

  Result<iceberg::Table> existing = iceberg::LoadTable(*s.catalog, s.id);
  if (!existing.has_value() && existing.error().code() != ErrorCode::kNotFound) {
    return Unexpected(existing.error());
  }
  data::Schema data_schema = mapping.data_schema;
  if (existing.has_value() && !(ice.mode == IcebergMode::kCreate && checkpoint != nullptr)) {
    if (ice.mode == IcebergMode::kCreate) {
      return AlreadyExists("Iceberg table " + s.id.ToString() +
                           " already exists (--mode create); use --mode append or overwrite");
    }
    s.table_existed = true;
    const iceberg::TableMetadata& m = existing->metadata;
    s.location = m.location;
    s.table_schema = *m.CurrentSchema();
    s.spec = *m.DefaultSpec();
    // Every unloaded column must be in the table, by name, with the mapped type; the files
    // are written with the table's field ids.
    s.schema.schema_id = s.table_schema.schema_id;
    for (size_t i = 0; i < mapping.schema.fields.size(); ++i) {
      const iceberg::NestedField& ours = mapping.schema.fields[i];
      const iceberg::NestedField* theirs = nullptr;
      for (const auto& f : s.table_schema.fields) {
        if (f.name == ours.name) theirs = &f;
      }
      if (theirs == nullptr) {
        return InvalidArgument("Iceberg table " + s.id.ToString() + " has no column '" +
                               ours.name + "' (its columns must hold every unloaded column)");
      }
      if (!SameShape(*ours.type, *theirs->type)) {
        return InvalidArgument("column '" + ours.name + "' of Iceberg table " + s.id.ToString() +
                               " is a " + theirs->type->ToString() + ", the unloaded column maps to " +
                               ours.type->ToString());
      }
      if (!ours.type->is_primitive() && !(*ours.type == *theirs->type)) {
        // The table numbered its nested fields otherwise (another column order, or another
        // tool): the files carry the table's ids.
        data_schema.fields[i].type = WithTableIds(data_schema.fields[i].type, *theirs->type);
      }
      if (theirs->required && !ours.required) {
        return InvalidArgument("column '" + ours.name + "' of Iceberg table " + s.id.ToString() +
                               " is required, but the unloaded column may be null");
      }
      iceberg::NestedField written = *theirs;
      written.required = ours.required || theirs->required;
      s.schema.fields.push_back(written);
      data_schema.fields[i].field_id = theirs->id;
    }
    // A duration's three fields are numbered by the Parquet writer, after the file's highest
    // id: they match the table's only when the table numbers every column as we do.
    for (size_t i = 0; i < data_schema.fields.size(); ++i) {
      if (HasDuration(*data_schema.fields[i].type) && !(data_schema == mapping.data_schema)) {
        return Unimplemented("column '" + data_schema.fields[i].name + "' holds a duration, and "
                             "Iceberg table " + s.id.ToString() + " numbers its fields otherwise "
                             "than a table made by cqlbulk from these columns: appending to it "
                             "is not supported");
      }
    }
    for (const auto& f : s.table_schema.fields) {
      bool unloaded = std::any_of(s.schema.fields.begin(), s.schema.fields.end(),
                                  [&](const auto& w) { return w.id == f.id; });
      if (f.required && !unloaded) {
        return InvalidArgument("Iceberg table " + s.id.ToString() + " requires column '" + f.name +
                               "', which is not unloaded");
      }
    }
    if (!ice.partition_by.empty()) {
      CQLBULK_ASSIGN_OR_RETURN(iceberg::PartitionSpec wanted,
                               iceberg::ParsePartitionBy(ice.partition_by, s.table_schema));
      bool same = wanted.fields.size() == s.spec.fields.size();
      for (size_t i = 0; same && i < wanted.fields.size(); ++i) {
        same = wanted.fields[i].source_id == s.spec.fields[i].source_id &&
               wanted.fields[i].transform == s.spec.fields[i].transform;
      }
      if (!same) {
        return InvalidArgument("--partition-by '" + ice.partition_by + "' is not how Iceberg table " +
                               s.id.ToString() + " is partitioned (its spec " +
                               std::to_string(s.spec.spec_id) +
                               "): leave --partition-by out for an existing table");
      }
    }
  } else {
    if (ice.table.warehouse.empty()) {
      return InvalidArgument("Iceberg table " + s.id.ToString() +
                             " does not exist: --warehouse is needed to create it");
    }
    std::string warehouse = fs::absolute(ice.table.warehouse).lexically_normal().string();
    s.location = checkpoint != nullptr && checkpoint->contains("location")
                     ? (*checkpoint)["location"].get<std::string>()
                     : iceberg::DefaultTableLocation(warehouse, s.id);
    s.schema = mapping.schema;
    s.table_schema = mapping.schema;
    CQLBULK_ASSIGN_OR_RETURN(s.spec, iceberg::ParsePartitionBy(ice.partition_by, s.schema));
    s.create = iceberg::NewTableOptions{.location = s.location, .schema = s.schema,
                                        .spec = s.spec, .properties = {}};
  }
  s.data_schema = std::make_shared<const data::Schema>(std::move(data_schema));

  PartitionedFiles::Options files;
  files.location = s.location;
  files.run_id = s.run_id;
  files.schema = s.schema;
  files.spec = s.spec;
  files.data_schema = s.data_schema;
  // The partition fields' sources: unloaded columns, or fields of their structs (UDTs, tuples).
  for (const iceberg::PartitionField& pf : s.spec.fields) {
    PartitionSource source;
    if (!FindSource(s.schema.fields, s.data_schema->fields, pf.source_id, source)) {
      return InvalidArgument("partition field " + pf.name + " of Iceberg table " +
                             s.id.ToString() + " comes from a column that is not unloaded (or "
                             "is in a list, a map or a duration): its values cannot be computed");
    }
    files.partition_sources.push_back(std::move(source));
  }

  files.writer = options.parquet;
  files.writer.mapping = mapping.parquet;
  files.writer.key_value_metadata.push_back({"cqlbulk.run-id", s.run_id});
  // All the files are written on one strand: one compressor (a ZSTD context is hundreds of
  // KiB) serves them all.
  CQLBULK_ASSIGN_OR_RETURN(files.writer.compressor, formats::parquet::MakeCompressor(files.writer));
  files.memory_bytes = ice.partition_memory;
  // One file is written at a time (a partitioned table's at the epoch's end).
  files.writer.row_group_bytes = std::min(files.writer.row_group_bytes, kRowGroupMemory);
  files.writer.dictionary_page_bytes = std::clamp<size_t>(
      kDictionaryMemory / 5 / std::max<size_t>(1, s.data_schema->num_fields()), size_t{16} << 10,
      files.writer.dictionary_page_bytes);

  if (checkpoint != nullptr) {
    // The files written so far carry the field ids of then: the table must still have them.
    Json ids = Json::object();
    for (const auto& f : s.schema.fields) ids[f.name] = f.id;
    if (checkpoint->value("field_ids", Json::object()) != ids) {
      return InvalidArgument("cannot resume: Iceberg table " + s.id.ToString() +
                             " changed since the interrupted run (its field ids were " +
                             checkpoint->value("field_ids", Json::object()).dump() + ", now " +
                             ids.dump() + ")");
    }
    files.next_file = checkpoint->value("next_file", 1);
    if (!checkpoint->contains("manifests")) {
      return InvalidArgument("cannot resume: " + run.checkpoint_path() + " was written by an "
                             "older cqlbulk (its Iceberg files are in no manifest); run the "
                             "export again");
    }
    // The finished files are those of the listed manifests; each must be there, whole.
    for (const Json& j : checkpoint->at("manifests")) {
      CQLBULK_ASSIGN_OR_RETURN(iceberg::ManifestFile manifest, ManifestFromJson(j, s.snapshot_id));
      CQLBULK_ASSIGN_OR_RETURN(std::vector<iceberg::ManifestEntry> entries,
                               iceberg::ReadManifest(manifest.manifest_path, &manifest));
      for (iceberg::ManifestEntry& e : entries) {
        CQLBULK_ASSIGN_OR_RETURN(std::string path, iceberg::LocalPath(e.data_file.file_path));
        std::error_code ec;
        const auto size = fs::file_size(path, ec);
        if (ec || static_cast<int64_t>(size) != e.data_file.file_size_in_bytes) {
          return Corrupt("cannot resume: " + path + ", finished by the interrupted run, is " +
                         (ec ? "missing" : std::to_string(size) + " bytes long, not " +
                                               std::to_string(e.data_file.file_size_in_bytes)));
        }
        s.bytes_finished += size;
        s.done_files.push_back(Listed(std::move(e.data_file)));
      }
      s.manifests.push_back(std::move(manifest));
    }
    CQLBULK_RETURN_IF_ERROR(s.RemoveUnlisted());
  }
  s.files = std::make_unique<PartitionedFiles>(std::move(files), run);
  run.Log("iceberg: table " + s.id.ToString() + (s.table_existed ? " (exists)" : " (new)") +
          " at " + s.location + ", run id " + s.run_id);
  return std::unique_ptr<IcebergExport>(new IcebergExport(std::move(state)));
}

Status IcebergExport::WriteRange(std::vector<data::Batch> batches) {
  return state_->files->Write(std::move(batches));
}

void IcebergExport::AddPending(size_t index, int64_t rows) {
  state_->pending.emplace_back(index, rows);
}

bool IcebergExport::EpochFull() const {
  const State& s = *state_;
  return s.files->bytes() >=
         static_cast<uint64_t>(std::max<int64_t>(1, s.options->iceberg.checkpoint_bytes));
}

Result<std::vector<std::pair<size_t, int64_t>>> IcebergExport::EndEpoch() {
  State& s = *state_;
  CQLBULK_ASSIGN_OR_RETURN(std::vector<DataFile> files, s.files->FinishAll());
  for (const DataFile& f : files) s.bytes_finished += static_cast<uint64_t>(f.file_size_in_bytes);
  CQLBULK_RETURN_IF_ERROR(s.AddManifest(std::move(files)));
  return std::exchange(s.pending, {});
}

Json IcebergExport::CheckpointJson() const {
  const State& s = *state_;
  Json manifests = Json::array();
  for (const iceberg::ManifestFile& m : s.manifests) manifests.push_back(ManifestJson(m));
  Json ids = Json::object();
  for (const auto& f : s.schema.fields) ids[f.name] = f.id;
  return {{"run_id", s.run_id},
          {"snapshot_id", s.snapshot_id},
          {"manifests", manifests},
          {"table", s.id.ToString()},
          {"field_ids", ids},
          {"mode", std::string(IcebergModeName(s.options->iceberg.mode))},
          {"location", s.location},
          {"next_file", s.files->next_file()}};
}

Result<IcebergExportResult> IcebergExport::Commit() {
  State& s = *state_;
  iceberg::CommitOptions options;
  options.operation = s.options->iceberg.mode == IcebergMode::kOverwrite
                          ? iceberg::CommitOperation::kOverwrite
                          : iceberg::CommitOperation::kAppend;
  options.summary_properties = {{kRunIdKey, s.run_id}};
  options.once_key = {{kRunIdKey, s.run_id}};
  options.create = s.create;
  options.must_create = s.options->iceberg.mode == IcebergMode::kCreate;
  options.snapshot_id = s.snapshot_id;
  options.manifests = s.manifests;
  CQLBULK_ASSIGN_OR_RETURN(iceberg::CommitResult committed,
                           iceberg::CommitFiles(*s.catalog, s.id, s.done_files, s.schema, s.spec,
                                                options));
  IcebergExportResult result;
  result.table = s.id.ToString();
  result.metadata_location = committed.table.metadata_location;
  result.snapshot_id = committed.snapshot_id;
  result.data_files = static_cast<int64_t>(s.done_files.size());
  for (const DataFile& f : s.done_files) result.rows += f.record_count;
  result.commit_attempts = committed.attempts;
  result.created = committed.created;
  result.already_committed = committed.already_committed;
  s.run->Log("iceberg: " + std::string(committed.already_committed ? "found committed" : "committed") +
             " snapshot " + std::to_string(committed.snapshot_id) + " of " + result.table + " (" +
             std::to_string(result.data_files) + " data files, " + std::to_string(result.rows) +
             " rows, " + std::to_string(committed.attempts) + " attempt(s)); metadata " +
             result.metadata_location);
  return result;
}

std::vector<std::string> IcebergExport::Abandon() {
  State& s = *state_;
  s.files->Abandon();
  std::vector<std::string> orphans;
  for (const DataFile& f : s.done_files) orphans.push_back(f.file_path);
  for (const iceberg::ManifestFile& m : s.manifests) orphans.push_back(m.manifest_path);
  for (const std::string& orphan : orphans) {
    s.run->Log("iceberg: not committed (kept for --resume; remove it otherwise): " + orphan);
  }
  return orphans;
}

std::vector<std::string> IcebergExport::file_paths() const {
  std::vector<std::string> paths;
  for (const DataFile& f : state_->done_files) paths.push_back(f.file_path);
  return paths;
}

int64_t IcebergExport::values_changed() const { return state_->files->values_changed(); }
uint64_t IcebergExport::bytes_finished() const { return state_->bytes_finished; }
const std::string& IcebergExport::table_name() const { return state_->options->iceberg.table.table; }

Result<UnloadResult> ExportToIceberg(UnloadOptions options) {
  options.format = FileFormat::kIceberg;
  return UnloadSync(std::move(options));
}

}  // namespace cqlbulk::ops
