// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/avro_internal.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>

namespace cqlbulk::iceberg::internal {
namespace {

nlohmann::json Named(std::string name, nlohmann::json definition, std::set<std::string>& named) {
  if (!named.insert(name).second) {
    return name;
  }
  definition["name"] = std::move(name);
  return definition;
}

// The shortest two's-complement big-endian form of the same number.
std::string MinimalTwosComplement(std::string_view bytes) {
  size_t start = 0;
  while (start + 1 < bytes.size()) {
    auto b = static_cast<uint8_t>(bytes[start]);
    auto next = static_cast<uint8_t>(bytes[start + 1]);
    bool redundant = (b == 0x00 && (next & 0x80) == 0) || (b == 0xff && (next & 0x80) != 0);
    if (!redundant) {
      break;
    }
    ++start;
  }
  return std::string(bytes.substr(start));
}

}  // namespace

int32_t DecimalFixedSize(int32_t precision) {
  // The fewest bytes whose signed range holds 10^precision - 1.
  for (int32_t bytes = 1; bytes < 64; ++bytes) {
    double max_digits = std::floor(std::log10(std::pow(2.0, 8.0 * bytes - 1) - 1));
    if (max_digits >= precision) {
      return bytes;
    }
  }
  return 64;
}

std::string AvroCompatibleName(std::string_view name) {
  auto valid_first = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  auto valid = [&](char c) {
    return valid_first(c) || std::isdigit(static_cast<unsigned char>(c));
  };
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (i == 0 ? valid_first(c) : valid(c)) {
      out += c;
    } else if (i == 0 && std::isdigit(static_cast<unsigned char>(c))) {
      out += '_';
      out += c;
    } else {
      char hex[8];
      auto [end, ec] = std::to_chars(hex, hex + sizeof(hex), static_cast<unsigned char>(c), 16);
      out += "_x";
      for (char* p = hex; p != end; ++p) {
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
      }
    }
  }
  return out.empty() ? "_" : out;
}

nlohmann::json AvroTypeOf(const Type& type, std::set<std::string>& named) {
  using nlohmann::json;
  switch (type.id()) {
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kInt:
      return "int";
    case TypeId::kLong:
      return "long";
    case TypeId::kFloat:
      return "float";
    case TypeId::kDouble:
      return "double";
    case TypeId::kDate:
      return json{{"type", "int"}, {"logicalType", "date"}};
    case TypeId::kTime:
      return json{{"type", "long"}, {"logicalType", "time-micros"}};
    case TypeId::kTimestamp:
      return json{{"type", "long"}, {"logicalType", "timestamp-micros"}, {"adjust-to-utc", false}};
    case TypeId::kTimestampTz:
      return json{{"type", "long"}, {"logicalType", "timestamp-micros"}, {"adjust-to-utc", true}};
    case TypeId::kString:
      return "string";
    case TypeId::kBinary:
      return "bytes";
    case TypeId::kUuid:
      return Named("uuid_fixed", json{{"type", "fixed"}, {"size", 16}, {"logicalType", "uuid"}},
                   named);
    case TypeId::kFixed:
      return Named("fixed_" + std::to_string(type.length()),
                   json{{"type", "fixed"}, {"size", type.length()}}, named);
    case TypeId::kDecimal:
      return Named("decimal_" + std::to_string(type.precision()) + "_" +
                       std::to_string(type.scale()),
                   json{{"type", "fixed"},
                        {"size", DecimalFixedSize(type.precision())},
                        {"logicalType", "decimal"},
                        {"precision", type.precision()},
                        {"scale", type.scale()}},
                   named);
    default:
      // Partition values and bounds are primitive; nested types never reach here.
      return "bytes";
  }
}

nlohmann::json OptionalField(std::string_view name, nlohmann::json type, int32_t field_id,
                             std::string_view doc) {
  nlohmann::json field{{"name", name},
                       {"type", nlohmann::json::array({"null", std::move(type)})},
                       {"default", nullptr}};
  if (!doc.empty()) {
    field["doc"] = doc;
  }
  field["field-id"] = field_id;
  return field;
}

nlohmann::json RequiredField(std::string_view name, nlohmann::json type, int32_t field_id,
                             std::string_view doc) {
  nlohmann::json field{{"name", name}, {"type", std::move(type)}};
  if (!doc.empty()) {
    field["doc"] = doc;
  }
  field["field-id"] = field_id;
  return field;
}

