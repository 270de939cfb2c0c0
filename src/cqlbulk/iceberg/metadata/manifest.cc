// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/manifest.h"

#include <charconv>
#include <cmath>
#include <set>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/iceberg/metadata/avro_internal.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/spec/json.h"
#include "cqlbulk/iceberg/spec/literal.h"

namespace cqlbulk::iceberg {

namespace avro = formats::avro;
using nlohmann::json;

namespace {

// Field ids of the spec's "Manifests" section.
enum EntryField : int32_t { kStatus = 0, kSnapshotId = 1, kSequenceNumber = 3,
                            kFileSequenceNumber = 4, kDataFileField = 2 };
enum FileField : int32_t {
  kContent = 134, kFilePath = 100, kFileFormat = 101, kPartition = 102, kRecordCount = 103,
  kFileSize = 104, kColumnSizes = 108, kValueCounts = 109, kNullValueCounts = 110,
  kNanValueCounts = 137, kLowerBounds = 125, kUpperBounds = 128, kKeyMetadata = 131,
  kSplitOffsets = 132, kEqualityIds = 135, kSortOrderId = 140,
};

// An optional map<int, T> as Java writes it: an array of key/value records, logicalType "map".
json IntMap(std::string_view name, int32_t field_id, int32_t key_id, int32_t value_id,
            const char* value_type, std::string_view doc) {
  json record{{"type", "record"},
              {"name", "k" + std::to_string(key_id) + "_v" + std::to_string(value_id)},
              {"fields", json::array({internal::RequiredField("key", "int", key_id),
                                      internal::RequiredField("value", value_type, value_id)})}};
  json array{{"type", "array"}, {"items", std::move(record)}, {"logicalType", "map"}};
  return internal::OptionalField(name, std::move(array), field_id, doc);
}

json List(std::string_view name, int32_t field_id, int32_t element_id, const char* element,
          std::string_view doc) {
  json array{{"type", "array"}, {"items", element}, {"element-id", element_id}};
  return internal::OptionalField(name, std::move(array), field_id, doc);
}

Result<std::vector<TypePtr>> PartitionTypes(const Schema& schema, const PartitionSpec& spec) {
  std::vector<TypePtr> types;
  for (const PartitionField& field : spec.fields) {
    const NestedField* source = schema.FindField(field.source_id);
    if (source == nullptr || !source->type || !source->type->is_primitive()) {
      return InvalidArgument("partition field '" + field.name + "': source field " +
                             std::to_string(field.source_id) +
                             " is not a primitive field of the schema");
    }
    types.push_back(internal::PartitionResultType(*source->type, field.transform));
  }
  return types;
}

json PartitionRecord(const PartitionSpec& spec, const std::vector<TypePtr>& types) {
  std::set<std::string> named;
  json fields = json::array();
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    fields.push_back(internal::OptionalField(internal::AvroCompatibleName(spec.fields[i].name),
                                             internal::AvroTypeOf(*types[i], named),
                                             spec.fields[i].field_id));
  }
  return json{{"type", "record"}, {"name", "r102"}, {"fields", std::move(fields)}};
}

json DataFileRecord(json partition) {
  using internal::OptionalField;
  using internal::RequiredField;
  json fields = json::array({
      RequiredField("content", "int", kContent,
                    "Contents of the file: 0=data, 1=position deletes, 2=equality deletes"),
      RequiredField("file_path", "string", kFilePath, "Location URI with FS scheme"),
      RequiredField("file_format", "string", kFileFormat, "File format name: avro, orc, or parquet"),
      RequiredField("partition", std::move(partition), kPartition, "Partition data tuple, schema based on the partition spec"),
      RequiredField("record_count", "long", kRecordCount, "Number of records in the file"),
      RequiredField("file_size_in_bytes", "long", kFileSize, "Total file size in bytes"),
      IntMap("column_sizes", kColumnSizes, 117, 118, "long", "Map of column id to total size on disk"),
      IntMap("value_counts", kValueCounts, 119, 120, "long", "Map of column id to total count, including null and NaN"),
      IntMap("null_value_counts", kNullValueCounts, 121, 122, "long", "Map of column id to null value count"),
      IntMap("nan_value_counts", kNanValueCounts, 138, 139, "long", "Map of column id to number of NaN values in the column"),
      IntMap("lower_bounds", kLowerBounds, 126, 127, "bytes", "Map of column id to lower bound"),
      IntMap("upper_bounds", kUpperBounds, 129, 130, "bytes", "Map of column id to upper bound"),
      OptionalField("key_metadata", "bytes", kKeyMetadata, "Encryption key metadata blob"),
      List("split_offsets", kSplitOffsets, 133, "long", "Splittable offsets"),
      List("equality_ids", kEqualityIds, 136, "int", "Equality comparison field IDs"),
      OptionalField("sort_order_id", "int", kSortOrderId, "Sort order ID"),
  });
  return json{{"type", "record"}, {"name", "r2"}, {"fields", std::move(fields)}};
}

avro::Value Nullable(bool present, avro::Value value) {
  return present ? avro::Value::Union(1, std::move(value)) : avro::Value::Union(0, {});
}

avro::Value IntMapValue(const std::map<int32_t, int64_t>& map) {
  std::vector<avro::Value> items;
  for (const auto& [key, value] : map) {
    items.push_back(avro::Value::Record({avro::Value::Int(key), avro::Value::Long(value)}));
  }
  return Nullable(!map.empty(), avro::Value::Array(std::move(items)));
}

avro::Value BytesMapValue(const std::map<int32_t, std::string>& map) {
  std::vector<avro::Value> items;
  for (const auto& [key, value] : map) {
    items.push_back(avro::Value::Record({avro::Value::Int(key), avro::Value::BytesFromChars(value)}));
  }
  return Nullable(!map.empty(), avro::Value::Array(std::move(items)));
}

template <typename T>
avro::Value ListValue(const std::vector<T>& list) {
  std::vector<avro::Value> items;
  for (T v : list) {
    if constexpr (sizeof(T) == 8) {
      items.push_back(avro::Value::Long(v));
    } else {
      items.push_back(avro::Value::Int(v));
    }
  }
  return Nullable(!list.empty(), avro::Value::Array(std::move(items)));
}

avro::Value OptionalLong(const std::optional<int64_t>& v) {
  return Nullable(v.has_value(), avro::Value::Long(v.value_or(0)));
}

// The running summary of one partition field.
struct SummaryBuilder {
  TypePtr type;
  bool contains_null = false;
  bool contains_nan = false;
  std::optional<Literal> lower;
  std::optional<Literal> upper;

