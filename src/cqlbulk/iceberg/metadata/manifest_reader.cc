// SPDX-License-Identifier: Apache-2.0
#include <charconv>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/iceberg/metadata/avro_internal.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/metadata/manifest.h"
#include "cqlbulk/iceberg/metadata/manifest_internal.h"

namespace cqlbulk::iceberg {

namespace avro = formats::avro;
using namespace internal;  // NOLINT: the field ids

namespace {

Result<int32_t> ParseInt(std::string_view text, std::string_view what) {
  int32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Corrupt(std::string(what) + " is not an integer: '" + std::string(text) + "'");
  }
  return value;
}

}  // namespace

struct ManifestReader::State {
  std::string name;
  std::unique_ptr<avro::ContainerReader> reader;
  ManifestInfo info;
  std::optional<ManifestFile> list_entry;
  std::vector<int> entry_fields;     // status, snapshot_id, sequence_number, file_seq, data_file
  std::vector<int> file_fields;      // kFileFieldIds order
  avro::NodeId data_file_node = 0;
  avro::NodeId partition_node = 0;
  uint64_t entry_index = 0;

  Result<ManifestEntry> Convert(const avro::Value& record);
};

namespace {

const std::vector<int32_t> kEntryFieldIds = {kStatus, kSnapshotId, kSequenceNumber,
                                             kFileSequenceNumber, kDataFileField};
const std::vector<int32_t> kFileFieldIds = {
    kContent,     kFilePath,       kFileFormat,     kPartition,     kRecordCount, kFileSize,
    kColumnSizes, kValueCounts,    kNullValueCounts, kNanValueCounts, kLowerBounds,
    kUpperBounds, kKeyMetadata,    kSplitOffsets,   kEqualityIds,   kSortOrderId};
enum FileIndex : size_t {
  iContent, iFilePath, iFileFormat, iPartition, iRecordCount, iFileSize, iColumnSizes,
  iValueCounts, iNullValueCounts, iNanValueCounts, iLowerBounds, iUpperBounds, iKeyMetadata,
  iSplitOffsets, iEqualityIds, iSortOrderId,
};

// map<int, T> as an array of key/value records, or an Avro map with the ids as its keys.
template <typename Put>
Status ReadIntMap(const avro::Value* value, std::string_view what, Put put) {
  if (value == nullptr) {
    return OkStatus();
  }
  if (value->kind() == avro::Value::Kind::kArray) {
    for (const avro::Value& item : value->items()) {
      if (item.kind() != avro::Value::Kind::kRecord || item.fields().size() < 2 ||
          item.fields()[0].Unwrapped().kind() != avro::Value::Kind::kInt) {
        return Corrupt(std::string(what) + ": an item is not a record {int key, value}");
      }
      CQLBULK_RETURN_IF_ERROR(put(item.fields()[0].Unwrapped().int_value(),
                                  item.fields()[1].Unwrapped()));
    }
    return OkStatus();
  }
  if (value->kind() == avro::Value::Kind::kMap) {
    for (const avro::MapEntry& entry : value->entries()) {
      CQLBULK_ASSIGN_OR_RETURN(int32_t key, ParseInt(entry.key, std::string(what) + " key"));
      CQLBULK_RETURN_IF_ERROR(put(key, entry.value.Unwrapped()));
    }
    return OkStatus();
  }
  return Corrupt(std::string(what) + " is neither an array nor a map");
}

Status ReadCounts(const avro::Value* value, std::string_view what,
                  std::map<int32_t, int64_t>& out) {
  return ReadIntMap(value, what, [&](int32_t key, const avro::Value& v) -> Status {
    if (v.kind() == avro::Value::Kind::kLong) {
      out[key] = v.long_value();
    } else if (v.kind() == avro::Value::Kind::kInt) {
      out[key] = v.int_value();
    } else {
      return Corrupt(std::string(what) + ": the count of field " + std::to_string(key) +
                     " is not a long");
    }
    return OkStatus();
  });
}

Status ReadBounds(const avro::Value* value, std::string_view what,
                  std::map<int32_t, std::string>& out) {
  return ReadIntMap(value, what, [&](int32_t key, const avro::Value& v) -> Status {
    if (v.kind() != avro::Value::Kind::kBytes) {
      return Corrupt(std::string(what) + ": the bound of field " + std::to_string(key) +
                     " is not bytes");
    }
    out[key] = std::string(v.chars());
    return OkStatus();
  });
}

Result<int64_t> LongOf(const avro::Value* value, std::string_view what) {
  if (value == nullptr) {
    return Corrupt(std::string(what) + " is missing");
  }
  if (value->kind() == avro::Value::Kind::kLong) {
    return value->long_value();
  }
  if (value->kind() == avro::Value::Kind::kInt) {
    return value->int_value();
  }
  return Corrupt(std::string(what) + " is not a long");
}

Result<int32_t> IntOf(const avro::Value* value, std::string_view what) {
  if (value == nullptr || value->kind() != avro::Value::Kind::kInt) {
    return Corrupt(std::string(what) + (value == nullptr ? " is missing" : " is not an int"));
  }
  return value->int_value();
}

Result<std::string> StringOf(const avro::Value* value, std::string_view what) {
  if (value == nullptr || (value->kind() != avro::Value::Kind::kString &&
                           value->kind() != avro::Value::Kind::kBytes)) {
    return Corrupt(std::string(what) + (value == nullptr ? " is missing" : " is not a string"));
  }
  return std::string(value->chars());
}

}  // namespace

