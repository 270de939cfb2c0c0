// SPDX-License-Identifier: Apache-2.0
// The Iceberg spec's appendix C, "JSON serialization": types, schemas, partition specs. The
// writers write what Java writes ("decimal(9, 2)", "fixed[16]"); the readers also accept what
// PyIceberg writes (null docs, "decimal(9,2)") and name the key at fault in their errors.
#include "cqlbulk/iceberg/spec/json.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::iceberg {
namespace {

using Json = nlohmann::json;

Error Missing(std::string_view where, std::string_view key) {
  return Corrupt(std::string(where) + ": '" + std::string(key) + "' is missing");
}

Error Wrong(std::string_view where, std::string_view key, std::string_view expected,
            const Json& got) {
  return Corrupt(std::string(where) + ": '" + std::string(key) + "' must be " +
                 std::string(expected) + ", not " + got.dump());
}

Result<const Json*> Member(const Json& object, std::string_view key, std::string_view where) {
  auto it = object.find(key);
  if (it == object.end()) {
    return Missing(where, key);
  }
  return &*it;
}

// The value of a JSON integer that fits an int32.
std::optional<int32_t> Int32Of(const Json& value) {
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() <= uint64_t{std::numeric_limits<int32_t>::max()}) {
      return static_cast<int32_t>(value.get<uint64_t>());
    }
  } else if (value.is_number_integer()) {
    int64_t v = value.get<int64_t>();
    if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
      return static_cast<int32_t>(v);
    }
  }
  return std::nullopt;
}

Result<int32_t> IntMember(const Json& object, std::string_view key, std::string_view where) {
  CQLBULK_ASSIGN_OR_RETURN(const Json* value, Member(object, key, where));
  if (std::optional<int32_t> v = Int32Of(*value)) {
    return *v;
  }
  return Wrong(where, key, "a 32-bit integer", *value);
}

Result<std::string> StringMember(const Json& object, std::string_view key,
                                 std::string_view where) {
  CQLBULK_ASSIGN_OR_RETURN(const Json* value, Member(object, key, where));
  if (!value->is_string()) {
    return Wrong(where, key, "a string", *value);
  }
  return value->get<std::string>();
}

Result<bool> BoolMember(const Json& object, std::string_view key, std::string_view where) {
  CQLBULK_ASSIGN_OR_RETURN(const Json* value, Member(object, key, where));
  if (!value->is_boolean()) {
    return Wrong(where, key, "true or false", *value);
  }
  return value->get<bool>();
}

// Parses the decimal digits of `text` whole into an int32 (no sign, no spaces).
std::optional<int32_t> ParseCount(std::string_view text) {
  int32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || text[0] == '-' ||
      text[0] == '+') {
    return std::nullopt;
  }
  return value;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// "decimal(P, S)" or "decimal(P,S)"; "fixed[L]".
Result<TypePtr> PrimitiveFromString(std::string_view text, std::string_view where) {
  static const std::pair<std::string_view, TypePtr (*)()> kNames[] = {
      {"boolean", &Type::Boolean}, {"int", &Type::Int},
      {"long", &Type::Long},       {"float", &Type::Float},
      {"double", &Type::Double},   {"date", &Type::Date},
      {"time", &Type::Time},       {"timestamp", &Type::Timestamp},
      {"timestamptz", &Type::TimestampTz}, {"string", &Type::String},
      {"uuid", &Type::Uuid},       {"binary", &Type::Binary},
  };
  for (const auto& [name, make] : kNames) {
    if (text == name) {
      return make();
    }
  }
  auto bad = [&](std::string_view why) {
    return Corrupt(std::string(where) + ": type \"" + std::string(text) + "\" " +
                   std::string(why));
  };
  if (text.starts_with("decimal(") && text.ends_with(")")) {
    std::string_view inner = text.substr(8, text.size() - 9);
    size_t comma = inner.find(',');
    std::optional<int32_t> precision, scale;
    if (comma != std::string_view::npos) {
      precision = ParseCount(Trim(inner.substr(0, comma)));
      scale = ParseCount(Trim(inner.substr(comma + 1)));
    }
    if (!precision || !scale) {
      return bad("is not decimal(P, S)");
    }
    if (*precision < 1 || *precision > 38) {
      return bad("has a precision outside 1..38");
    }
    return Type::Decimal(*precision, *scale);
  }
  if (text.starts_with("fixed[") && text.ends_with("]")) {
    std::optional<int32_t> length = ParseCount(Trim(text.substr(6, text.size() - 7)));
    if (!length) {
      return bad("is not fixed[L]");
    }
    return Type::Fixed(*length);
  }
  return bad("is not a type this version reads");
}