  void Add(const Literal& value) {
    if (value.is_null()) {
      contains_null = true;
      return;
    }
    if ((value.kind == Literal::Kind::kFloat && std::isnan(value.float_value)) ||
        (value.kind == Literal::Kind::kDouble && std::isnan(value.double_value))) {
      contains_nan = true;
      return;
    }
    // Add() checked the value against the type: Compare cannot fail.
    if (!lower || Compare(*type, value, *lower).value_or(0) < 0) {
      lower = value;
    }
    if (!upper || Compare(*type, value, *upper).value_or(0) > 0) {
      upper = value;
    }
  }

  PartitionFieldSummary Build() const {
    PartitionFieldSummary summary;
    summary.contains_null = contains_null;
    summary.contains_nan = contains_nan;
    if (lower) {
      summary.lower_bound = ToBytes(*type, *lower).value_or("");
      summary.upper_bound = ToBytes(*type, *upper).value_or("");
    }
    return summary;
  }
};

}  // namespace

Result<std::string> ManifestEntrySchemaJson(const Schema& schema, const PartitionSpec& spec) {
  CQLBULK_ASSIGN_OR_RETURN(std::vector<TypePtr> types, PartitionTypes(schema, spec));
  json entry{
      {"type", "record"},
      {"name", "manifest_entry"},
      {"fields",
       json::array({internal::RequiredField("status", "int", kStatus),
                    internal::OptionalField("snapshot_id", "long", kSnapshotId),
                    internal::OptionalField("sequence_number", "long", kSequenceNumber),
                    internal::OptionalField("file_sequence_number", "long", kFileSequenceNumber),
                    internal::RequiredField("data_file",
                                            DataFileRecord(PartitionRecord(spec, types)),
                                            kDataFileField)})}};
  return entry.dump();
}

