// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/table_metadata.h"

#include <sys/random.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <set>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/compression.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/iceberg/metadata/location.h"

namespace cqlbulk::iceberg {

using Json = nlohmann::json;

std::string_view Snapshot::operation() const {
  auto it = summary.find("operation");
  return it == summary.end() ? std::string_view() : std::string_view(it->second);
}

const Schema* TableMetadata::SchemaById(int32_t schema_id) const {
  for (const Schema& schema : schemas) {
    if (schema.schema_id == schema_id) {
      return &schema;
    }
  }
  return nullptr;
}

const PartitionSpec* TableMetadata::SpecById(int32_t spec_id) const {
  for (const PartitionSpec& spec : partition_specs) {
    if (spec.spec_id == spec_id) {
      return &spec;
    }
  }
  return nullptr;
}

const Snapshot* TableMetadata::SnapshotById(int64_t snapshot_id) const {
  for (const Snapshot& snapshot : snapshots) {
    if (snapshot.snapshot_id == snapshot_id) {
      return &snapshot;
    }
  }
  return nullptr;
}

const Snapshot* TableMetadata::CurrentSnapshot() const {
  return current_snapshot_id ? SnapshotById(*current_snapshot_id) : nullptr;
}

Result<const Snapshot*> TableMetadata::SnapshotAsOf(int64_t timestamp_ms) const {
  std::optional<int64_t> id;
  if (!snapshot_log.empty()) {
    for (const SnapshotLogEntry& entry : snapshot_log) {
      if (entry.timestamp_ms <= timestamp_ms) {
        id = entry.snapshot_id;
      }
    }
  } else {
    int64_t best = std::numeric_limits<int64_t>::min();
    for (const Snapshot& s : snapshots) {
      if (s.timestamp_ms <= timestamp_ms && s.timestamp_ms >= best) {
        best = s.timestamp_ms;
        id = s.snapshot_id;
      }
    }
  }
  const Snapshot* snapshot = id ? SnapshotById(*id) : nullptr;
  if (snapshot == nullptr) {
    return NotFound("table " + location + " had no snapshot at " + std::to_string(timestamp_ms) +
                    " ms since the epoch" +
                    (id ? " (the log's snapshot " + std::to_string(*id) + " has expired)" : ""));
  }
  return snapshot;
}

std::string NewUuid() {
  uint8_t b[16];
  size_t got = 0;
  while (got < sizeof(b)) {
    ssize_t n = getrandom(b + got, sizeof(b) - got, 0);
    if (n > 0) {
      got += static_cast<size_t>(n);
    } else if (errno != EINTR) {
      CQLBULK_CHECK(false, "getrandom failed");
    }
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // the RFC 4122 variant
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      out += '-';
    }
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0xf];
  }
  return out;
}