Result<NestedField> FieldFromJson(const Json& json, std::string_view where, size_t index);

Result<TypePtr> TypeFromJsonAt(const Json& json, std::string_view where) {
  if (json.is_string()) {
    return PrimitiveFromString(json.get_ref<const std::string&>(), where);
  }
  if (!json.is_object()) {
    return Corrupt(std::string(where) + ": a type must be a string or an object, not " +
                   json.dump());
  }
  CQLBULK_ASSIGN_OR_RETURN(std::string kind, StringMember(json, "type", where));
  if (kind == "struct") {
    CQLBULK_ASSIGN_OR_RETURN(const Json* fields, Member(json, "fields", where));
    if (!fields->is_array()) {
      return Wrong(where, "fields", "an array", *fields);
    }
    std::vector<NestedField> out;
    out.reserve(fields->size());
    for (size_t i = 0; i < fields->size(); ++i) {
      CQLBULK_ASSIGN_OR_RETURN(NestedField field, FieldFromJson((*fields)[i], where, i));
      out.push_back(std::move(field));
    }
    return Type::Struct(std::move(out));
  }
  if (kind == "list") {
    CQLBULK_ASSIGN_OR_RETURN(int32_t element_id, IntMember(json, "element-id", where));
    CQLBULK_ASSIGN_OR_RETURN(bool element_required, BoolMember(json, "element-required", where));
    CQLBULK_ASSIGN_OR_RETURN(const Json* element, Member(json, "element", where));
    std::string inner = std::string(where) + ", list element " + std::to_string(element_id);
    CQLBULK_ASSIGN_OR_RETURN(TypePtr element_type, TypeFromJsonAt(*element, inner));
    return Type::List(element_id, std::move(element_type), element_required);
  }
  if (kind == "map") {
    CQLBULK_ASSIGN_OR_RETURN(int32_t key_id, IntMember(json, "key-id", where));
    CQLBULK_ASSIGN_OR_RETURN(int32_t value_id, IntMember(json, "value-id", where));
    CQLBULK_ASSIGN_OR_RETURN(bool value_required, BoolMember(json, "value-required", where));
    CQLBULK_ASSIGN_OR_RETURN(const Json* key, Member(json, "key", where));
    CQLBULK_ASSIGN_OR_RETURN(const Json* value, Member(json, "value", where));
    CQLBULK_ASSIGN_OR_RETURN(
        TypePtr key_type,
        TypeFromJsonAt(*key, std::string(where) + ", map key " + std::to_string(key_id)));
    CQLBULK_ASSIGN_OR_RETURN(
        TypePtr value_type,
        TypeFromJsonAt(*value, std::string(where) + ", map value " + std::to_string(value_id)));
    return Type::Map(key_id, std::move(key_type), value_id, std::move(value_type),
                     value_required);
  }
  return Corrupt(std::string(where) + ": 'type' \"" + kind +
                 "\" is not struct, list or map");
}

// A struct's field; `where` is the struct's place, `index` the field's position in it.
Result<NestedField> FieldFromJson(const Json& json, std::string_view where, size_t index) {
  if (!json.is_object()) {
    return Corrupt(std::string(where) + ", field #" + std::to_string(index) +
                   ": must be an object, not " + json.dump());
  }
  NestedField field;
  CQLBULK_ASSIGN_OR_RETURN(field.id,
                           IntMember(json, "id", std::string(where) + ", field #" +
                                                     std::to_string(index)));
  std::string at = std::string(where) + ", field " + std::to_string(field.id);
  CQLBULK_ASSIGN_OR_RETURN(field.name, StringMember(json, "name", at));
  CQLBULK_ASSIGN_OR_RETURN(field.required, BoolMember(json, "required", at));
  CQLBULK_ASSIGN_OR_RETURN(const Json* type, Member(json, "type", at));
  CQLBULK_ASSIGN_OR_RETURN(field.type, TypeFromJsonAt(*type, at));
  // PyIceberg may write "doc": null.
  if (auto doc = json.find("doc"); doc != json.end() && !doc->is_null()) {
    if (!doc->is_string()) {
      return Wrong(at, "doc", "a string", *doc);
    }
    field.doc = doc->get<std::string>();
  }
  return field;
}

Json FieldToJson(const NestedField& field) {
  Json json = {{"id", field.id},
               {"name", field.name},
               {"required", field.required},
               {"type", TypeToJson(*field.type)}};
  if (!field.doc.empty()) {
    json["doc"] = field.doc;
  }
  return json;
}

