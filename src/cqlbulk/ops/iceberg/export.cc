// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/iceberg/export.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/random_access_file.h"
#include "cqlbulk/formats/parquet/reader.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/metadata/metrics.h"
#include "cqlbulk/iceberg/spec/partition_by.h"
#include "cqlbulk/iceberg/spec/partition_path.h"
#include "cqlbulk/iceberg/spec/transform.h"
#include "cqlbulk/iceberg/spec/type_mapping.h"
#include "cqlbulk/iceberg/spec/value_literal.h"
#include "cqlbulk/iceberg/table/commit.h"

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
using iceberg::Literal;

/// The encoded row groups of the open data files together, at most (as unload's Parquet
/// workers share theirs).
constexpr size_t kRowGroupMemory = 32 << 20;
constexpr size_t kDictionaryMemory = 32 << 20;
constexpr const char* kRunIdKey = "cqlbulk.run-id";

/// A new data file (O_EXCL) whose descriptor is held only while bytes are written to it:
/// Release() closes it, and the next write opens the file again to append. So the files of
/// thousands of partitions can be written at once with a descriptor or two. Close syncs it: a
/// checkpoint or a commit that lists the file finds it whole after a crash.
class DataFileStream final : public formats::OutputStream {
 public:
  static Result<std::unique_ptr<DataFileStream>> Create(std::string path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return IoError("cannot create " + path + ": " + std::strerror(errno));
    return std::unique_ptr<DataFileStream>(new DataFileStream(std::move(path), fd));
  }
  ~DataFileStream() override {
    if (fd_ >= 0) ::close(fd_);
  }

  /// Lets the descriptor go (nothing is buffered here).
  Status Release() {
    if (fd_ < 0) return {};
    if (::close(std::exchange(fd_, -1)) != 0) {
      return IoError("cannot close " + path_ + ": " + std::strerror(errno));
    }
    return {};
  }

 protected:
  Status DoWrite(BytesView data) override {
    CQLBULK_RETURN_IF_ERROR(Hold());
    const uint8_t* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return IoError("cannot write " + path_ + ": " + std::strerror(errno));
      p += n;
      left -= static_cast<size_t>(n);
    }
    return {};
  }
  Status DoFlush() override { return {}; }
  Status DoClose() override {
    CQLBULK_RETURN_IF_ERROR(Hold());
    if (::fsync(fd_) != 0) return IoError("cannot sync " + path_ + ": " + std::strerror(errno));
    return Release();
  }

 private:
  DataFileStream(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  Status Hold() {
    if (fd_ >= 0) return {};
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd_ < 0) return IoError("cannot open " + path_ + " again: " + std::strerror(errno));
    return {};
  }

  std::string path_;
  int fd_ = -1;
};

/// Appends row `row` of `src` to `dst` (same layout; the field ids may differ).
void CopyValue(const data::Column& src, size_t row, data::ColumnBuilder& dst) {
  if (src.IsNull(row)) {
    dst.AppendNull();
    return;
  }
  using data::TypeKind;
  switch (src.kind()) {
    case TypeKind::kBoolean: dst.AppendBoolean(src.Boolean(row)); return;
    case TypeKind::kInt8: dst.AppendInt8(src.Int8(row)); return;
    case TypeKind::kInt16: dst.AppendInt16(src.Int16(row)); return;
    case TypeKind::kInt32: dst.AppendInt32(src.Int32(row)); return;
    case TypeKind::kInt64: dst.AppendInt64(src.Int64(row)); return;
    case TypeKind::kFloat32: dst.AppendFloat32(src.Float32(row)); return;
    case TypeKind::kFloat64: dst.AppendFloat64(src.Float64(row)); return;
    case TypeKind::kDate: dst.AppendDate(src.Date(row)); return;
    case TypeKind::kTime: dst.AppendTime(src.Time(row)); return;
    case TypeKind::kTimestamp: dst.AppendTimestamp(src.Timestamp(row)); return;
    case TypeKind::kDuration: {
      data::DurationValue d = src.Duration(row);
      dst.AppendDuration(d.months, d.days, d.nanos);
      return;
    }
    case TypeKind::kUuid: dst.AppendUuid(src.UuidBytes(row).data()); return;
    case TypeKind::kString:
    case TypeKind::kBinary:
    case TypeKind::kBigInteger:
    case TypeKind::kInet: dst.AppendBytes(src.Bytes(row)); return;
    case TypeKind::kDecimal:
      dst.AppendDecimal(src.DecimalUnscaled(row), src.DecimalScale(row));
      return;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kVector:
    case TypeKind::kMap: {
      dst.BeginList();
      auto [begin, end] = src.ElementRange(row);
      for (size_t i = begin; i < end; ++i) CopyValue(src.child(0), i, dst.child(0));
      dst.EndList();
      return;
    }
    case TypeKind::kStruct:
      for (size_t c = 0; c < src.num_children(); ++c) CopyValue(src.child(c), row, dst.child(c));
      dst.AppendStructValid();
      return;
  }
}

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

