// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/avro/schema.h"
#include "cqlbulk/formats/avro/value.h"
#include "cqlbulk/iceberg/spec/schema.h"

/// Helpers shared by the manifest and manifest list code (module-private): Iceberg types as
/// Avro schemas (spec, "Avro" in "Appendix A: Format-specific Requirements"), Literals as Avro
/// values and back, records read by field id.
namespace cqlbulk::iceberg::internal {

namespace avro = formats::avro;

/// \brief The Avro schema JSON of a primitive Iceberg type, as Java's AvroSchemaUtil writes it:
/// date, time-micros, timestamp-micros with `adjust-to-utc`, uuid as fixed[16] "uuid_fixed",
/// fixed[L] "fixed_L", decimal(P,S) as the smallest fixed "decimal_P_S". A named type already in
/// `named` is referenced by name (an Avro name is defined once per schema).
nlohmann::json AvroTypeOf(const Type& type, std::set<std::string>& named);

/// The bytes of the smallest fixed holding every unscaled value of `precision` digits.
int32_t DecimalFixedSize(int32_t precision);

/// \brief A name Avro accepts: Java's AvroSchemaUtil.makeCompatibleName (a character that
/// cannot be in a name becomes "_x" and its hex code; a leading digit gets a "_").
std::string AvroCompatibleName(std::string_view name);

/// \brief Compact JSON text; invalid UTF-8 in a name becomes U+FFFD instead of an exception.
inline std::string DumpJson(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// \brief An optional field: {"name", "type": ["null", type], "default": null, "field-id"}.
nlohmann::json OptionalField(std::string_view name, nlohmann::json type, int32_t field_id,
                             std::string_view doc = {});
nlohmann::json RequiredField(std::string_view name, nlohmann::json type, int32_t field_id,
                             std::string_view doc = {});

/// \brief The value of a Literal as node `id` (a union ["null", T] takes nulls and the value):
/// a decimal's minimal bytes sign-extended to its fixed size. kInvalidArgument when the
/// literal does not fit the node.
Result<avro::Value> LiteralToAvro(const Literal& literal, const avro::Schema& schema,
                                  avro::NodeId id);
/// \brief The Literal of an Avro value of node `id` (unions unwrapped; a decimal fixed back to
/// its minimal bytes). kCorrupt for a kind no Iceberg value has (records, arrays, maps).
Result<Literal> LiteralFromAvro(const avro::Value& value, const avro::Schema& schema,
                                avro::NodeId id);

/// \brief A record node's fields by their `field-id` attributes: index[i] is the field index
/// of the field with id ids[i], or -1.
std::vector<int> FieldIndexes(const avro::Node& record, const std::vector<int32_t>& ids);
/// The `field-id` of a record field (or nullopt when it has none or it is not an integer).
std::optional<int32_t> FieldIdOf(const avro::Field& field);

/// \brief A record of the values given, moved in (a braced list would copy each value tree).
template <typename... Values>
avro::Value MakeRecord(Values&&... values) {
  std::vector<avro::Value> fields;
  fields.reserve(sizeof...(values));
  (fields.push_back(std::forward<Values>(values)), ...);
  return avro::Value::Record(std::move(fields));
}

/// The value's union unwrapped; nullptr when it is null or `index` is -1.
const avro::Value* FieldValue(const avro::Value& record, int index);
/// The node of field `index` of `record`, unions ["null", T] unwrapped to T.
avro::NodeId FieldNode(const avro::Schema& schema, const avro::Node& record, int index);

}  // namespace cqlbulk::iceberg::internal