struct ManifestWriter::State {
  std::string path;
  ManifestWriterOptions options;
  std::vector<TypePtr> partition_types;
  std::unique_ptr<avro::ContainerWriter> writer;
  avro::NodeId partition_node = 0;
  std::vector<SummaryBuilder> summaries;
  ManifestFile file;
  bool any_unassigned = false;
  std::optional<int64_t> min_sequence_number;
};

ManifestWriter::ManifestWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
ManifestWriter::~ManifestWriter() = default;

Result<std::unique_ptr<ManifestWriter>> ManifestWriter::Make(
    std::unique_ptr<formats::OutputStream> sink, std::string path,
    ManifestWriterOptions options) {
  auto state = std::make_unique<State>();
  CQLBULK_ASSIGN_OR_RETURN(state->partition_types, PartitionTypes(options.schema, options.spec));
  CQLBULK_ASSIGN_OR_RETURN(std::string schema_json,
                           ManifestEntrySchemaJson(options.schema, options.spec));
  CQLBULK_ASSIGN_OR_RETURN(avro::Schema avro_schema, avro::Schema::Parse(schema_json));
  // data_file is the last field of manifest_entry, partition the fourth of data_file.
  const avro::Node& entry = avro_schema.root_node();
  const avro::Node& data_file = avro_schema.node(entry.fields.back().type);
  state->partition_node = data_file.fields[3].type;

  avro::ContainerWriterOptions container;
  container.codec = options.codec;
  container.metadata = {
      {"schema", SchemaToJson(options.schema).dump()},
      {"schema-id", std::to_string(options.schema.schema_id)},
      {"partition-spec", PartitionSpecToJson(options.spec).at("fields").dump()},
      {"partition-spec-id", std::to_string(options.spec.spec_id)},
      {"format-version", "2"},
      {"content", options.content == ManifestContent::kData ? "data" : "deletes"},
  };
  CQLBULK_ASSIGN_OR_RETURN(state->writer, avro::ContainerWriter::Make(std::move(avro_schema),
                                                                      std::move(sink),
                                                                      std::move(container)));
  for (const TypePtr& type : state->partition_types) {
    SummaryBuilder summary;
    summary.type = type;
    state->summaries.push_back(std::move(summary));
  }
  state->file.manifest_path = path;
  state->file.partition_spec_id = options.spec.spec_id;
  state->file.content = options.content;
  state->file.added_snapshot_id = options.snapshot_id;
  state->path = std::move(path);
  state->options = std::move(options);
  return std::unique_ptr<ManifestWriter>(new ManifestWriter(std::move(state)));
}

const avro::Schema& ManifestWriter::avro_schema() const { return state_->writer->schema(); }

Status ManifestWriter::AddFile(DataFile file) {
  ManifestEntry entry;
  entry.status = ManifestEntryStatus::kAdded;
  entry.snapshot_id = state_->options.snapshot_id;
  entry.data_file = std::move(file);
  return Add(std::move(entry));
}