Result<avro::Value> LiteralToAvro(const Literal& literal, const avro::Schema& schema,
                                  avro::NodeId id) {
  const avro::Node& node = schema.node(id);
  if (node.type == avro::Type::kUnion) {
    for (size_t i = 0; i < node.children.size(); ++i) {
      bool is_null_branch = schema.node(node.children[i]).type == avro::Type::kNull;
      if (is_null_branch == literal.is_null()) {
        if (literal.is_null()) {
          return avro::Value::Union(static_cast<int32_t>(i), avro::Value::Null());
        }
        CQLBULK_ASSIGN_OR_RETURN(avro::Value inner,
                                 LiteralToAvro(literal, schema, node.children[i]));
        return avro::Value::Union(static_cast<int32_t>(i), std::move(inner));
      }
    }
    return InvalidArgument("no union branch for the value");
  }
  Literal::Kind want = Literal::Kind::kNull;
  switch (node.type) {
    case avro::Type::kBoolean: want = Literal::Kind::kBoolean; break;
    case avro::Type::kInt: want = Literal::Kind::kInt; break;
    case avro::Type::kLong: want = Literal::Kind::kLong; break;
    case avro::Type::kFloat: want = Literal::Kind::kFloat; break;
    case avro::Type::kDouble: want = Literal::Kind::kDouble; break;
    case avro::Type::kString:
    case avro::Type::kBytes:
    case avro::Type::kFixed: want = Literal::Kind::kBytes; break;
    default: break;
  }
  if (literal.kind != want || want == Literal::Kind::kNull) {
    return InvalidArgument("a value of literal kind " +
                           std::to_string(static_cast<int>(literal.kind)) + " is not an Avro " +
                           std::string(avro::TypeName(node.type)));
  }
  switch (node.type) {
    case avro::Type::kBoolean:
      return avro::Value::Boolean(literal.boolean);
    case avro::Type::kInt:
      return avro::Value::Int(literal.int_value);
    case avro::Type::kLong:
      return avro::Value::Long(literal.long_value);
    case avro::Type::kFloat:
      return avro::Value::Float(literal.float_value);
    case avro::Type::kDouble:
      return avro::Value::Double(literal.double_value);
    case avro::Type::kString:
      return avro::Value::String(literal.bytes);
    case avro::Type::kBytes:
      return avro::Value::BytesFromChars(literal.bytes);
    default:
      break;
  }
  // Fixed: a decimal's minimal bytes sign-extended to the size; other values exactly the size.
  auto size = static_cast<size_t>(node.size);
  if (node.logical_type == avro::LogicalType::kDecimal) {
    std::string minimal = MinimalTwosComplement(literal.bytes);
    if (minimal.size() > size) {
      return InvalidArgument("a decimal of " + std::to_string(minimal.size()) +
                             " bytes does not fit fixed[" + std::to_string(size) + "]");
    }
    bool negative = !minimal.empty() && (static_cast<uint8_t>(minimal[0]) & 0x80) != 0;
    std::string extended(size - minimal.size(), negative ? '\xff' : '\0');
    return avro::Value::FixedFromChars(extended + minimal);
  }
  if (literal.bytes.size() != size) {
    return InvalidArgument(std::to_string(literal.bytes.size()) + " bytes for fixed[" +
                           std::to_string(size) + "]");
  }
  return avro::Value::FixedFromChars(literal.bytes);
}

Result<Literal> LiteralFromAvro(const avro::Value& value, const avro::Schema& schema,
                                avro::NodeId id) {
  const avro::Node* node = &schema.node(id);
  const avro::Value* v = &value;
  if (node->type == avro::Type::kUnion) {
    if (value.kind() != avro::Value::Kind::kUnion ||
        static_cast<size_t>(value.index()) >= node->children.size()) {
      return Corrupt("a union value without its branch");
    }
    node = &schema.node(node->children[static_cast<size_t>(value.index())]);
    v = &value.branch_value();
  }
  switch (v->kind()) {
    case avro::Value::Kind::kNull:
      return Literal::Null();
    case avro::Value::Kind::kBoolean:
      return Literal::Boolean(v->boolean());
    case avro::Value::Kind::kInt:
      return Literal::Int(v->int_value());
    case avro::Value::Kind::kLong:
      return Literal::Long(v->long_value());
    case avro::Value::Kind::kFloat:
      return Literal::Float(v->float_value());
    case avro::Value::Kind::kDouble:
      return Literal::Double(v->double_value());
    case avro::Value::Kind::kString:
    case avro::Value::Kind::kBytes:
      if (node->logical_type == avro::LogicalType::kDecimal) {
        return Literal::Bytes(MinimalTwosComplement(v->chars()));
      }
      return Literal::Bytes(std::string(v->chars()));
    case avro::Value::Kind::kFixed:
      if (node->logical_type == avro::LogicalType::kDecimal) {
        return Literal::Bytes(MinimalTwosComplement(v->chars()));
      }
      return Literal::Bytes(std::string(v->chars()));
    default:
      return Corrupt(std::string("an Avro ") + std::string(avro::KindName(v->kind())) +
                     " is no Iceberg primitive value");
  }
}

std::optional<int32_t> FieldIdOf(const avro::Field& field) {
  auto text = field.FindAttribute("field-id");
  if (!text) {
    return std::nullopt;
  }
  int32_t id = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return std::nullopt;
  }
  return id;
}

std::vector<int> FieldIndexes(const avro::Node& record, const std::vector<int32_t>& ids) {
  std::vector<int> indexes(ids.size(), -1);
  for (size_t f = 0; f < record.fields.size(); ++f) {
    std::optional<int32_t> id = FieldIdOf(record.fields[f]);
    if (!id) {
      continue;
    }
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == *id) {
        indexes[i] = static_cast<int>(f);
      }
    }
  }
  return indexes;
}

const avro::Value* FieldValue(const avro::Value& record, int index) {
  if (index < 0 || record.kind() != avro::Value::Kind::kRecord ||
      static_cast<size_t>(index) >= record.fields().size()) {
    return nullptr;
  }
  const avro::Value& v = record.fields()[static_cast<size_t>(index)].Unwrapped();
  return v.is_null() ? nullptr : &v;
}

avro::NodeId FieldNode(const avro::Schema& schema, const avro::Node& record, int index) {
  avro::NodeId id = record.fields[static_cast<size_t>(index)].type;
  const avro::Node& node = schema.node(id);
  if (node.type == avro::Type::kUnion) {
    for (avro::NodeId child : node.children) {
      if (schema.node(child).type != avro::Type::kNull) {
        return child;
      }
    }
  }
  return id;
}

}  // namespace cqlbulk::iceberg::internal
