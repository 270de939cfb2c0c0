// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

// The JSON forms of the Iceberg spec's appendix C ("JSON serialization"), as table metadata and
// manifest key-value metadata hold them. The readers name the offending key in their errors
// (kCorrupt: "schema field 4: 'type' is missing") and accept what Java and PyIceberg write.

nlohmann::json TypeToJson(const Type& type);
Result<TypePtr> TypeFromJson(const nlohmann::json& json);

/// {"type": "struct", "schema-id": N, "identifier-field-ids": [...], "fields": [...]}.
nlohmann::json SchemaToJson(const Schema& schema);
Result<Schema> SchemaFromJson(const nlohmann::json& json);

/// "identity", "bucket[16]", "truncate[4]", "year", "month", "day", "hour", "void".
std::string TransformToString(const Transform& transform);
Result<Transform> TransformFromString(std::string_view text);

/// {"spec-id": N, "fields": [{"source-id", "field-id", "name", "transform"}, ...]}.
nlohmann::json PartitionSpecToJson(const PartitionSpec& spec);
Result<PartitionSpec> PartitionSpecFromJson(const nlohmann::json& json);

}  // namespace cqlbulk::iceberg