Result<ManifestEntry> ManifestReader::State::Convert(const avro::Value& record) {
  const avro::Schema& schema = reader->writer_schema();
  ManifestEntry entry;
  CQLBULK_ASSIGN_OR_RETURN(int32_t status, IntOf(internal::FieldValue(record, entry_fields[0]),
                                                 "status"));
  if (status < 0 || status > 2) {
    return Corrupt("status " + std::to_string(status) + " is not 0, 1 or 2");
  }
  entry.status = static_cast<ManifestEntryStatus>(status);
  if (const avro::Value* v = internal::FieldValue(record, entry_fields[1])) {
    CQLBULK_ASSIGN_OR_RETURN(entry.snapshot_id, LongOf(v, "snapshot_id"));
  }
  if (const avro::Value* v = internal::FieldValue(record, entry_fields[2])) {
    CQLBULK_ASSIGN_OR_RETURN(entry.sequence_number, LongOf(v, "sequence_number"));
  }
  if (const avro::Value* v = internal::FieldValue(record, entry_fields[3])) {
    CQLBULK_ASSIGN_OR_RETURN(entry.file_sequence_number, LongOf(v, "file_sequence_number"));
  }
  const avro::Value* file = internal::FieldValue(record, entry_fields[4]);
  if (file == nullptr || file->kind() != avro::Value::Kind::kRecord) {
    return Corrupt("data_file is missing");
  }
  auto field = [&](FileIndex i) { return internal::FieldValue(*file, file_fields[i]); };
  DataFile& df = entry.data_file;
  if (const avro::Value* v = field(iContent)) {
    CQLBULK_ASSIGN_OR_RETURN(int32_t content, IntOf(v, "data_file.content"));
    if (content < 0 || content > 2) {
      return Corrupt("data_file.content " + std::to_string(content) + " is not 0, 1 or 2");
    }
    df.content = static_cast<DataFileContent>(content);
  }
  CQLBULK_ASSIGN_OR_RETURN(df.file_path, StringOf(field(iFilePath), "data_file.file_path"));
  CQLBULK_ASSIGN_OR_RETURN(df.file_format, StringOf(field(iFileFormat), "data_file.file_format"));
  if (const avro::Value* partition = field(iPartition)) {
    const avro::Node& node = schema.node(partition_node);
    if (partition->kind() != avro::Value::Kind::kRecord ||
        partition->fields().size() != node.fields.size()) {
      return Corrupt("data_file.partition is not a record of the partition struct");
    }
    for (size_t i = 0; i < node.fields.size(); ++i) {
      auto literal = internal::LiteralFromAvro(partition->fields()[i], schema, node.fields[i].type);
      if (!literal) {
        return Corrupt("data_file.partition." + node.fields[i].name + ": " +
                       literal.error().message());
      }
      df.partition.push_back(std::move(*literal));
    }
  }
  CQLBULK_ASSIGN_OR_RETURN(df.record_count, LongOf(field(iRecordCount), "data_file.record_count"));
  CQLBULK_ASSIGN_OR_RETURN(df.file_size_in_bytes,
                           LongOf(field(iFileSize), "data_file.file_size_in_bytes"));
  CQLBULK_RETURN_IF_ERROR(ReadCounts(field(iColumnSizes), "data_file.column_sizes",
                                     df.column_sizes));
  CQLBULK_RETURN_IF_ERROR(ReadCounts(field(iValueCounts), "data_file.value_counts",
                                     df.value_counts));
  CQLBULK_RETURN_IF_ERROR(ReadCounts(field(iNullValueCounts), "data_file.null_value_counts",
                                     df.null_value_counts));
  CQLBULK_RETURN_IF_ERROR(ReadCounts(field(iNanValueCounts), "data_file.nan_value_counts",
                                     df.nan_value_counts));
  CQLBULK_RETURN_IF_ERROR(ReadBounds(field(iLowerBounds), "data_file.lower_bounds",
                                     df.lower_bounds));
  CQLBULK_RETURN_IF_ERROR(ReadBounds(field(iUpperBounds), "data_file.upper_bounds",
                                     df.upper_bounds));
  if (const avro::Value* v = field(iKeyMetadata)) {
    CQLBULK_ASSIGN_OR_RETURN(df.key_metadata, StringOf(v, "data_file.key_metadata"));
  }
  if (const avro::Value* v = field(iSplitOffsets); v && v->kind() == avro::Value::Kind::kArray) {
    for (const avro::Value& item : v->items()) {
      CQLBULK_ASSIGN_OR_RETURN(int64_t offset, LongOf(&item.Unwrapped(), "split_offsets item"));
      df.split_offsets.push_back(offset);
    }
  }
  if (const avro::Value* v = field(iEqualityIds); v && v->kind() == avro::Value::Kind::kArray) {
    for (const avro::Value& item : v->items()) {
      CQLBULK_ASSIGN_OR_RETURN(int32_t id, IntOf(&item.Unwrapped(), "equality_ids item"));
      df.equality_ids.push_back(id);
    }
  }
  if (const avro::Value* v = field(iSortOrderId)) {
    CQLBULK_ASSIGN_OR_RETURN(df.sort_order_id, IntOf(v, "data_file.sort_order_id"));
  }

  // Inheritance (spec, "Sequence Number Inheritance" and "Manifest Entry Fields").
  if (list_entry) {
    if (!entry.snapshot_id) {
      entry.snapshot_id = list_entry->added_snapshot_id;
    }
    bool v1 = info.format_version == 1;
    int64_t inherited = v1 ? 0 : list_entry->sequence_number;
    if (v1 || entry.status == ManifestEntryStatus::kAdded) {
      if (!entry.sequence_number) {
        entry.sequence_number = inherited;
      }
      if (!entry.file_sequence_number) {
        entry.file_sequence_number = inherited;
      }
    }
  }
  return entry;
}

