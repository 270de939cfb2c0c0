// SPDX-License-Identifier: Apache-2.0
// TableMetadata's JSON form (spec, "Table Metadata Fields"; appendix C).
#include <limits>
#include <set>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/iceberg/metadata/table_metadata.h"
#include "cqlbulk/iceberg/spec/json.h"

namespace cqlbulk::iceberg {

using Json = nlohmann::json;

namespace {

// The keys this model reads; everything else goes to TableMetadata::extra.
const std::set<std::string, std::less<>> kKnownKeys = {
    "format-version", "table-uuid", "location", "last-sequence-number", "last-updated-ms",
    "last-column-id", "schema", "schemas", "current-schema-id", "partition-spec",
    "partition-specs", "default-spec-id", "last-partition-id", "properties",
    "current-snapshot-id", "snapshots", "snapshot-log", "metadata-log", "sort-orders",
    "default-sort-order-id", "refs"};

Error Missing(std::string_view where, std::string_view key) {
  return Corrupt(std::string(where) + ": '" + std::string(key) + "' is missing");
}

Error Wrong(std::string_view where, std::string_view key, std::string_view expected,
            const Json& got) {
  std::string text = got.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 80) {
    text = text.substr(0, 77) + "...";
  }
  return Corrupt(std::string(where) + ": '" + std::string(key) + "' must be " +
                 std::string(expected) + ", not " + text);
}

const Json* Find(const Json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

Result<const Json*> Member(const Json& object, std::string_view key, std::string_view where) {
  const Json* value = Find(object, key);
  if (value == nullptr) {
    return Missing(where, key);
  }
  return value;
}

Result<int64_t> LongValue(const Json& value, std::string_view key, std::string_view where) {
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() <= uint64_t{std::numeric_limits<int64_t>::max()}) {
      return static_cast<int64_t>(value.get<uint64_t>());
    }
  } else if (value.is_number_integer()) {
    return value.get<int64_t>();
  }
  return Wrong(where, key, "an integer", value);
}

Result<int64_t> LongMember(const Json& object, std::string_view key, std::string_view where) {
  CQLBULK_ASSIGN_OR_RETURN(const Json* value, Member(object, key, where));
  return LongValue(*value, key, where);
}

Result<int32_t> IntMember(const Json& object, std::string_view key, std::string_view where) {
  CQLBULK_ASSIGN_OR_RETURN(int64_t v, LongMember(object, key, where));
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return Wrong(where, key, "a 32-bit integer", *Find(object, key));
  }
  return static_cast<int32_t>(v);
}

Result<std::optional<int64_t>> OptionalLong(const Json& object, std::string_view key,
                                            std::string_view where) {
  const Json* value = Find(object, key);
  if (value == nullptr) {
    return std::optional<int64_t>();
  }
  CQLBULK_ASSIGN_OR_RETURN(int64_t v, LongValue(*value, key, where));
  return std::optional<int64_t>(v);
}

Result<std::string> StringMember(const Json& object, std::string_view key,
                                 std::string_view where) {
  CQLBULK_ASSIGN_OR_RETURN(const Json* value, Member(object, key, where));
  if (!value->is_string()) {
    return Wrong(where, key, "a string", *value);
  }
  return value->get<std::string>();
}

Result<const Json*> ArrayMember(const Json& object, std::string_view key,
                                std::string_view where) {
  CQLBULK_ASSIGN_OR_RETURN(const Json* value, Member(object, key, where));
  if (!value->is_array()) {
    return Wrong(where, key, "an array", *value);
  }
  return value;
}

// A string map whose values Java writes as strings (a number or boolean is taken as its text).
Result<std::map<std::string, std::string>> StringMap(const Json& object, std::string_view key,
                                                     std::string_view where) {
  std::map<std::string, std::string> out;
  const Json* value = Find(object, key);
  if (value == nullptr) {
    return out;
  }
  if (!value->is_object()) {
    return Wrong(where, key, "an object", *value);
  }
  for (const auto& [k, v] : value->items()) {
    if (v.is_string()) {
      out[k] = v.get<std::string>();
    } else if (v.is_number() || v.is_boolean()) {
      out[k] = v.dump(-1, ' ', false, Json::error_handler_t::replace);
    } else {
      return Wrong(std::string(where) + ": '" + std::string(key) + "'", k, "a string", v);
    }
  }
  return out;
}

