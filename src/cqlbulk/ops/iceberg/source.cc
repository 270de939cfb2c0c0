// SPDX-License-Identifier: Apache-2.0
// The Iceberg source of `load`: a scan planned from the table's snapshot, its data files read
// by field id.
#include "cqlbulk/ops/iceberg/source.h"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "cqlbulk/core/cql_identifier.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/data/debug_string.h"
#include "cqlbulk/formats/io/random_access_file.h"
#include "cqlbulk/formats/parquet/record_reader.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/metadata/table_metadata.h"

namespace cqlbulk::ops {

namespace fs = std::filesystem;
using data::TypeKind;

Result<int64_t> ParseAsOf(const std::string& text) {
  int64_t ms = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec == std::errc() && end == text.data() + text.size()) return ms;
  std::optional<int64_t> micros = iceberg::ParseTimestampMicros(text);
  if (!micros) {
    return InvalidArgument("--as-of '" + text +
                           "' is neither milliseconds since the epoch nor a timestamp "
                           "(2024-03-01T10:00:00[.fff][Z|+hh:mm])");
  }
  // Floor to milliseconds: a snapshot at .0005 s was not yet current at .000.
  return *micros >= 0 ? *micros / 1000 : -((-*micros + 999) / 1000);
}

// ---------------------------------------------------------------------------------------------

IcebergFileReader::~IcebergFileReader() = default;

namespace {

// The reserved field ids of a position delete file's columns (spec, "Position Delete Files").
constexpr int32_t kDeleteFilePathId = 2147483546;
constexpr int32_t kDeletePosId = 2147483545;

/// The positions that `deletes` (position delete files) delete in the data file at `location`,
/// ascending and unique.
Result<std::vector<int64_t>> DeletedPositions(const std::string& location,
                                              const std::vector<iceberg::DataFile>& deletes) {
  std::vector<int64_t> positions;
  if (deletes.empty()) return positions;
  CQLBULK_ASSIGN_OR_RETURN(std::string data_path, iceberg::LocalPath(location));
  for (const iceberg::DataFile& d : deletes) {
    CQLBULK_ASSIGN_OR_RETURN(std::string path, iceberg::LocalPath(d.file_path));
    CQLBULK_ASSIGN_OR_RETURN(auto file, formats::RandomAccessFile::Open(path));
    CQLBULK_ASSIGN_OR_RETURN(formats::parquet::FileMetaData metadata,
                             formats::parquet::ReadFileMetaData(*file));
    CQLBULK_ASSIGN_OR_RETURN(formats::parquet::FileSchema schema,
                             formats::parquet::SchemaFromParquet(metadata.schema));
    auto column = [&](int32_t id, const char* name) -> std::string {
      for (const data::Field& f : schema.schema->fields) {
        if (f.field_id == id) return f.name;
      }
      return name;
    };
    formats::parquet::ReaderOptions options;
    options.columns = {column(kDeleteFilePathId, "file_path"), column(kDeletePosId, "pos")};
    for (const std::string& c : options.columns) {
      if (!schema.schema->FieldIndex(c)) {
        return Corrupt("position delete file " + path + " has no column '" + c + "'");
      }
    }
    CQLBULK_ASSIGN_OR_RETURN(auto reader,
                             formats::parquet::ParquetReader::Open(std::move(file), options));
    while (true) {
      CQLBULK_ASSIGN_OR_RETURN(std::optional<data::Batch> batch, reader->Next());
      if (!batch) break;
      const data::Column& paths = batch->column(0);
      const data::Column& pos = batch->column(1);
      if ((paths.kind() != TypeKind::kString && paths.kind() != TypeKind::kBinary) ||
          pos.kind() != TypeKind::kInt64) {
        return Corrupt("position delete file " + path + ": file_path is not a string or pos "
                       "not a long");
      }
      std::string last_location, last_path;
      for (size_t row = 0; row < batch->num_rows(); ++row) {
        if (paths.IsNull(row) || pos.IsNull(row)) {
          return Corrupt("position delete file " + path + ": row " + std::to_string(row + 1) +
                         " has a null file_path or pos");
        }
        std::string this_location(AsChars(paths.Bytes(row)));
        if (this_location != last_location) {
          CQLBULK_ASSIGN_OR_RETURN(last_path, iceberg::LocalPath(this_location));
          last_location = std::move(this_location);
        }
        if (last_path == data_path) positions.push_back(pos.Int64(row));
      }
    }
  }
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  return positions;
}

}  // namespace