Json LiteralJson(const Literal& v) {
  Json j = {{"kind", static_cast<int>(v.kind)}};
  switch (v.kind) {
    case Literal::Kind::kNull: break;
    case Literal::Kind::kBoolean: j["value"] = v.boolean; break;
    case Literal::Kind::kInt: j["value"] = v.int_value; break;
    case Literal::Kind::kLong: j["value"] = v.long_value; break;
    case Literal::Kind::kFloat: j["value"] = v.float_value; break;
    case Literal::Kind::kDouble: j["value"] = v.double_value; break;
    case Literal::Kind::kBytes: j["value"] = Hex(v.bytes); break;
  }
  return j;
}

Result<Literal> LiteralFromJson(const Json& j) {
  switch (static_cast<Literal::Kind>(j.value("kind", 0))) {
    case Literal::Kind::kNull: return Literal::Null();
    case Literal::Kind::kBoolean: return Literal::Boolean(j.at("value").get<bool>());
    case Literal::Kind::kInt: return Literal::Int(j.at("value").get<int32_t>());
    case Literal::Kind::kLong: return Literal::Long(j.at("value").get<int64_t>());
    case Literal::Kind::kFloat: return Literal::Float(j.at("value").get<float>());
    case Literal::Kind::kDouble: return Literal::Double(j.at("value").get<double>());
    case Literal::Kind::kBytes: {
      CQLBULK_ASSIGN_OR_RETURN(std::string bytes, Unhex(j.at("value").get<std::string>()));
      return Literal::Bytes(std::move(bytes));
    }
  }
  return Corrupt("bad partition value in the checkpoint");
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

/// A data file being written: one partition's rows of the current epoch.
struct OpenDataFile {
  std::vector<Literal> partition;
  std::string location;
  DataFileStream* stream = nullptr;  ///< the writer's sink
  std::unique_ptr<formats::parquet::ParquetWriter> writer;
  std::unique_ptr<data::BatchBuilder> builder;  ///< rows not yet encoded; null when idle
  uint64_t last_used = 0;
  size_t held = 0;       ///< held_bytes() when last accounted (State::Account)
  uint64_t written = 0;  ///< the writer's bytes_written() then

  /// Memory the file holds: its encoded row group so far and its builder's room.
  size_t held_bytes() const {
    return writer->buffered_bytes() + (builder != nullptr ? builder->capacity_bytes() : 0);
  }
};

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
  formats::parquet::WriterOptions writer_options;
  std::optional<iceberg::NewTableOptions> create;
  /// Per partition field: the source column's index in the rows and its Iceberg type.
  std::vector<std::pair<size_t, iceberg::TypePtr>> partition_sources;
  std::map<std::string, OpenDataFile> open;  ///< by partition path
  std::vector<DataFile> epoch_files;         ///< finished early (evicted) in this epoch
  std::vector<DataFile> done_files;          ///< finished in completed epochs: the checkpoint's
  std::vector<std::pair<size_t, int64_t>> pending;
  uint64_t epoch_bytes_closed = 0;
  size_t builder_bytes = 64 << 10;  ///< rows a file's builder holds before they are encoded
  uint64_t clock = 0;
  int64_t files_evicted = 0;  ///< finished early to open another partition's
  size_t held_total = 0;   ///< the open files' `held`
  uint64_t open_bytes = 0;  ///< the open files' `written` and `held`
  int next_file = 1;
  int64_t values_changed = 0;
  uint64_t bytes_finished = 0;

  Result<std::string> DataDir(const std::string& partition_path) const {
    return iceberg::LocalPath(iceberg::JoinLocation(
        location, partition_path.empty() ? "data" : "data/" + partition_path));
  }

  Status OpenFile(const std::string& key, std::vector<Literal> partition) {
    const int max_open_files = std::max(1, options->iceberg.max_open_files);
    if (open.size() >= static_cast<size_t>(max_open_files)) {
      auto lru = std::min_element(open.begin(), open.end(), [](const auto& a, const auto& b) {
        return a.second.last_used < b.second.last_used;
      });
      CQLBULK_RETURN_IF_ERROR(Finish(lru->second));
      epoch_bytes_closed += static_cast<uint64_t>(epoch_files.back().file_size_in_bytes);
      open.erase(lru);
      if (files_evicted++ == 0) {
        run->Log("iceberg: more partitions than --max-open-files (" +
                 std::to_string(max_open_files) + ") are written at once: files are finished "
                 "early, and the table gets more, smaller files");
      }
    }
    CQLBULK_ASSIGN_OR_RETURN(std::string dir, DataDir(key));
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return IoError("cannot create " + dir + ": " + ec.message());
    char name[64];
    std::snprintf(name, sizeof(name), "-%05d.parquet", next_file++);
    std::string file_name = run_id + name;
    OpenDataFile f;
    f.partition = std::move(partition);
    f.location = iceberg::JoinLocation(
        iceberg::JoinLocation(location, key.empty() ? "data" : "data/" + key), file_name);
    CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<DataFileStream> out,
                             DataFileStream::Create((fs::path(dir) / file_name).string()));
    f.stream = out.get();
    CQLBULK_ASSIGN_OR_RETURN(f.writer, formats::parquet::ParquetWriter::Make(
                                           data_schema, std::move(out), writer_options));
    CQLBULK_RETURN_IF_ERROR(f.stream->Release());
    open.emplace(key, std::move(f));
    return {};
  }

  /// Takes `f`'s sizes into the totals again, after rows went into it or out of it (each
  /// range touches a few files: the totals are kept rather than summed over every open file).
  void Account(OpenDataFile& f) {
    Forget(f);
    f.held = f.held_bytes();
    f.written = static_cast<uint64_t>(f.writer->bytes_written());
    held_total += f.held;
    open_bytes += f.written + f.held;
  }
  void Forget(OpenDataFile& f) {
    held_total -= f.held;
    open_bytes -= f.written + f.held;
    f.held = 0;
    f.written = 0;
  }

  /// The open files' pending rows and row groups share kRowGroupMemory: past it, the files
  /// holding the most write theirs out as row groups and go idle (their memory freed, their
  /// descriptor let go), open for more of their partition. Finishing them instead would leave
  /// a small file per range when ranges span many partitions.
  Status KeepWithinBudget() {
    if (held_total <= kRowGroupMemory) return {};
    std::vector<OpenDataFile*> held;
    for (auto& [key, f] : open) {
      if (f.held > 0) held.push_back(&f);
    }
    std::sort(held.begin(), held.end(), [](auto* a, auto* b) { return a->held > b->held; });
    for (OpenDataFile* f : held) {
      CQLBULK_RETURN_IF_ERROR(Flush(*f));
      CQLBULK_RETURN_IF_ERROR(f->writer->FlushRowGroup());
      CQLBULK_RETURN_IF_ERROR(f->stream->Release());
      f->builder.reset();  // made again when its partition has rows
      Account(*f);
      // Down to half: each pass writes a few large row groups rather than many small ones.
      if (held_total <= kRowGroupMemory / 2) break;
    }
    return {};
  }

  /// Encodes the rows waiting in `f`'s builder (the writer may write out a row group: the
  /// descriptor is let go again after).
  Status Flush(OpenDataFile& f) {
    if (f.builder == nullptr || f.builder->num_rows() == 0) return {};
    CQLBULK_ASSIGN_OR_RETURN(data::Batch batch, f.builder->Finish());
    CQLBULK_RETURN_IF_ERROR(f.writer->Write(batch));
    return f.stream->Release();
  }

  /// Finishes `f` into epoch_files (the caller drops it from `open`).
  Status Finish(OpenDataFile& f) {
    Forget(f);
    CQLBULK_RETURN_IF_ERROR(Flush(f));
    CQLBULK_RETURN_IF_ERROR(f.writer->Close());
    CQLBULK_ASSIGN_OR_RETURN(DataFile file, iceberg::ParquetMetrics(*f.writer->metadata(), schema));
    file.file_path = f.location;
    file.file_size_in_bytes = f.writer->bytes_written();
    file.partition = f.partition;
    values_changed += f.writer->values_changed();
    epoch_files.push_back(std::move(file));
    return {};
  }

  Status RemoveUnlisted() {
    std::map<std::string, bool> keep;
    for (const DataFile& f : done_files) {
      if (auto p = iceberg::LocalPath(f.file_path); p.has_value()) keep[*p] = true;
    }
    CQLBULK_ASSIGN_OR_RETURN(std::string data_dir, iceberg::LocalPath(
                                                       iceberg::JoinLocation(location, "data")));
    std::error_code ec;
    if (!fs::exists(data_dir, ec)) return {};
    for (auto it = fs::recursive_directory_iterator(data_dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (!it->is_regular_file() || name.rfind(run_id + "-", 0) != 0) continue;
      if (keep.count(it->path().string()) != 0) continue;
      std::error_code rm;
      fs::remove(it->path(), rm);
      run->Log("resume: removed " + it->path().string() + " (not finished by the interrupted run)");
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
        return Unimplemented("column '" + ours.name + "' of Iceberg table " + s.id.ToString() +
                             ": a nested column whose field ids differ from the mapped ones is "
                             "not supported yet");
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

  // The partition fields' sources: top-level unloaded columns.
  for (const iceberg::PartitionField& pf : s.spec.fields) {
    const iceberg::NestedField* source = nullptr;
    size_t index = 0;
    for (size_t i = 0; i < s.schema.fields.size(); ++i) {
      if (s.schema.fields[i].id == pf.source_id) {
        source = &s.schema.fields[i];
        index = i;
      }
    }
    if (source == nullptr) {
      return InvalidArgument("partition field " + pf.name + " of Iceberg table " +
                             s.id.ToString() + " comes from a column that is not unloaded (or "
                             "is nested): its values cannot be computed");
    }
    s.partition_sources.emplace_back(index, source->type);
  }

  s.writer_options = options.parquet;
  s.writer_options.mapping = mapping.parquet;
  s.writer_options.key_value_metadata.push_back({"cqlbulk.run-id", s.run_id});
  // All the files are written on one strand: one compressor (a ZSTD context is hundreds of
  // KiB) serves them all.
  CQLBULK_ASSIGN_OR_RETURN(s.writer_options.compressor,
                           formats::parquet::MakeCompressor(s.writer_options));
  const auto files = static_cast<size_t>(std::max(1, ice.max_open_files));
  s.writer_options.row_group_bytes = std::min(s.writer_options.row_group_bytes, kRowGroupMemory / 2);
  s.builder_bytes = std::max<size_t>(kRowGroupMemory / 4 / files, 16 << 10);
  s.writer_options.dictionary_page_bytes = std::clamp<size_t>(
      kDictionaryMemory / 5 / (files * std::max<size_t>(1, s.data_schema->num_fields())),
      size_t{16} << 10, s.writer_options.dictionary_page_bytes);

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
    s.next_file = checkpoint->value("next_file", 1);
    for (const Json& f : checkpoint->value("files", Json::array())) {
      std::string location = f.at("path").get<std::string>();
      CQLBULK_ASSIGN_OR_RETURN(std::string path, iceberg::LocalPath(location));
      CQLBULK_ASSIGN_OR_RETURN(auto input, formats::RandomAccessFile::Open(path));
      CQLBULK_ASSIGN_OR_RETURN(formats::parquet::FileMetaData footer,
                               formats::parquet::ReadFileMetaData(*input));
      CQLBULK_ASSIGN_OR_RETURN(DataFile file, iceberg::ParquetMetrics(footer, s.schema));
      if (file.record_count != f.value("rows", int64_t{-1})) {
        return Corrupt("cannot resume: " + path + " holds " + std::to_string(file.record_count) +
                       " rows, the checkpoint says " + std::to_string(f.value("rows", 0)));
      }
      file.file_path = location;
      file.file_size_in_bytes = static_cast<int64_t>(input->size());
      for (const Json& v : f.at("partition")) {
        CQLBULK_ASSIGN_OR_RETURN(Literal value, LiteralFromJson(v));
        file.partition.push_back(std::move(value));
      }
      s.bytes_finished += static_cast<uint64_t>(file.file_size_in_bytes);
      s.done_files.push_back(std::move(file));
    }
    CQLBULK_RETURN_IF_ERROR(s.RemoveUnlisted());
  }
  run.Log("iceberg: table " + s.id.ToString() + (s.table_existed ? " (exists)" : " (new)") +
          " at " + s.location + ", run id " + s.run_id);
  return std::unique_ptr<IcebergExport>(new IcebergExport(std::move(state)));
}

Status IcebergExport::WriteRange(std::span<const data::Batch> batches) {
  State& s = *state_;
  // The range's rows grouped by partition (a range often spans many): each group is written
  // in one go, the partitions whose files are open first, so that a range evicts as few open
  // files as it can.
  struct Group {
    std::vector<Literal> partition;
    std::vector<std::pair<uint32_t, uint32_t>> rows;  // (batch, row)
  };
  std::map<std::string, Group> groups;
  std::vector<Literal> partition(s.spec.fields.size());
  Group* group = nullptr;
  for (uint32_t b = 0; b < batches.size(); ++b) {
    const data::Batch& batch = batches[b];
    for (uint32_t row = 0; row < batch.num_rows(); ++row) {
      for (size_t p = 0; p < s.spec.fields.size(); ++p) {
        const auto& [index, type] = s.partition_sources[p];
        CQLBULK_ASSIGN_OR_RETURN(Literal value,
                                 iceberg::LiteralOfValue(batch.column(index), row, *type));
        CQLBULK_ASSIGN_OR_RETURN(partition[p],
                                 iceberg::ApplyTransform(s.spec.fields[p].transform, *type, value));
      }
      // Neighbouring rows often share their partition: its path is made once.
      if (group == nullptr || group->partition != partition) {
        std::string key;
        if (!partition.empty()) {
          CQLBULK_ASSIGN_OR_RETURN(key, iceberg::PartitionPath(s.spec, s.schema, partition));
        }
        group = &groups[key];
        group->partition = partition;
      }
      group->rows.emplace_back(b, row);
    }
  }
  std::vector<std::map<std::string, Group>::iterator> order;
  for (auto it = groups.begin(); it != groups.end(); ++it) {
    if (s.open.count(it->first) != 0) order.push_back(it);
  }
  for (auto it = groups.begin(); it != groups.end(); ++it) {
    if (s.open.count(it->first) == 0) order.push_back(it);
  }
  for (auto it : order) {
    const std::string& key = it->first;
    auto open = s.open.find(key);
    if (open == s.open.end()) {
      CQLBULK_RETURN_IF_ERROR(s.OpenFile(key, it->second.partition));
      open = s.open.find(key);
    }
    OpenDataFile& f = open->second;
    f.last_used = ++s.clock;
    // Small at first: most partitions of a range get a few rows (it grows geometrically).
    if (f.builder == nullptr) f.builder = std::make_unique<data::BatchBuilder>(s.data_schema, 16);
    for (const auto& [b, row] : it->second.rows) {
      const data::Batch& batch = batches[b];
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        CopyValue(batch.column(c), row, f.builder->column(c));
      }
      if (f.builder->num_rows() >= 4096) CQLBULK_RETURN_IF_ERROR(s.Flush(f));
    }
    // Rows wait in the builder for more of their partition (the writer encodes small batches
    // slowly), up to a share of the budget.
    if (f.builder->size_bytes() >= s.builder_bytes) CQLBULK_RETURN_IF_ERROR(s.Flush(f));
    s.Account(f);
  }
  return s.KeepWithinBudget();
}