std::string TrimmedLower(std::string_view text) {
  std::string out(Trim(text));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The first id that two fields of the tree share, if any.
std::optional<int32_t> RepeatedId(const std::vector<NestedField>& fields) {
  std::set<int32_t> seen;
  std::vector<const std::vector<NestedField>*> pending = {&fields};
  while (!pending.empty()) {
    const std::vector<NestedField>* level = pending.back();
    pending.pop_back();
    for (const NestedField& field : *level) {
      if (!seen.insert(field.id).second) return field.id;
      pending.push_back(&field.type->fields());
    }
  }
  return std::nullopt;
}

}  // namespace

Json TypeToJson(const Type& type) {
  switch (type.id()) {
    case TypeId::kDecimal:
      // Java and PyIceberg write the space; both read either.
      return "decimal(" + std::to_string(type.precision()) + ", " + std::to_string(type.scale()) +
             ")";
    case TypeId::kStruct: {
      Json fields = Json::array();
      for (const NestedField& field : type.fields()) {
        fields.push_back(FieldToJson(field));
      }
      return {{"type", "struct"}, {"fields", std::move(fields)}};
    }
    case TypeId::kList: {
      const NestedField& element = type.fields()[0];
      return {{"type", "list"},
              {"element-id", element.id},
              {"element", TypeToJson(*element.type)},
              {"element-required", element.required}};
    }
    case TypeId::kMap: {
      const NestedField& key = type.fields()[0];
      const NestedField& value = type.fields()[1];
      return {{"type", "map"},
              {"key-id", key.id},
              {"key", TypeToJson(*key.type)},
              {"value-id", value.id},
              {"value", TypeToJson(*value.type)},
              {"value-required", value.required}};
    }
    default:
      return type.ToString();
  }
}

Result<TypePtr> TypeFromJson(const Json& json) { return TypeFromJsonAt(json, "type"); }

Json SchemaToJson(const Schema& schema) {
  Json json = TypeToJson(*Type::Struct(schema.fields));
  json["schema-id"] = schema.schema_id;
  json["identifier-field-ids"] = schema.identifier_field_ids;
  return json;
}

Result<Schema> SchemaFromJson(const Json& json) {
  if (!json.is_object()) {
    return Corrupt("schema: must be an object, not " + json.dump());
  }
  Schema schema;
  // A v1 table's only schema may have no id: it is 0.
  if (json.contains("schema-id")) {
    CQLBULK_ASSIGN_OR_RETURN(schema.schema_id, IntMember(json, "schema-id", "schema"));
  }
  std::string where = "schema " + std::to_string(schema.schema_id);
  if (auto type = json.find("type"); type != json.end() && *type != "struct") {
    return Wrong(where, "type", "\"struct\"", *type);
  }
  CQLBULK_ASSIGN_OR_RETURN(const Json* fields, Member(json, "fields", where));
  if (!fields->is_array()) {
    return Wrong(where, "fields", "an array", *fields);
  }
  for (size_t i = 0; i < fields->size(); ++i) {
    CQLBULK_ASSIGN_OR_RETURN(NestedField field, FieldFromJson((*fields)[i], where, i));
    schema.fields.push_back(std::move(field));
  }
  if (std::optional<int32_t> twice = RepeatedId(schema.fields)) {
    return Corrupt(where + ": field id " + std::to_string(*twice) + " is used twice");
  }
  if (auto ids = json.find("identifier-field-ids"); ids != json.end() && !ids->is_null()) {
    if (!ids->is_array()) {
      return Wrong(where, "identifier-field-ids", "an array", *ids);
    }
    for (const Json& id : *ids) {
      std::optional<int32_t> field_id = Int32Of(id);
      if (!field_id) {
        return Wrong(where, "identifier-field-ids", "an array of field ids", *ids);
      }
      if (schema.FindField(*field_id) == nullptr) {
        return Corrupt(where + ": 'identifier-field-ids' names field " +
                       std::to_string(*field_id) + ", which the schema does not have");
      }
      schema.identifier_field_ids.push_back(*field_id);
    }
  }
  return schema;
}

std::string TransformToString(const Transform& transform) {
  switch (transform.kind) {
    case Transform::Kind::kIdentity:
      return "identity";
    case Transform::Kind::kBucket:
      return "bucket[" + std::to_string(transform.parameter) + "]";
    case Transform::Kind::kTruncate:
      return "truncate[" + std::to_string(transform.parameter) + "]";
    case Transform::Kind::kYear:
      return "year";
    case Transform::Kind::kMonth:
      return "month";
    case Transform::Kind::kDay:
      return "day";
    case Transform::Kind::kHour:
      return "hour";
    case Transform::Kind::kVoid:
      return "void";
  }
  return "void";
}