Result<std::unique_ptr<IcebergFileReader>> IcebergFileReader::Make(
    const std::string& path, const iceberg::ScanTask& task, data::SchemaPtr target,
    std::vector<int32_t> field_ids, const iceberg::Expression& filter,
    const std::map<std::string, int32_t>& name_mapping, const formats::TextOptions& text) {
  std::unique_ptr<IcebergFileReader> r(new IcebergFileReader());
  Result<std::vector<int64_t>> deleted = DeletedPositions(task.file.file_path, task.position_deletes);
  if (!deleted) {
    return Error(deleted.error().code(), path + ": its delete files: " + deleted.error().message());
  }
  r->deleted_ = std::move(*deleted);
  r->path_ = path;
  r->target_ = std::move(target);
  if (filter.op != iceberg::Expression::Op::kTrue) r->filter_ = &filter;
  CQLBULK_ASSIGN_OR_RETURN(auto file, formats::RandomAccessFile::Open(path));
  r->file_size_ = file->size();
  CQLBULK_ASSIGN_OR_RETURN(formats::parquet::FileMetaData metadata,
                           formats::parquet::ReadFileMetaData(*file));
  Result<formats::parquet::FileSchema> file_schema =
      formats::parquet::SchemaFromParquet(metadata.schema);
  if (!file_schema) {
    return Error(file_schema.error().code(), path + ": " + file_schema.error().message());
  }
  // The file's top-level column of each field id (a renamed column keeps its id); a file
  // written without field ids (PyIceberg's add_files, migrated tables) by the table's name
  // mapping, as the spec's "Column Projection" says.
  const auto& columns = file_schema->schema->fields;
  const bool has_ids = std::any_of(columns.begin(), columns.end(),
                                   [](const data::Field& f) { return f.field_id.has_value(); });
  if (!has_ids && !columns.empty() && name_mapping.empty()) {
    return Unimplemented(path + " has no field ids and the table has no name mapping "
                         "(schema.name-mapping.default): its columns cannot be matched");
  }
  std::vector<std::optional<int32_t>> ids;
  for (const data::Field& f : columns) {
    if (has_ids) {
      ids.push_back(f.field_id);
    } else {
      auto it = name_mapping.find(f.name);
      ids.push_back(it == name_mapping.end() ? std::nullopt : std::optional<int32_t>(it->second));
    }
  }
  formats::parquet::ReaderOptions options;
  auto project = [&](int32_t id) -> int {
    size_t c = 0;
    while (c < columns.size() && ids[c] != id) ++c;
    if (c == columns.size()) return -1;
    const std::string& name = columns[c].name;
    auto it = std::find(options.columns.begin(), options.columns.end(), name);
    if (it == options.columns.end()) {
      options.columns.push_back(name);
      r->projected_ids_.push_back(id);
      return static_cast<int>(options.columns.size() - 1);
    }
    return static_cast<int>(it - options.columns.begin());
  };
  for (int32_t id : field_ids) r->sources_.push_back(project(id));
  // The filter's columns are read too (found by id in the batch: see EvaluateRows).
  std::vector<const iceberg::Expression*> stack{&filter};
  while (!stack.empty()) {
    const iceberg::Expression* e = stack.back();
    stack.pop_back();
    if (e->is_predicate()) project(e->field_id);
    for (const auto& c : e->children) stack.push_back(&c);
  }
  if (options.columns.empty()) {
    // Nothing the load wants is in this file: still read one column for the row count.
    if (!columns.empty()) {
      options.columns.push_back(columns[0].name);
      r->projected_ids_.push_back(-1);
    }
  }
  CQLBULK_ASSIGN_OR_RETURN(formats::ValueParser parser, formats::ValueParser::Make(text));
  r->parser_.emplace(std::move(parser));
  CQLBULK_ASSIGN_OR_RETURN(r->reader_,
                           formats::parquet::ParquetReader::Open(std::move(file), std::move(options)));
  return r;
}

int64_t IcebergFileReader::num_rows() const noexcept { return reader_->metadata().num_rows; }