Status ManifestWriter::Add(ManifestEntry entry) {
  State& s = *state_;
  const DataFile& file = entry.data_file;
  auto error = [&](std::string what) {
    return InvalidArgument("manifest " + s.path + ": data file " + file.file_path + ": " +
                           std::move(what));
  };
  if (file.partition.size() != s.options.spec.fields.size()) {
    return error("a partition tuple of " + std::to_string(file.partition.size()) +
                 " values for a spec of " + std::to_string(s.options.spec.fields.size()) +
                 " fields");
  }
  if (entry.status == ManifestEntryStatus::kAdded && !entry.snapshot_id) {
    entry.snapshot_id = s.options.snapshot_id;
  }
  const avro::Schema& schema = s.writer->schema();
  const avro::Node& partition = schema.node(s.partition_node);
  std::vector<avro::Value> partition_values;
  for (size_t i = 0; i < file.partition.size(); ++i) {
    if (Status valid = CheckLiteral(*s.partition_types[i], file.partition[i]); !valid) {
      return error("partition field '" + s.options.spec.fields[i].name + "' (" +
                   s.partition_types[i]->ToString() + "): " + valid.error().message());
    }
    auto value = internal::LiteralToAvro(file.partition[i], schema, partition.fields[i].type);
    if (!value) {
      return error("partition field '" + s.options.spec.fields[i].name + "' (" +
                   s.partition_types[i]->ToString() + "): " + value.error().message());
    }
    partition_values.push_back(std::move(*value));
  }
  avro::Value data_file = avro::Value::Record({
      avro::Value::Int(static_cast<int32_t>(file.content)),
      avro::Value::String(file.file_path),
      avro::Value::String(file.file_format),
      avro::Value::Record(std::move(partition_values)),
      avro::Value::Long(file.record_count),
      avro::Value::Long(file.file_size_in_bytes),
      IntMapValue(file.column_sizes),
      IntMapValue(file.value_counts),
      IntMapValue(file.null_value_counts),
      IntMapValue(file.nan_value_counts),
      BytesMapValue(file.lower_bounds),
      BytesMapValue(file.upper_bounds),
      Nullable(file.key_metadata.has_value(),
               avro::Value::BytesFromChars(file.key_metadata.value_or(""))),
      ListValue(file.split_offsets),
      ListValue(file.equality_ids),
      Nullable(file.sort_order_id.has_value(), avro::Value::Int(file.sort_order_id.value_or(0))),
  });
  avro::Value record = avro::Value::Record({
      avro::Value::Int(static_cast<int32_t>(entry.status)),
      OptionalLong(entry.snapshot_id),
      OptionalLong(entry.sequence_number),
      OptionalLong(entry.file_sequence_number),
      std::move(data_file),
  });
  Status appended = s.writer->Append(record);
  if (!appended) {
    return error(appended.error().message());
  }
  switch (entry.status) {
    case ManifestEntryStatus::kAdded:
      ++s.file.added_files_count;
      s.file.added_rows_count += file.record_count;
      break;
    case ManifestEntryStatus::kExisting:
      ++s.file.existing_files_count;
      s.file.existing_rows_count += file.record_count;
      break;
    case ManifestEntryStatus::kDeleted:
      ++s.file.deleted_files_count;
      s.file.deleted_rows_count += file.record_count;
      break;
  }
  if (entry.status != ManifestEntryStatus::kDeleted) {
    if (!entry.sequence_number) {
      s.any_unassigned = true;
    } else if (!s.min_sequence_number || *entry.sequence_number < *s.min_sequence_number) {
      s.min_sequence_number = entry.sequence_number;
    }
  }
  for (size_t i = 0; i < file.partition.size(); ++i) {
    s.summaries[i].Add(file.partition[i]);
  }
  return OkStatus();
}

Result<ManifestFile> ManifestWriter::Close() {
  State& s = *state_;
  CQLBULK_RETURN_IF_ERROR(s.writer->Close());
  ManifestFile file = s.file;
  file.manifest_length = static_cast<int64_t>(s.writer->bytes_written());
  file.min_sequence_number = s.any_unassigned || !s.min_sequence_number
                                 ? kUnassignedSequenceNumber
                                 : *s.min_sequence_number;
  for (const SummaryBuilder& summary : s.summaries) {
    file.partitions.push_back(summary.Build());
  }
  return file;
}

// ---------------------------------------------------------------------------------------------
// Reading.

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