std::string At(std::string_view where, std::string_view key, size_t index) {
  return std::string(where) + ": " + std::string(key) + "[" + std::to_string(index) + "]";
}

Result<Snapshot> SnapshotFromJson(const Json& json, const std::string& where) {
  if (!json.is_object()) {
    return Corrupt(where + ": a snapshot must be an object");
  }
  Snapshot s;
  CQLBULK_ASSIGN_OR_RETURN(s.snapshot_id, LongMember(json, "snapshot-id", where));
  CQLBULK_ASSIGN_OR_RETURN(s.parent_snapshot_id, OptionalLong(json, "parent-snapshot-id", where));
  CQLBULK_ASSIGN_OR_RETURN(std::optional<int64_t> seq,
                           OptionalLong(json, "sequence-number", where));
  s.sequence_number = seq.value_or(0);
  CQLBULK_ASSIGN_OR_RETURN(s.timestamp_ms, LongMember(json, "timestamp-ms", where));
  if (Find(json, "manifest-list") != nullptr) {
    CQLBULK_ASSIGN_OR_RETURN(s.manifest_list, StringMember(json, "manifest-list", where));
  } else if (const Json* manifests = Find(json, "manifests")) {
    if (!manifests->is_array()) {
      return Wrong(where, "manifests", "an array", *manifests);
    }
    for (const Json& m : *manifests) {
      if (!m.is_string()) {
        return Wrong(where, "manifests", "an array of strings", *manifests);
      }
      s.manifests.push_back(m.get<std::string>());
    }
  } else {
    return Missing(where, "manifest-list");
  }
  CQLBULK_ASSIGN_OR_RETURN(s.summary, StringMap(json, "summary", where));
  if (Find(json, "schema-id") != nullptr) {
    CQLBULK_ASSIGN_OR_RETURN(int32_t id, IntMember(json, "schema-id", where));
    s.schema_id = id;
  }
  return s;
}

Json SnapshotToJson(const Snapshot& s, int format_version) {
  Json json = Json::object();
  json["snapshot-id"] = s.snapshot_id;
  if (s.parent_snapshot_id) {
    json["parent-snapshot-id"] = *s.parent_snapshot_id;
  }
  if (format_version >= 2) {
    json["sequence-number"] = s.sequence_number;
  }
  json["timestamp-ms"] = s.timestamp_ms;
  if (!s.manifest_list.empty() || s.manifests.empty()) {
    json["manifest-list"] = s.manifest_list;
  } else {
    json["manifests"] = s.manifests;
  }
  json["summary"] = s.summary;
  if (s.schema_id) {
    json["schema-id"] = *s.schema_id;
  }
  return json;
}

// Wraps a spec/json.h error with the place in the metadata.
template <typename T>
Result<T> Within(Result<T> result, const std::string& where) {
  if (!result) {
    return Corrupt(where + ": " + result.error().message());
  }
  return result;
}

}  // namespace