ManifestReader::ManifestReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
ManifestReader::~ManifestReader() = default;

Result<std::unique_ptr<ManifestReader>> ManifestReader::Open(
    std::unique_ptr<formats::InputStream> source, std::string name,
    const ManifestFile* list_entry) {
  auto state = std::make_unique<State>();
  state->name = name;
  if (list_entry != nullptr) {
    state->list_entry = *list_entry;
  }
  CQLBULK_ASSIGN_OR_RETURN(state->reader,
                           avro::ContainerReader::Open(std::move(source), name));
  auto corrupt = [&](std::string what) { return Corrupt("manifest " + name + ": " + what); };
  const avro::Schema& schema = state->reader->writer_schema();
  ManifestInfo& info = state->info;
  if (auto v = state->reader->FindMetadata("format-version")) {
    auto version = ParseInt(*v, "format-version");
    if (!version) {
      return corrupt(version.error().message());
    }
    info.format_version = *version;
  }
  if (auto v = state->reader->FindMetadata("content")) {
    if (*v == "deletes") {
      info.content = ManifestContent::kDeletes;
    } else if (*v != "data") {
      return corrupt("content '" + std::string(*v) + "' is neither 'data' nor 'deletes'");
    }
  }
  if (auto v = state->reader->FindMetadata("schema-id")) {
    auto id = ParseInt(*v, "schema-id");
    if (!id) {
      return corrupt(id.error().message());
    }
    info.schema_id = *id;
  }
  if (auto v = state->reader->FindMetadata("partition-spec-id")) {
    auto id = ParseInt(*v, "partition-spec-id");
    if (!id) {
      return corrupt(id.error().message());
    }
    info.partition_spec_id = *id;
  }
  info.schema_json = std::string(state->reader->FindMetadata("schema").value_or(""));
  info.partition_spec_json =
      std::string(state->reader->FindMetadata("partition-spec").value_or(""));

  const avro::Node& entry = schema.root_node();
  if (entry.type != avro::Type::kRecord) {
    return corrupt("the records are not manifest_entry records");
  }
  state->entry_fields = internal::FieldIndexes(entry, kEntryFieldIds);
  if (state->entry_fields[0] < 0 || state->entry_fields[4] < 0) {
    return corrupt("the schema has no status (field id 0) or data_file (field id 2)");
  }
  state->data_file_node = internal::FieldNode(schema, entry, state->entry_fields[4]);
  const avro::Node& data_file = schema.node(state->data_file_node);
  if (data_file.type != avro::Type::kRecord) {
    return corrupt("data_file is not a record");
  }
  state->file_fields = internal::FieldIndexes(data_file, kFileFieldIds);
  for (FileIndex required : {iFilePath, iFileFormat, iRecordCount, iFileSize}) {
    if (state->file_fields[required] < 0) {
      return corrupt("data_file has no field with id " +
                     std::to_string(kFileFieldIds[required]));
    }
  }
  if (state->file_fields[iPartition] >= 0) {
    state->partition_node =
        internal::FieldNode(schema, data_file, state->file_fields[iPartition]);
    const avro::Node& partition = schema.node(state->partition_node);
    if (partition.type != avro::Type::kRecord) {
      return corrupt("data_file.partition is not a record");
    }
    for (const avro::Field& f : partition.fields) {
      info.partition_field_ids.push_back(internal::FieldIdOf(f).value_or(-1));
    }
  }
  if (!state->reader->FindMetadata("format-version") && state->entry_fields[2] >= 0) {
    info.format_version = 2;  // a v2 schema without the metadata key
  }
  return std::unique_ptr<ManifestReader>(new ManifestReader(std::move(state)));
}