void IcebergExport::AddPending(size_t index, int64_t rows) {
  state_->pending.emplace_back(index, rows);
}

bool IcebergExport::EpochFull() const {
  const State& s = *state_;
  return s.epoch_bytes_closed + s.open_bytes >=
         static_cast<uint64_t>(std::max<int64_t>(1, s.options->iceberg.checkpoint_bytes));
}

Result<std::vector<std::pair<size_t, int64_t>>> IcebergExport::EndEpoch() {
  State& s = *state_;
  while (!s.open.empty()) {  // each file's memory goes as soon as it is finished
    CQLBULK_RETURN_IF_ERROR(s.Finish(s.open.begin()->second));
    s.open.erase(s.open.begin());
  }
  for (DataFile& f : s.epoch_files) {
    s.bytes_finished += static_cast<uint64_t>(f.file_size_in_bytes);
    s.done_files.push_back(std::move(f));
  }
  s.epoch_files.clear();
  s.epoch_bytes_closed = 0;
  return std::exchange(s.pending, {});
}

Json IcebergExport::CheckpointJson() const {
  const State& s = *state_;
  Json files = Json::array();
  for (const DataFile& f : s.done_files) {
    Json partition = Json::array();
    for (const Literal& v : f.partition) partition.push_back(LiteralJson(v));
    files.push_back({{"path", f.file_path}, {"partition", partition}, {"rows", f.record_count}});
  }
  Json ids = Json::object();
  for (const auto& f : s.schema.fields) ids[f.name] = f.id;
  return {{"run_id", s.run_id},
          {"table", s.id.ToString()},
          {"field_ids", ids},
          {"mode", std::string(IcebergModeName(s.options->iceberg.mode))},
          {"location", s.location},
          {"next_file", s.next_file},
          {"files", files}};
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
  result.files_finished_early = s.files_evicted;
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
  for (auto& [key, f] : s.open) {
    f.writer.reset();
    if (auto p = iceberg::LocalPath(f.location); p.has_value()) {
      std::error_code ec;
      fs::remove(*p, ec);
    }
  }
  s.open.clear();
  for (const DataFile& f : s.epoch_files) {
    if (auto p = iceberg::LocalPath(f.file_path); p.has_value()) {
      std::error_code ec;
      fs::remove(*p, ec);
    }
  }
  s.epoch_files.clear();
  std::vector<std::string> orphans;
  for (const DataFile& f : s.done_files) {
    orphans.push_back(f.file_path);
    s.run->Log("iceberg: not committed (kept for --resume; remove it otherwise): " + f.file_path);
  }
  return orphans;
}

int64_t IcebergExport::values_changed() const { return state_->values_changed; }
uint64_t IcebergExport::bytes_finished() const { return state_->bytes_finished; }
const std::string& IcebergExport::table_name() const { return state_->options->iceberg.table.table; }

Result<UnloadResult> ExportToIceberg(UnloadOptions options) {
  options.format = FileFormat::kIceberg;
  return UnloadSync(std::move(options));
}

}  // namespace cqlbulk::ops