int64_t NewSnapshotId() {
  uint64_t v = 0;
  while (v == 0) {
    if (getrandom(&v, sizeof(v), 0) != sizeof(v)) {
      CQLBULK_CHECK(errno == EINTR, "getrandom failed");
      continue;
    }
    v &= uint64_t{std::numeric_limits<int64_t>::max()};
  }
  return static_cast<int64_t>(v);
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<TableMetadata> MakeNewTableMetadata(std::string location, Schema schema,
                                           PartitionSpec spec,
                                           std::map<std::string, std::string> properties) {
  schema.schema_id = 0;
  spec.spec_id = 0;
  std::set<int32_t> ids;
  int32_t last_partition_id = 999;
  for (const PartitionField& field : spec.fields) {
    const NestedField* source = schema.FindField(field.source_id);
    if (source == nullptr || !source->type || !source->type->is_primitive()) {
      return InvalidArgument("partition field '" + field.name + "': source field " +
                             std::to_string(field.source_id) +
                             " is not a primitive field of the schema");
    }
    if (!ids.insert(field.field_id).second) {
      return InvalidArgument("partition field '" + field.name + "': field id " +
                             std::to_string(field.field_id) + " is used twice");
    }
    last_partition_id = std::max(last_partition_id, field.field_id);
  }
  while (location.size() > 1 && location.ends_with('/')) {
    location.pop_back();
  }
  TableMetadata m;
  m.table_uuid = NewUuid();
  m.location = std::move(location);
  m.last_updated_ms = NowMillis();
  m.last_column_id = schema.HighestFieldId();
  m.schemas.push_back(std::move(schema));
  m.partition_specs.push_back(std::move(spec));
  m.last_partition_id = last_partition_id;
  m.properties = std::move(properties);
  m.sort_orders.push_back(SortOrder{});
  return m;
}

Status AddSnapshot(TableMetadata& m, Snapshot snapshot) {
  std::string what = "snapshot " + std::to_string(snapshot.snapshot_id);
  if (m.SnapshotById(snapshot.snapshot_id) != nullptr) {
    return InvalidArgument(what + ": the table has a snapshot with that id");
  }
  if (m.format_version >= 2 && snapshot.sequence_number <= m.last_sequence_number) {
    return InvalidArgument(what + ": sequence number " +
                           std::to_string(snapshot.sequence_number) +
                           " is not above the table's last, " +
                           std::to_string(m.last_sequence_number));
  }
  if (snapshot.parent_snapshot_id != m.current_snapshot_id) {
    return InvalidArgument(what + ": its parent is not the current snapshot");
  }
  m.last_sequence_number = std::max(m.last_sequence_number, snapshot.sequence_number);
  m.last_updated_ms = std::max(m.last_updated_ms, snapshot.timestamp_ms);
  m.current_snapshot_id = snapshot.snapshot_id;
  m.refs["main"] = SnapshotRef{.snapshot_id = snapshot.snapshot_id};
  m.snapshot_log.push_back({snapshot.snapshot_id, snapshot.timestamp_ms});
  m.snapshots.push_back(std::move(snapshot));
  return OkStatus();
}

std::string MetadataFileName(int version, std::string_view uuid) {
  std::string number = std::to_string(version);
  if (number.size() < 5) {
    number.insert(0, 5 - number.size(), '0');
  }
  return number + "-" + std::string(uuid) + ".metadata.json";
}

std::optional<int> MetadataFileVersion(std::string_view location) {
  std::string_view name = location.substr(location.rfind('/') + 1);
  if (name.starts_with('v')) {
    name.remove_prefix(1);  // Hadoop tables: v12.metadata.json
  }
  size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') {
    ++digits;
  }
  if (digits == 0 || digits > 9 || digits == name.size() ||
      (name[digits] != '-' && name[digits] != '.')) {
    return std::nullopt;
  }
  int version = 0;
  for (size_t i = 0; i < digits; ++i) {
    version = version * 10 + (name[i] - '0');
  }
  return version;
}

std::string NextMetadataLocation(const TableMetadata& metadata,
                                 std::optional<std::string_view> previous) {
  int version = 0;
  if (previous) {
    version = MetadataFileVersion(*previous).value_or(-1) + 1;
  }
  return JoinLocation(JoinLocation(metadata.location, "metadata"),
                      MetadataFileName(version, NewUuid()));
}

Status WriteTableMetadata(const TableMetadata& metadata, const std::string& metadata_location) {
  CQLBULK_ASSIGN_OR_RETURN(std::string path, LocalPath(metadata_location));
  std::string dir = path.substr(0, path.rfind('/'));
  // mkdir -p: each component in turn.
  for (size_t slash = 1; slash != std::string::npos; slash = dir.find('/', slash + 1)) {
    std::string prefix = dir.substr(0, slash);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return IoError("cannot create directory " + prefix + ": " + std::strerror(errno));
    }
  }
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return IoError("cannot create directory " + dir + ": " + std::strerror(errno));
  }
  std::string text =
      TableMetadataToJson(metadata).dump(-1, ' ', false, Json::error_handler_t::replace);
  return WriteNewFile(path, AsBytes(text));
}

Result<TableMetadata> ReadTableMetadata(const std::string& metadata_location) {
  CQLBULK_ASSIGN_OR_RETURN(std::string path, LocalPath(metadata_location));
  CQLBULK_ASSIGN_OR_RETURN(std::string text, ReadLocalFile(path));
  // Java writes "<n>-<uuid>.gz.metadata.json" with write.metadata.compression-codec=gzip.
  if (text.size() >= 2 && text[0] == '\x1f' && text[1] == '\x8b') {
    Bytes compressed(text.begin(), text.end());
    CQLBULK_ASSIGN_OR_RETURN(
        auto stream,
        formats::DecompressingStream(
            formats::Compression::kGzip,
            std::make_unique<formats::MemoryInputStream>(std::move(compressed)), path));
    CQLBULK_ASSIGN_OR_RETURN(Bytes plain, formats::ReadAll(*stream));
    text.assign(plain.begin(), plain.end());
  }
  auto metadata = ParseTableMetadata(text);
  if (!metadata) {
    return Error(metadata.error().code(), metadata_location + ": " + metadata.error().message());
  }
  return metadata;
}

}  // namespace cqlbulk::iceberg