Json TableMetadataToJson(const TableMetadata& m) {
  Json json = Json::object();
  json["format-version"] = m.format_version;
  json["table-uuid"] = m.table_uuid;
  json["location"] = m.location;
  if (m.format_version >= 2) {
    json["last-sequence-number"] = m.last_sequence_number;
  }
  json["last-updated-ms"] = m.last_updated_ms;
  json["last-column-id"] = m.last_column_id;
  Json schemas = Json::array();
  for (const Schema& schema : m.schemas) {
    schemas.push_back(SchemaToJson(schema));
  }
  if (m.format_version == 1 && m.CurrentSchema() != nullptr) {
    json["schema"] = SchemaToJson(*m.CurrentSchema());
  }
  json["schemas"] = std::move(schemas);
  json["current-schema-id"] = m.current_schema_id;
  Json specs = Json::array();
  for (const PartitionSpec& spec : m.partition_specs) {
    specs.push_back(PartitionSpecToJson(spec));
  }
  if (m.format_version == 1 && m.DefaultSpec() != nullptr) {
    json["partition-spec"] = PartitionSpecToJson(*m.DefaultSpec()).at("fields");
  }
  json["partition-specs"] = std::move(specs);
  json["default-spec-id"] = m.default_spec_id;
  json["last-partition-id"] = m.last_partition_id;
  json["properties"] = m.properties;
  json["current-snapshot-id"] = m.current_snapshot_id.value_or(-1);
  Json snapshots = Json::array();
  for (const Snapshot& s : m.snapshots) {
    snapshots.push_back(SnapshotToJson(s, m.format_version));
  }
  json["snapshots"] = std::move(snapshots);
  Json snapshot_log = Json::array();
  for (const SnapshotLogEntry& e : m.snapshot_log) {
    snapshot_log.push_back({{"snapshot-id", e.snapshot_id}, {"timestamp-ms", e.timestamp_ms}});
  }
  json["snapshot-log"] = std::move(snapshot_log);
  Json metadata_log = Json::array();
  for (const MetadataLogEntry& e : m.metadata_log) {
    metadata_log.push_back({{"metadata-file", e.metadata_file}, {"timestamp-ms", e.timestamp_ms}});
  }
  json["metadata-log"] = std::move(metadata_log);
  Json orders = Json::array();
  for (const SortOrder& order : m.sort_orders) {
    orders.push_back({{"order-id", order.order_id}, {"fields", order.fields}});
  }
  json["sort-orders"] = std::move(orders);
  json["default-sort-order-id"] = m.default_sort_order_id;
  Json refs = Json::object();
  for (const auto& [name, ref] : m.refs) {
    Json r{{"snapshot-id", ref.snapshot_id}, {"type", ref.type}};
    if (ref.min_snapshots_to_keep) {
      r["min-snapshots-to-keep"] = *ref.min_snapshots_to_keep;
    }
    if (ref.max_snapshot_age_ms) {
      r["max-snapshot-age-ms"] = *ref.max_snapshot_age_ms;
    }
    if (ref.max_ref_age_ms) {
      r["max-ref-age-ms"] = *ref.max_ref_age_ms;
    }
    refs[name] = std::move(r);
  }
  json["refs"] = std::move(refs);
  for (const auto& [key, value] : m.extra.items()) {
    json[key] = value;
  }
  // Java and PyIceberg always write these; keep them when nothing came in.
  if (!json.contains("statistics")) {
    json["statistics"] = Json::array();
  }
  if (!json.contains("partition-statistics")) {
    json["partition-statistics"] = Json::array();
  }
  return json;
}

