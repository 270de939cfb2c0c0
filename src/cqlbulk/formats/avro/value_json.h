// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/avro/schema.h"
#include "cqlbulk/formats/avro/value.h"
#include "cqlbulk/formats/text/json_parse.h"

namespace cqlbulk::formats::avro {

/// \brief Which of the specification's two JSON forms of a value.
enum class JsonForm : uint8_t {
  /// "field default values": a union's value is a value of its first branch.
  kDefault,
  /// "JSON Encoding": a union's value is `null` or `{"<branch>": value}`, the branch named by
  /// its full name when named, else by its type name ("long", "array").
  kEncoding,
};

/// \brief The value of node `id` that `json` stands for.
///
/// Both forms: ints and longs are integral numbers in range; floats and doubles numbers or
/// the strings "NaN", "Infinity", "-Infinity"; bytes and fixed strings whose code points are
/// 0-255, one byte each; enums a symbol; maps objects; records objects whose members are the
/// fields (a field that is missing takes its default; a member that is no field is an error).
/// kInvalidArgument names the path in the value (`data_file.partition.x`) and what is wrong.
Result<Value> ValueFromJson(const Schema& schema, NodeId id, JsonValue json, JsonForm form);

/// \brief Parses JSON text and converts it as ValueFromJson for the schema's root.
Result<Value> ValueFromJsonText(const Schema& schema, std::string_view json_text,
                                JsonForm form = JsonForm::kEncoding);

/// \brief The JSON encoding (JsonForm::kEncoding) of `value`, a value of the schema's root:
/// compact, floats as their shortest text (a float as a float: `0.1`), NaN and infinities as
/// the strings above, bytes and fixed as strings of code points 0-255. A value that is not a
/// union where the schema has one is written as the branch ChooseBranch picks.
/// kInvalidArgument when `value` is not a value of the schema, naming the path.
Result<std::string> ValueToJson(const Schema& schema, const Value& value);
Result<std::string> ValueToJson(const Schema& schema, NodeId id, const Value& value);

/// \brief Appends `json` as compact JSON text (numbers as written, strings escaped).
void AppendCompactJson(JsonValue json, std::string& out);

}  // namespace cqlbulk::formats::avro
