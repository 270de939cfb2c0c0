// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/manifest.h"

#include <cmath>
#include <set>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/iceberg/metadata/avro_internal.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/metadata/manifest_internal.h"
#include "cqlbulk/iceberg/spec/json.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "cqlbulk/iceberg/spec/transform.h"

namespace cqlbulk::iceberg {

namespace avro = formats::avro;
using namespace internal;  // NOLINT: the field ids
using nlohmann::json;

namespace {

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
    auto type = TransformResultType(field.transform, *source->type);
    if (!type) {
      return InvalidArgument("partition field '" + field.name + "': " + type.error().message());
    }
    types.push_back(std::move(*type));
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
      RequiredField("file_format", "string", kFileFormat,
                    "File format name: avro, orc, or parquet"),
      RequiredField("partition", std::move(partition), kPartition,
                    "Partition data tuple, schema based on the partition spec"),
      RequiredField("record_count", "long", kRecordCount, "Number of records in the file"),
      RequiredField("file_size_in_bytes", "long", kFileSize, "Total file size in bytes"),
      IntMap("column_sizes", kColumnSizes, 117, 118, "long",
             "Map of column id to total size on disk"),
      IntMap("value_counts", kValueCounts, 119, 120, "long",
             "Map of column id to total count, including null and NaN"),
      IntMap("null_value_counts", kNullValueCounts, 121, 122, "long",
             "Map of column id to null value count"),
      IntMap("nan_value_counts", kNanValueCounts, 138, 139, "long",
             "Map of column id to number of NaN values in the column"),
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
    items.push_back(internal::MakeRecord(avro::Value::Int(key), avro::Value::Long(value)));
  }
  return Nullable(!map.empty(), avro::Value::Array(std::move(items)));
}

avro::Value BytesMapValue(const std::map<int32_t, std::string>& map) {
  std::vector<avro::Value> items;
  for (const auto& [key, value] : map) {
    items.push_back(
        internal::MakeRecord(avro::Value::Int(key), avro::Value::BytesFromChars(value)));
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
  return internal::DumpJson(entry);
}

struct ManifestWriter::State {
  std::string path;
  ManifestWriterOptions options;
  std::vector<TypePtr> partition_types;
  std::unique_ptr<avro::ContainerWriter> writer;
  avro::NodeId partition_node = 0;
  std::vector<SummaryBuilder> summaries;
  ManifestFile file;
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
      {"schema", internal::DumpJson(SchemaToJson(options.schema))},
      {"schema-id", std::to_string(options.schema.schema_id)},
      {"partition-spec", internal::DumpJson(PartitionSpecToJson(options.spec).at("fields"))},
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
  avro::Value data_file = internal::MakeRecord(
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
      Nullable(file.sort_order_id.has_value(), avro::Value::Int(file.sort_order_id.value_or(0))));
  avro::Value record = internal::MakeRecord(
      avro::Value::Int(static_cast<int32_t>(entry.status)),
      OptionalLong(entry.snapshot_id),
      OptionalLong(entry.sequence_number),
      OptionalLong(entry.file_sequence_number),
      std::move(data_file));
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
  // As Java: the least of the sequence numbers written (an added entry's null one is the
  // snapshot's, which no earlier entry's exceeds).
  if (entry.sequence_number &&
      (!s.min_sequence_number || *entry.sequence_number < *s.min_sequence_number)) {
    s.min_sequence_number = entry.sequence_number;
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
  file.min_sequence_number = s.min_sequence_number.value_or(kUnassignedSequenceNumber);
  for (const SummaryBuilder& summary : s.summaries) {
    file.partitions.push_back(summary.Build());
  }
  return file;
}

Result<ManifestFile> WriteManifest(const std::string& location, ManifestWriterOptions options,
                                   std::vector<ManifestEntry> entries) {
  CQLBULK_ASSIGN_OR_RETURN(std::string path, LocalPath(location));
  CQLBULK_ASSIGN_OR_RETURN(auto sink, OpenNewFile(path));
  CQLBULK_ASSIGN_OR_RETURN(auto writer,
                           ManifestWriter::Make(std::move(sink), location, std::move(options)));
  for (ManifestEntry& entry : entries) {
    CQLBULK_RETURN_IF_ERROR(writer->Add(std::move(entry)));
  }
  return writer->Close();
}

}  // namespace cqlbulk::iceberg