Result<TableMetadata> TableMetadataFromJson(const Json& json) {
  const std::string where = "table metadata";
  if (!json.is_object()) {
    return Corrupt(where + ": not a JSON object");
  }
  TableMetadata m;
  CQLBULK_ASSIGN_OR_RETURN(m.format_version, IntMember(json, "format-version", where));
  if (m.format_version < 1 || m.format_version > 2) {
    return Unimplemented(where + ": format-version " + std::to_string(m.format_version) +
                         " is not supported (1 and 2 are)");
  }
  bool v1 = m.format_version == 1;
  if (!v1 || Find(json, "table-uuid") != nullptr) {
    CQLBULK_ASSIGN_OR_RETURN(m.table_uuid, StringMember(json, "table-uuid", where));
  }
  CQLBULK_ASSIGN_OR_RETURN(m.location, StringMember(json, "location", where));
  if (!v1) {
    CQLBULK_ASSIGN_OR_RETURN(m.last_sequence_number,
                             LongMember(json, "last-sequence-number", where));
  }
  CQLBULK_ASSIGN_OR_RETURN(m.last_updated_ms, LongMember(json, "last-updated-ms", where));
  CQLBULK_ASSIGN_OR_RETURN(m.last_column_id, IntMember(json, "last-column-id", where));

  // Schemas: "schemas" + "current-schema-id", or v1's single "schema".
  if (!v1 || Find(json, "schemas") != nullptr) {
    CQLBULK_ASSIGN_OR_RETURN(const Json* schemas, ArrayMember(json, "schemas", where));
    for (size_t i = 0; i < schemas->size(); ++i) {
      CQLBULK_ASSIGN_OR_RETURN(Schema schema,
                               Within(SchemaFromJson((*schemas)[i]), At(where, "schemas", i)));
      m.schemas.push_back(std::move(schema));
    }
    CQLBULK_ASSIGN_OR_RETURN(m.current_schema_id, IntMember(json, "current-schema-id", where));
  } else {
    CQLBULK_ASSIGN_OR_RETURN(const Json* schema, Member(json, "schema", where));
    CQLBULK_ASSIGN_OR_RETURN(Schema s, Within(SchemaFromJson(*schema), where + ": schema"));
    m.current_schema_id = s.schema_id;
    m.schemas.push_back(std::move(s));
  }
  if (m.CurrentSchema() == nullptr) {
    return Corrupt(where + ": 'current-schema-id' " + std::to_string(m.current_schema_id) +
                   " names no schema of 'schemas'");
  }

  // Partition specs: "partition-specs" + "default-spec-id", or v1's "partition-spec" fields.
  if (!v1 || Find(json, "partition-specs") != nullptr) {
    CQLBULK_ASSIGN_OR_RETURN(const Json* specs, ArrayMember(json, "partition-specs", where));
    for (size_t i = 0; i < specs->size(); ++i) {
      CQLBULK_ASSIGN_OR_RETURN(
          PartitionSpec spec,
          Within(PartitionSpecFromJson((*specs)[i]), At(where, "partition-specs", i)));
      m.partition_specs.push_back(std::move(spec));
    }
    CQLBULK_ASSIGN_OR_RETURN(m.default_spec_id, IntMember(json, "default-spec-id", where));
  } else {
    CQLBULK_ASSIGN_OR_RETURN(const Json* fields, ArrayMember(json, "partition-spec", where));
    CQLBULK_ASSIGN_OR_RETURN(PartitionSpec spec,
                             Within(PartitionSpecFromJson(Json{{"spec-id", 0},
                                                               {"fields", *fields}}),
                                    where + ": partition-spec"));
    m.partition_specs.push_back(std::move(spec));
  }
  if (m.DefaultSpec() == nullptr) {
    return Corrupt(where + ": 'default-spec-id' " + std::to_string(m.default_spec_id) +
                   " names no spec of 'partition-specs'");
  }
  if (!v1 || Find(json, "last-partition-id") != nullptr) {
    CQLBULK_ASSIGN_OR_RETURN(m.last_partition_id, IntMember(json, "last-partition-id", where));
  } else {
    for (const PartitionSpec& spec : m.partition_specs) {
      for (const PartitionField& f : spec.fields) {
        m.last_partition_id = std::max(m.last_partition_id, f.field_id);
      }
    }
  }
  CQLBULK_ASSIGN_OR_RETURN(m.properties, StringMap(json, "properties", where));

  CQLBULK_ASSIGN_OR_RETURN(std::optional<int64_t> current,
                           OptionalLong(json, "current-snapshot-id", where));
  if (current && *current != -1) {
    m.current_snapshot_id = current;
  }
  if (const Json* snapshots = Find(json, "snapshots")) {
    if (!snapshots->is_array()) {
      return Wrong(where, "snapshots", "an array", *snapshots);
    }
    for (size_t i = 0; i < snapshots->size(); ++i) {
      CQLBULK_ASSIGN_OR_RETURN(Snapshot s,
                               SnapshotFromJson((*snapshots)[i], At(where, "snapshots", i)));
      m.snapshots.push_back(std::move(s));
    }
  }
  if (m.current_snapshot_id && m.CurrentSnapshot() == nullptr) {
    return Corrupt(where + ": 'current-snapshot-id' " + std::to_string(*m.current_snapshot_id) +
                   " names no snapshot of 'snapshots'");
  }
  if (const Json* log = Find(json, "snapshot-log")) {
    if (!log->is_array()) {
      return Wrong(where, "snapshot-log", "an array", *log);
    }
    for (size_t i = 0; i < log->size(); ++i) {
      std::string at = At(where, "snapshot-log", i);
      SnapshotLogEntry e;
      CQLBULK_ASSIGN_OR_RETURN(e.snapshot_id, LongMember((*log)[i], "snapshot-id", at));
      CQLBULK_ASSIGN_OR_RETURN(e.timestamp_ms, LongMember((*log)[i], "timestamp-ms", at));
      m.snapshot_log.push_back(e);
    }
  }
  if (const Json* log = Find(json, "metadata-log")) {
    if (!log->is_array()) {
      return Wrong(where, "metadata-log", "an array", *log);
    }
    for (size_t i = 0; i < log->size(); ++i) {
      std::string at = At(where, "metadata-log", i);
      MetadataLogEntry e;
      CQLBULK_ASSIGN_OR_RETURN(e.metadata_file, StringMember((*log)[i], "metadata-file", at));
      CQLBULK_ASSIGN_OR_RETURN(e.timestamp_ms, LongMember((*log)[i], "timestamp-ms", at));
      m.metadata_log.push_back(std::move(e));
    }
  }
  if (const Json* orders = Find(json, "sort-orders")) {
    if (!orders->is_array()) {
      return Wrong(where, "sort-orders", "an array", *orders);
    }
    for (size_t i = 0; i < orders->size(); ++i) {
      std::string at = At(where, "sort-orders", i);
      SortOrder order;
      CQLBULK_ASSIGN_OR_RETURN(order.order_id, IntMember((*orders)[i], "order-id", at));
      CQLBULK_ASSIGN_OR_RETURN(const Json* fields, ArrayMember((*orders)[i], "fields", at));
      order.fields = *fields;
      m.sort_orders.push_back(std::move(order));
    }
    CQLBULK_ASSIGN_OR_RETURN(m.default_sort_order_id,
                             IntMember(json, "default-sort-order-id", where));
  } else {
    m.sort_orders.push_back(SortOrder{});
  }
  if (const Json* refs = Find(json, "refs")) {
    if (!refs->is_object()) {
      return Wrong(where, "refs", "an object", *refs);
    }
    for (const auto& [name, r] : refs->items()) {
      std::string at = where + ": refs." + name;
      SnapshotRef ref;
      CQLBULK_ASSIGN_OR_RETURN(ref.snapshot_id, LongMember(r, "snapshot-id", at));
      CQLBULK_ASSIGN_OR_RETURN(ref.type, StringMember(r, "type", at));
      if (ref.type != "branch" && ref.type != "tag") {
        return Corrupt(at + ": 'type' must be \"branch\" or \"tag\", not \"" + ref.type + "\"");
      }
      if (Find(r, "min-snapshots-to-keep") != nullptr) {
        CQLBULK_ASSIGN_OR_RETURN(int32_t n, IntMember(r, "min-snapshots-to-keep", at));
        ref.min_snapshots_to_keep = n;
      }
      CQLBULK_ASSIGN_OR_RETURN(ref.max_snapshot_age_ms,
                               OptionalLong(r, "max-snapshot-age-ms", at));
      CQLBULK_ASSIGN_OR_RETURN(ref.max_ref_age_ms, OptionalLong(r, "max-ref-age-ms", at));
      if (m.SnapshotById(ref.snapshot_id) == nullptr) {
        return Corrupt(at + ": 'snapshot-id' " + std::to_string(ref.snapshot_id) +
                       " names no snapshot of 'snapshots'");
      }
      m.refs[name] = std::move(ref);
    }
  } else if (m.current_snapshot_id) {
    // Before refs, the current snapshot was main's head (spec: "refs" is optional in v1/v2).
    m.refs["main"] = SnapshotRef{.snapshot_id = *m.current_snapshot_id};
  }
  for (const auto& [key, value] : json.items()) {
    // Empty statistics lists are what the writer adds anyway.
    bool empty_statistics =
        (key == "statistics" || key == "partition-statistics") && value.empty();
    if (!kKnownKeys.contains(key) && !empty_statistics) {
      m.extra[key] = value;
    }
  }
  return m;
}

Result<TableMetadata> ParseTableMetadata(std::string_view text) {
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::exception& e) {
    return Corrupt(std::string("table metadata: not JSON: ") + e.what());
  }
  return TableMetadataFromJson(json);
}

}  // namespace cqlbulk::iceberg
