// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/manifest_list.h"

#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/iceberg/metadata/avro_internal.h"
#include "cqlbulk/iceberg/metadata/location.h"

namespace cqlbulk::iceberg {

namespace avro = formats::avro;
using nlohmann::json;

namespace {

// Field ids of the spec's "Manifest Lists" section, in Java's order.
const std::vector<int32_t> kFieldIds = {500, 501, 502, 517, 515, 516, 503, 504,
                                        505, 506, 512, 513, 514, 507, 519};
enum Index : size_t {
  iPath, iLength, iSpecId, iContent, iSequenceNumber, iMinSequenceNumber, iAddedSnapshotId,
  iAddedFiles, iExistingFiles, iDeletedFiles, iAddedRows, iExistingRows, iDeletedRows,
  iPartitions, iKeyMetadata,
};
// field_summary's ids: contains_null, contains_nan, lower_bound, upper_bound.
const std::vector<int32_t> kSummaryIds = {509, 518, 510, 511};

avro::Value Nullable(bool present, avro::Value value) {
  return present ? avro::Value::Union(1, std::move(value)) : avro::Value::Union(0, {});
}

avro::Value OptionalBytes(const std::optional<std::string>& v) {
  return Nullable(v.has_value(), avro::Value::BytesFromChars(v.value_or("")));
}

}  // namespace

std::string ManifestListSchemaJson() {
  using internal::OptionalField;
  using internal::RequiredField;
  json summary{
      {"type", "record"},
      {"name", "r508"},
      {"fields",
       json::array({RequiredField("contains_null", "boolean", 509,
                                  "True if any file has a null partition value"),
                    OptionalField("contains_nan", "boolean", 518,
                                  "True if any file has a nan partition value"),
                    OptionalField("lower_bound", "bytes", 510,
                                  "Partition lower bound for all files"),
                    OptionalField("upper_bound", "bytes", 511,
                                  "Partition upper bound for all files")})}};
  json partitions{{"type", "array"}, {"items", std::move(summary)}, {"element-id", 508}};
  json fields = json::array({
      RequiredField("manifest_path", "string", 500, "Location URI with FS scheme"),
      RequiredField("manifest_length", "long", 501, "Total file size in bytes"),
      RequiredField("partition_spec_id", "int", 502, "Spec ID used to write"),
      RequiredField("content", "int", 517, "Contents of the manifest: 0=data, 1=deletes"),
      RequiredField("sequence_number", "long", 515, "Sequence number when the manifest was added"),
      RequiredField("min_sequence_number", "long", 516,
                    "Lowest sequence number in the manifest"),
      RequiredField("added_snapshot_id", "long", 503, "Snapshot ID that added the manifest"),
      RequiredField("added_files_count", "int", 504, "Added entry count"),
      RequiredField("existing_files_count", "int", 505, "Existing entry count"),
      RequiredField("deleted_files_count", "int", 506, "Deleted entry count"),
      RequiredField("added_rows_count", "long", 512, "Added rows count"),
      RequiredField("existing_rows_count", "long", 513, "Existing rows count"),
      RequiredField("deleted_rows_count", "long", 514, "Deleted rows count"),
      OptionalField("partitions", std::move(partitions), 507, "Summary for each partition"),
      OptionalField("key_metadata", "bytes", 519, "Encryption key metadata blob"),
  });
  return json{{"type", "record"}, {"name", "manifest_file"}, {"fields", std::move(fields)}}.dump();
}

ManifestListWriter::ManifestListWriter(std::unique_ptr<avro::ContainerWriter> writer,
                                       ManifestListWriterOptions options)
    : writer_(std::move(writer)), options_(options) {}
ManifestListWriter::~ManifestListWriter() = default;

Result<std::unique_ptr<ManifestListWriter>> ManifestListWriter::Make(
    std::unique_ptr<formats::OutputStream> sink, ManifestListWriterOptions options) {
  CQLBULK_ASSIGN_OR_RETURN(avro::Schema schema, avro::Schema::Parse(ManifestListSchemaJson()));
  avro::ContainerWriterOptions container;
  container.codec = options.codec;
  // Java writes String.valueOf(parentId): "null" when there is none.
  container.metadata = {
      {"snapshot-id", std::to_string(options.snapshot_id)},
      {"parent-snapshot-id", options.parent_snapshot_id
                                 ? std::to_string(*options.parent_snapshot_id)
                                 : std::string("null")},
      {"sequence-number", std::to_string(options.sequence_number)},
      {"format-version", "2"},
  };
  CQLBULK_ASSIGN_OR_RETURN(auto writer, avro::ContainerWriter::Make(std::move(schema),
                                                                    std::move(sink),
                                                                    std::move(container)));
  return std::unique_ptr<ManifestListWriter>(new ManifestListWriter(std::move(writer), options));
}

Status ManifestListWriter::Add(ManifestFile m) {
  int64_t seq = options_.sequence_number;
  if (m.sequence_number == kUnassignedSequenceNumber) {
    m.sequence_number = seq;
  }
  if (m.min_sequence_number == kUnassignedSequenceNumber) {
    m.min_sequence_number = seq;
  }
  if (m.sequence_number > seq || m.min_sequence_number > m.sequence_number) {
    return InvalidArgument("manifest " + m.manifest_path + ": sequence numbers " +
                           std::to_string(m.min_sequence_number) + ".." +
                           std::to_string(m.sequence_number) + " pass the snapshot's " +
                           std::to_string(seq));
  }
  std::vector<avro::Value> summaries;
  for (const PartitionFieldSummary& s : m.partitions) {
    summaries.push_back(internal::MakeRecord(
        avro::Value::Boolean(s.contains_null),
        Nullable(s.contains_nan.has_value(), avro::Value::Boolean(s.contains_nan.value_or(false))),
        OptionalBytes(s.lower_bound),
        OptionalBytes(s.upper_bound)));
  }
  avro::Value record = internal::MakeRecord(
      avro::Value::String(m.manifest_path),
      avro::Value::Long(m.manifest_length),
      avro::Value::Int(m.partition_spec_id),
      avro::Value::Int(static_cast<int32_t>(m.content)),
      avro::Value::Long(m.sequence_number),
      avro::Value::Long(m.min_sequence_number),
      avro::Value::Long(m.added_snapshot_id),
      avro::Value::Int(m.added_files_count),
      avro::Value::Int(m.existing_files_count),
      avro::Value::Int(m.deleted_files_count),
      avro::Value::Long(m.added_rows_count),
      avro::Value::Long(m.existing_rows_count),
      avro::Value::Long(m.deleted_rows_count),
      // An unpartitioned spec has an empty list, as Java writes it.
      avro::Value::Union(1, avro::Value::Array(std::move(summaries))),
      OptionalBytes(m.key_metadata));
  return writer_->Append(record);
}

Status ManifestListWriter::Close() { return writer_->Close(); }

uint64_t ManifestListWriter::bytes_written() const noexcept { return writer_->bytes_written(); }

namespace {

Result<int64_t> Long(const avro::Value* v, std::string_view what, std::optional<int64_t> dflt) {
  if (v == nullptr) {
    if (dflt) {
      return *dflt;
    }
    return Corrupt(std::string(what) + " is missing");
  }
  if (v->kind() == avro::Value::Kind::kLong) {
    return v->long_value();
  }
  if (v->kind() == avro::Value::Kind::kInt) {
    return v->int_value();
  }
  return Corrupt(std::string(what) + " is not a long");
}

Result<int32_t> Int(const avro::Value* v, std::string_view what, std::optional<int32_t> dflt) {
  if (v == nullptr) {
    if (dflt) {
      return *dflt;
    }
    return Corrupt(std::string(what) + " is missing");
  }
  if (v->kind() != avro::Value::Kind::kInt) {
    return Corrupt(std::string(what) + " is not an int");
  }
  return v->int_value();
}

Result<std::optional<std::string>> OptionalBytesOf(const avro::Value* v, std::string_view what) {
  if (v == nullptr) {
    return std::optional<std::string>();
  }
  if (v->kind() != avro::Value::Kind::kBytes && v->kind() != avro::Value::Kind::kFixed) {
    return Corrupt(std::string(what) + " is not bytes");
  }
  return std::optional<std::string>(std::string(v->chars()));
}

Result<ManifestFile> Convert(const avro::Value& record, const std::vector<int>& fields,
                             const std::vector<int>& summary_fields) {
  auto field = [&](Index i) { return internal::FieldValue(record, fields[i]); };
  ManifestFile m;
  const avro::Value* path = field(iPath);
  if (path == nullptr || path->kind() != avro::Value::Kind::kString) {
    return Corrupt("manifest_path is missing");
  }
  m.manifest_path = std::string(path->chars());
  CQLBULK_ASSIGN_OR_RETURN(m.manifest_length, Long(field(iLength), "manifest_length", {}));
  CQLBULK_ASSIGN_OR_RETURN(m.partition_spec_id, Int(field(iSpecId), "partition_spec_id", {}));
  CQLBULK_ASSIGN_OR_RETURN(int32_t content, Int(field(iContent), "content", 0));
  if (content != 0 && content != 1) {
    return Corrupt("content " + std::to_string(content) + " is neither 0 nor 1");
  }
  m.content = static_cast<ManifestContent>(content);
  CQLBULK_ASSIGN_OR_RETURN(m.sequence_number, Long(field(iSequenceNumber), "sequence_number", 0));
  CQLBULK_ASSIGN_OR_RETURN(m.min_sequence_number,
                           Long(field(iMinSequenceNumber), "min_sequence_number", 0));
  CQLBULK_ASSIGN_OR_RETURN(m.added_snapshot_id,
                           Long(field(iAddedSnapshotId), "added_snapshot_id", {}));
  CQLBULK_ASSIGN_OR_RETURN(m.added_files_count, Int(field(iAddedFiles), "added_files_count", 0));
  CQLBULK_ASSIGN_OR_RETURN(m.existing_files_count,
                           Int(field(iExistingFiles), "existing_files_count", 0));
  CQLBULK_ASSIGN_OR_RETURN(m.deleted_files_count,
                           Int(field(iDeletedFiles), "deleted_files_count", 0));
  CQLBULK_ASSIGN_OR_RETURN(m.added_rows_count, Long(field(iAddedRows), "added_rows_count", 0));
  CQLBULK_ASSIGN_OR_RETURN(m.existing_rows_count,
                           Long(field(iExistingRows), "existing_rows_count", 0));
  CQLBULK_ASSIGN_OR_RETURN(m.deleted_rows_count,
                           Long(field(iDeletedRows), "deleted_rows_count", 0));
  if (const avro::Value* partitions = field(iPartitions)) {
    if (partitions->kind() != avro::Value::Kind::kArray) {
      return Corrupt("partitions is not an array");
    }
    for (const avro::Value& item : partitions->items()) {
      const avro::Value& s = item.Unwrapped();
      PartitionFieldSummary summary;
      const avro::Value* contains_null = internal::FieldValue(s, summary_fields[0]);
      if (contains_null == nullptr || contains_null->kind() != avro::Value::Kind::kBoolean) {
        return Corrupt("partitions: contains_null is missing");
      }
      summary.contains_null = contains_null->boolean();
      if (const avro::Value* v = internal::FieldValue(s, summary_fields[1]);
          v && v->kind() == avro::Value::Kind::kBoolean) {
        summary.contains_nan = v->boolean();
      }
      CQLBULK_ASSIGN_OR_RETURN(
          summary.lower_bound,
          OptionalBytesOf(internal::FieldValue(s, summary_fields[2]), "partitions: lower_bound"));
      CQLBULK_ASSIGN_OR_RETURN(
          summary.upper_bound,
          OptionalBytesOf(internal::FieldValue(s, summary_fields[3]), "partitions: upper_bound"));
      m.partitions.push_back(std::move(summary));
    }
  }
  CQLBULK_ASSIGN_OR_RETURN(m.key_metadata, OptionalBytesOf(field(iKeyMetadata), "key_metadata"));
  return m;
}

}  // namespace

Result<std::vector<ManifestFile>> ReadManifestList(std::unique_ptr<formats::InputStream> source,
                                                   const std::string& name) {
  CQLBULK_ASSIGN_OR_RETURN(auto reader, avro::ContainerReader::Open(std::move(source), name));
  const avro::Schema& schema = reader->writer_schema();
  const avro::Node& root = schema.root_node();
  if (root.type != avro::Type::kRecord) {
    return Corrupt("manifest list " + name + ": the records are not manifest_file records");
  }
  std::vector<int> fields = internal::FieldIndexes(root, kFieldIds);
  std::vector<int> summary_fields(kSummaryIds.size(), -1);
  if (fields[iPartitions] >= 0) {
    const avro::Node& list = schema.node(internal::FieldNode(schema, root, fields[iPartitions]));
    if (list.type == avro::Type::kArray) {
      avro::NodeId item = list.items();
      const avro::Node& item_node = schema.node(item);
      if (item_node.type == avro::Type::kRecord) {
        summary_fields = internal::FieldIndexes(item_node, kSummaryIds);
      }
    }
  }
  std::vector<ManifestFile> manifests;
  while (true) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<avro::Value> record, reader->Next());
    if (!record) {
      return manifests;
    }
    auto manifest = Convert(*record, fields, summary_fields);
    if (!manifest) {
      return Corrupt("manifest list " + name + ": entry " + std::to_string(manifests.size()) +
                     ": " + manifest.error().message());
    }
    manifests.push_back(std::move(*manifest));
  }
}

Status WriteManifestList(const std::string& location, ManifestListWriterOptions options,
                         const std::vector<ManifestFile>& manifests) {
  CQLBULK_ASSIGN_OR_RETURN(std::string path, LocalPath(location));
  CQLBULK_ASSIGN_OR_RETURN(auto sink, OpenNewFile(path));
  CQLBULK_ASSIGN_OR_RETURN(auto writer, ManifestListWriter::Make(std::move(sink), options));
  for (const ManifestFile& manifest : manifests) {
    CQLBULK_RETURN_IF_ERROR(writer->Add(manifest));
  }
  return writer->Close();
}

Result<std::vector<ManifestFile>> ReadManifestList(const std::string& path) {
  CQLBULK_ASSIGN_OR_RETURN(std::string local, LocalPath(path));
  CQLBULK_ASSIGN_OR_RETURN(auto file, formats::FileInputStream::Open(local));
  return ReadManifestList(std::move(file), path);
}

}  // namespace cqlbulk::iceberg