Result<Transform> TransformFromString(std::string_view text) {
  // Java reads the names without regard to case.
  std::string name = TrimmedLower(text);
  using Kind = Transform::Kind;
  static const std::pair<std::string_view, Kind> kNames[] = {
      {"identity", Kind::kIdentity}, {"year", Kind::kYear}, {"month", Kind::kMonth},
      {"day", Kind::kDay},           {"hour", Kind::kHour}, {"void", Kind::kVoid}};
  for (const auto& [spelled, kind] : kNames) {
    if (name == spelled) {
      return Transform{kind, 0};
    }
  }
  for (auto [prefix, kind] : {std::pair<std::string_view, Kind>{"bucket[", Kind::kBucket},
                              std::pair<std::string_view, Kind>{"truncate[", Kind::kTruncate}}) {
    if (name.starts_with(prefix) && name.ends_with("]")) {
      std::optional<int32_t> parameter =
          ParseCount(std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - 1));
      if (!parameter || *parameter <= 0) {
        return Corrupt("transform \"" + std::string(text) + "\": the parameter must be a " +
                       "positive integer");
      }
      return Transform{kind, *parameter};
    }
  }
  return Corrupt("transform \"" + std::string(text) + "\" is not one of identity, bucket[N], " +
                 "truncate[W], year, month, day, hour, void");
}

Json PartitionSpecToJson(const PartitionSpec& spec) {
  Json fields = Json::array();
  for (const PartitionField& field : spec.fields) {
    fields.push_back({{"source-id", field.source_id},
                      {"field-id", field.field_id},
                      {"name", field.name},
                      {"transform", TransformToString(field.transform)}});
  }
  return {{"spec-id", spec.spec_id}, {"fields", std::move(fields)}};
}

Result<PartitionSpec> PartitionSpecFromJson(const Json& json) {
  if (!json.is_object()) {
    return Corrupt("partition spec: must be an object, not " + json.dump());
  }
  PartitionSpec spec;
  // A v1 table's "partition-spec" is the bare field array, read by the metadata reader; a spec
  // object without an id is spec 0.
  if (json.contains("spec-id")) {
    CQLBULK_ASSIGN_OR_RETURN(spec.spec_id, IntMember(json, "spec-id", "partition spec"));
  }
  std::string where = "partition spec " + std::to_string(spec.spec_id);
  CQLBULK_ASSIGN_OR_RETURN(const Json* fields, Member(json, "fields", where));
  if (!fields->is_array()) {
    return Wrong(where, "fields", "an array", *fields);
  }
  for (size_t i = 0; i < fields->size(); ++i) {
    const Json& f = (*fields)[i];
    std::string at = where + ", field #" + std::to_string(i);
    if (!f.is_object()) {
      return Corrupt(at + ": must be an object, not " + f.dump());
    }
    PartitionField field;
    // v1 specs may lack field ids: they are numbered from 1000 in order.
    field.field_id = 1000 + static_cast<int32_t>(i);
    if (f.contains("field-id")) {
      CQLBULK_ASSIGN_OR_RETURN(field.field_id, IntMember(f, "field-id", at));
      at = where + ", field " + std::to_string(field.field_id);
    }
    // Format v3 writers may write "source-ids"; one source is all a v2 transform takes.
    if (auto ids = f.find("source-ids"); ids != f.end() && !f.contains("source-id")) {
      std::optional<int32_t> id;
      if (ids->is_array() && ids->size() == 1) id = Int32Of((*ids)[0]);
      if (!id) {
        return Wrong(at, "source-ids", "an array of one field id", *ids);
      }
      field.source_id = *id;
    } else {
      CQLBULK_ASSIGN_OR_RETURN(field.source_id, IntMember(f, "source-id", at));
    }
    CQLBULK_ASSIGN_OR_RETURN(field.name, StringMember(f, "name", at));
    CQLBULK_ASSIGN_OR_RETURN(std::string transform, StringMember(f, "transform", at));
    auto parsed = TransformFromString(transform);
    if (!parsed) {
      return std::move(parsed).error().WithContext(at);
    }
    field.transform = *parsed;
    spec.fields.push_back(std::move(field));
  }
  return spec;
}

}  // namespace cqlbulk::iceberg