Status IcebergFileReader::ConvertRow(size_t row, data::BatchBuilder& builder) {
  for (size_t i = 0; i < sources_.size(); ++i) {
    data::ColumnBuilder& out = builder.column(i);
    if (sources_[i] < 0) {
      out.AppendNull();
      continue;
    }
    const data::Column& in = batch_->column(static_cast<size_t>(sources_[i]));
    const std::string& name = batch_->schema().fields[static_cast<size_t>(sources_[i])].name;
    TypeKind s = in.kind();
    if (out.type()->kind() == TypeKind::kTime && !in.IsNull(row) &&
        (s == TypeKind::kInt64 || s == TypeKind::kInt32)) {
      // cqlbulk's export writes CQL time as an Iceberg long of nanoseconds since midnight.
      int64_t nanos = s == TypeKind::kInt64 ? in.Int64(row) : in.Int32(row);
      if (nanos < 0 || nanos >= int64_t{86'400'000'000'000}) {
        return Error(ErrorCode::kInvalidArgument,
                     name + "\n" + std::to_string(nanos) +
                         " is not a time of day in nanoseconds (0 to 86399999999999)");
      }
      out.AppendTime(nanos);
      continue;
    }
    Status converted = formats::parquet::AppendConverted(in, row, *parser_, out);
    if (!converted) {
      return Error(ErrorCode::kInvalidArgument, name + "\n" + converted.error().message());
    }
  }
  return OkStatus();
}

Result<size_t> IcebergFileReader::Read(data::BatchBuilder& builder, size_t max_records,
                                       formats::RecordInfo& info,
                                       std::vector<formats::RecordError>& errors) {
  size_t consumed = 0;
  while (consumed < max_records) {
    if (!batch_ || next_row_ == batch_->num_rows()) {
      CQLBULK_ASSIGN_OR_RETURN(batch_, reader_->Next());
      next_row_ = 0;
      if (!batch_) break;
      if (filter_ != nullptr) {
        Result<std::vector<uint8_t>> selected =
            iceberg::EvaluateRows(*filter_, *batch_, projected_ids_);
        if (!selected) {
          return Error(selected.error().code(), path_ + ": " + selected.error().message());
        }
        selected_ = std::move(*selected);
      }
    }
    size_t row = next_row_++;
    const int64_t position = consumed_;  // the row's 0-based position in the file
    ++consumed;
    ++consumed_;
    while (next_deleted_ < deleted_.size() && deleted_[next_deleted_] < position) ++next_deleted_;
    if (next_deleted_ < deleted_.size() && deleted_[next_deleted_] == position) continue;
    if (filter_ != nullptr && selected_[row] == 0) continue;  // not an error: not asked for
    size_t before = builder.num_rows();
    Status s = ConvertRow(row, builder);
    if (!s) {
      builder.Truncate(before);
      const std::string& message = s.error().message();
      size_t split = message.find('\n');
      errors.push_back(formats::RecordError{path_, 0, consumed_, message.substr(0, split),
                                            data::DebugString(*batch_, row),
                                            message.substr(split + 1)});
      continue;
    }
    info.lines.push_back(0);
    info.records.push_back(consumed_);
    info.text_end.push_back(static_cast<uint32_t>(info.text.size()));
  }
  return consumed;
}

// ---------------------------------------------------------------------------------------------

Result<std::shared_ptr<IcebergSource>> IcebergSource::Plan(
    const IcebergReadOptions& options, const std::vector<std::string>& source_fields) {
  auto source = std::make_shared<IcebergSource>();
  source->options_ = options;
  CQLBULK_ASSIGN_OR_RETURN(iceberg::TableIdentifier id,
                           iceberg::TableIdentifier::Parse(options.table.table));
  if (options.table.catalog.empty() && !options.table.warehouse.empty()) {
    // Reading: a warehouse without its catalog is a mistake (OpenIcebergCatalog would make one).
    std::error_code ec;
    fs::path db = fs::path(options.table.warehouse) / "catalog.db";
    if (!fs::exists(db, ec)) {
      return NotFound("no Iceberg catalog at " + db.string() +
                      " (--warehouse names the folder that holds catalog.db; --catalog takes "
                      "another catalog's URI)");
    }
  }
  CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<iceberg::Catalog> catalog,
                           OpenIcebergCatalog(options.table));
  CQLBULK_ASSIGN_OR_RETURN(std::string location, catalog->LoadTable(id));
  Result<iceberg::TableMetadata> metadata = iceberg::ReadTableMetadata(location);
  if (!metadata) {
    return Error(metadata.error().code(),
                 "table " + id.ToString() + ": " + metadata.error().message());
  }
  iceberg::ScanOptions scan{.table_name = id.ToString(),
                            .snapshot_id = options.snapshot_id,
                            .as_of_ms = options.as_of_ms,
                            .filter = options.filter};
  CQLBULK_ASSIGN_OR_RETURN(source->plan_, iceberg::PlanScan(*metadata, scan));
  const iceberg::Schema& schema = source->plan_.schema;
  for (const std::string& name : source_fields) {
    const iceberg::NestedField* field = nullptr;
    for (const iceberg::NestedField& f : schema.fields) {
      if (f.name == name) field = &f;
    }
    if (field == nullptr) {
      std::string names;
      for (const iceberg::NestedField& f : schema.fields) {
        names += (names.empty() ? "" : ", ") + QuoteCqlIdentifier(f.name);
      }
      return InvalidArgument("Iceberg table " + id.ToString() + " has no column " +
                             QuoteCqlIdentifier(name) + " (its columns: " + names +
                             "; --mapping column=iceberg_column maps another)");
    }
    source->field_ids_.push_back(field->id);
  }
  for (const iceberg::ScanTask& task : source->plan_.tasks) {
    if (task.file.file_format != "PARQUET" && task.file.file_format != "parquet") {
      return Unimplemented("table " + id.ToString() + ": data file " + task.file.file_path +
                           " is " + task.file.file_format + ": cqlbulk reads Parquet data files");
    }
    CQLBULK_ASSIGN_OR_RETURN(std::string path, iceberg::LocalPath(task.file.file_path));
    source->task_of_[path] = source->files_.size();
    source->files_.push_back(std::move(path));
  }
  return source;
}