const ManifestInfo& ManifestReader::info() const { return state_->info; }

Result<std::optional<ManifestEntry>> ManifestReader::Next() {
  State& s = *state_;
  CQLBULK_ASSIGN_OR_RETURN(std::optional<avro::Value> record, s.reader->Next());
  if (!record) {
    return std::optional<ManifestEntry>();
  }
  uint64_t index = s.entry_index++;
  auto entry = s.Convert(*record);
  if (!entry) {
    return Corrupt("manifest " + s.name + ": entry " + std::to_string(index) + ": " +
                   entry.error().message());
  }
  return std::optional<ManifestEntry>(std::move(*entry));
}

Result<std::vector<ManifestEntry>> ManifestReader::ReadAll() {
  std::vector<ManifestEntry> entries;
  while (true) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<ManifestEntry> entry, Next());
    if (!entry) {
      return entries;
    }
    entries.push_back(std::move(*entry));
  }
}

Result<std::vector<ManifestEntry>> ReadManifest(const std::string& path,
                                                const ManifestFile* list_entry) {
  CQLBULK_ASSIGN_OR_RETURN(std::string local, LocalPath(path));
  CQLBULK_ASSIGN_OR_RETURN(auto file, formats::FileInputStream::Open(local));
  CQLBULK_ASSIGN_OR_RETURN(auto reader, ManifestReader::Open(std::move(file), path, list_entry));
  return reader->ReadAll();
}

}  // namespace cqlbulk::iceberg