IcebergScanSummary IcebergSource::Summary() const {
  return {.table = options_.table.table,
          .snapshot_id = plan_.snapshot_id,
          .filter = options_.filter,
          .manifests = plan_.manifests,
          .manifests_pruned = plan_.manifests_pruned,
          .files = plan_.files,
          .files_planned = static_cast<int64_t>(plan_.tasks.size()),
          .files_pruned = plan_.files_pruned_by_partition + plan_.files_pruned_by_metrics,
          .records_planned = plan_.records,
          .position_delete_files = plan_.position_delete_files};
}

nlohmann::ordered_json IcebergSource::CheckpointJson() const {
  using Json = nlohmann::ordered_json;
  return {{"table", options_.table.table},
          {"snapshot_id", plan_.snapshot_id ? Json(*plan_.snapshot_id) : Json(nullptr)},
          {"filter", options_.filter}};
}

Result<std::optional<int64_t>> IcebergSource::ResumedSnapshot(
    const nlohmann::ordered_json& checkpoint, const IcebergReadOptions& options,
    const std::string& run_dir) {
  if (!checkpoint.is_object() || checkpoint.value("table", "") != options.table.table ||
      checkpoint.value("filter", "") != options.filter) {
    return InvalidArgument("cannot resume " + run_dir + ": it did not load Iceberg table " +
                           options.table.table + " with filter '" + options.filter +
                           "' (resume with the same options)");
  }
  std::optional<int64_t> snapshot;
  if (checkpoint["snapshot_id"].is_number_integer()) {
    snapshot = checkpoint["snapshot_id"].get<int64_t>();
  }
  if (options.snapshot_id && options.snapshot_id != snapshot) {
    return InvalidArgument("cannot resume " + run_dir + ": it read snapshot " +
                           (snapshot ? std::to_string(*snapshot) : "none") + ", not " +
                           std::to_string(*options.snapshot_id));
  }
  return snapshot;
}

std::string IcebergSource::Describe() const {
  std::string out = "Iceberg table " + options_.table.table;
  if (!plan_.snapshot_id) return out + ": no snapshot, nothing to read";
  out += ", snapshot " + std::to_string(*plan_.snapshot_id) + ": " +
         std::to_string(plan_.tasks.size()) + " of " + std::to_string(plan_.files) +
         " data files planned (" + std::to_string(plan_.files_pruned_by_partition) +
         " pruned by partition, " + std::to_string(plan_.files_pruned_by_metrics) +
         " by column bounds), " + std::to_string(plan_.manifests_pruned) + " of " +
         std::to_string(plan_.manifests) + " manifests pruned, " +
         std::to_string(plan_.records) + " records";
  if (plan_.position_delete_files > 0) {
    out += ", " + std::to_string(plan_.position_delete_files) + " position delete files applied";
  }
  if (!options_.filter.empty()) out += ", filter " + plan_.filter.ToString();
  return out;
}

Result<std::unique_ptr<IcebergFileReader>> IcebergSource::Open(
    const std::string& path, data::SchemaPtr target, const formats::TextOptions& text) const {
  auto it = task_of_.find(path);
  if (it == task_of_.end()) {
    return InvalidArgument(path + " is not a data file of the scan of " + options_.table.table);
  }
  return IcebergFileReader::Make(path, plan_.tasks[it->second], std::move(target), field_ids_,
                                 plan_.filter, plan_.name_mapping, text);
}

}  // namespace cqlbulk::ops
