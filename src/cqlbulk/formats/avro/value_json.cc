// SPDX-License-Identifier: Apache-2.0
// Values to and from the specification's JSON forms ("field default values", "JSON
// Encoding").
#include "cqlbulk/formats/avro/value_json.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <system_error>
#include <type_traits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/avro/encoding.h"
#include "cqlbulk/formats/text/scalar_text.h"

namespace cqlbulk::formats::avro {
namespace {

std::string_view JsonTypeName(JsonType type) {
  switch (type) {
    case JsonType::kNull:
      return "null";
    case JsonType::kBoolean:
      return "a boolean";
    case JsonType::kNumber:
      return "a number";
    case JsonType::kString:
      return "a string";
    case JsonType::kArray:
      return "an array";
    case JsonType::kObject:
      return "an object";
  }
  return "?";
}

// The name that stands for a union branch in the JSON encoding.
std::string_view BranchName(const Node& n) {
  return n.is_named() ? std::string_view(n.full_name) : TypeName(n.type);
}

// Code points 0-255 of valid UTF-8 (what the JSON parser gives), one byte each.
std::optional<std::string> CodePointsToBytes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < text.size()) {
      auto next = static_cast<unsigned char>(text[++i]);
      out += static_cast<char>(((c & 0x03) << 6) | (next & 0x3F));
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// A JSON string of code points 0-255, one per byte: printable ASCII as is, the rest \u00XX.
void AppendBytesAsCodePoints(std::string_view bytes, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out += ch;
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  out += '"';
}

template <typename T>
std::optional<T> ParseInteger(std::string_view text) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return v;
}

template <typename T>
std::optional<T> ParseFloating(JsonValue json) {
  if (json.type() == JsonType::kString) {
    std::string_view s = json.text();
    if (s == "NaN") return std::numeric_limits<T>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<T>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<T>::infinity();
    return std::nullopt;
  }
  if (json.type() != JsonType::kNumber) {
    return std::nullopt;
  }
  std::string_view s = json.text();
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  // Out of range is fine: it rounds to an infinity or zero as Java's parsers do.
  if ((ec != std::errc() && ec != std::errc::result_out_of_range) || end != s.data() + s.size()) {
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range) {
    // Past the type's range: strtod/strtof round to an infinity or to zero.
    std::string copy(s);
    if constexpr (std::is_same_v<T, float>) {
      v = std::strtof(copy.c_str(), nullptr);
    } else {
      v = std::strtod(copy.c_str(), nullptr);
    }
  }
  return v;
}

class FromJson {
 public:
  FromJson(const Schema& schema, JsonForm form) : schema_(schema), form_(form) {}

  Result<Value> Convert(NodeId id, JsonValue json) {
    const Node& n = schema_.node(id);
    switch (n.type) {
      case Type::kNull:
        if (json.is_null()) return Value::Null();
        break;
      case Type::kBoolean:
        if (json.type() == JsonType::kBoolean) return Value::Boolean(json.boolean());
        break;
      case Type::kInt:
        if (json.type() == JsonType::kNumber) {
          if (auto v = ParseInteger<int32_t>(json.text())) return Value::Int(*v);
          return Fail("expected an int, got " + QuoteForError(json.text()));
        }
        break;
      case Type::kLong:
        if (json.type() == JsonType::kNumber) {
          if (auto v = ParseInteger<int64_t>(json.text())) return Value::Long(*v);
          return Fail("expected a long, got " + QuoteForError(json.text()));
        }
        break;
      case Type::kFloat:
        if (auto v = ParseFloating<float>(json)) return Value::Float(*v);
        break;
      case Type::kDouble:
        if (auto v = ParseFloating<double>(json)) return Value::Double(*v);
        break;
      case Type::kBytes:
      case Type::kFixed:
        if (json.type() == JsonType::kString) {
          std::optional<std::string> bytes = CodePointsToBytes(json.text());
          if (!bytes) {
            return Fail("a string of bytes has a code point above 255: " +
                        QuoteForError(json.text()));
          }
          if (n.type == Type::kBytes) return Value::BytesFromChars(std::move(*bytes));
          if (bytes->size() != static_cast<size_t>(n.size)) {
            return Fail("expected " + std::to_string(n.size) + " bytes for fixed " +
                        n.full_name + ", got " + std::to_string(bytes->size()));
          }
          return Value::FixedFromChars(std::move(*bytes));
        }
        break;
      case Type::kString:
        if (json.type() == JsonType::kString) return Value::String(std::string(json.text()));
        break;
      case Type::kEnum:
        if (json.type() == JsonType::kString) {
          for (size_t i = 0; i < n.symbols.size(); ++i) {
            if (n.symbols[i] == json.text()) return Value::Enum(static_cast<int32_t>(i));
          }
          return Fail(QuoteForError(json.text()) + " is not a symbol of enum " + n.full_name);
        }
        break;
      case Type::kArray:
        if (json.type() == JsonType::kArray) {
          std::vector<Value> items;
          items.reserve(json.size());
          size_t i = 0;
          for (JsonValue e : json.elements()) {
            size_t mark = Push("[" + std::to_string(i++) + "]");
            CQLBULK_ASSIGN_OR_RETURN(Value item, Convert(n.items(), e));
            Pop(mark);
            items.push_back(std::move(item));
          }
          return Value::Array(std::move(items));
        }
        break;
      case Type::kMap:
        if (json.type() == JsonType::kObject) {
          std::vector<MapEntry> entries;
          entries.reserve(json.size());
          for (JsonMember m : json.members()) {
            size_t mark = Push("[" + QuoteForError(m.key) + "]");
            CQLBULK_ASSIGN_OR_RETURN(Value v, Convert(n.values(), m.value));
            Pop(mark);
            entries.push_back({std::string(m.key), std::move(v)});
          }
          return Value::Map(std::move(entries));
        }
        break;
      case Type::kRecord:
        if (json.type() == JsonType::kObject) return Record(n, json);
        break;
      case Type::kUnion:
        return Union(n, json);
    }
    return Fail("expected " + std::string(TypeName(n.type)) + ", got " +
                std::string(JsonTypeName(json.type())));
  }

 private:
  size_t Push(std::string_view step) {
    size_t mark = path_.size();
    path_ += step;
    return mark;
  }
  void Pop(size_t mark) { path_.resize(mark); }

  Error Fail(std::string what) const {
    return InvalidArgument(path_.empty() ? what : path_ + ": " + what);
  }

  Result<Value> Record(const Node& n, JsonValue json) {
    std::vector<std::optional<Value>> fields(n.fields.size());
    for (JsonMember m : json.members()) {
      std::optional<size_t> index = n.FieldIndex(m.key);
      if (!index) {
        return Fail("record " + n.full_name + " has no field " + QuoteForError(m.key));
      }
      size_t mark = Push((path_.empty() ? "" : ".") + std::string(m.key));
      CQLBULK_ASSIGN_OR_RETURN(Value v, Convert(n.fields[*index].type, m.value));
      Pop(mark);
      fields[*index] = std::move(v);
    }
    std::vector<Value> values;
    values.reserve(fields.size());
    for (size_t i = 0; i < fields.size(); ++i) {
      if (!fields[i]) {
        if (!n.fields[i].default_value) {
          return Fail("field " + n.fields[i].name + " of record " + n.full_name +
                      " is missing and has no default");
        }
        fields[i] = n.fields[i].default_value;
      }
      values.push_back(std::move(*fields[i]));
    }
    return Value::Record(std::move(values));
  }

  Result<Value> Union(const Node& n, JsonValue json) {
    if (form_ == JsonForm::kDefault) {
      CQLBULK_ASSIGN_OR_RETURN(Value v, Convert(n.children.front(), json));
      return Value::Union(0, std::move(v));
    }
    if (json.is_null()) {
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (schema_.node(n.children[i]).type == Type::kNull) {
          return Value::Union(static_cast<int32_t>(i), Value::Null());
        }
      }
      return Fail("null is not a branch of this union");
    }
    if (json.type() != JsonType::kObject || json.size() != 1) {
      return Fail("expected a union value: null or an object of one member named for its branch");
    }
    JsonMember member = *json.members().begin();
    for (size_t i = 0; i < n.children.size(); ++i) {
      if (BranchName(schema_.node(n.children[i])) == member.key) {
        CQLBULK_ASSIGN_OR_RETURN(Value v, Convert(n.children[i], member.value));
        return Value::Union(static_cast<int32_t>(i), std::move(v));
      }
    }
    return Fail(QuoteForError(member.key) + " is not a branch of this union");
  }

  const Schema& schema_;
  JsonForm form_;
  std::string path_;
};

class ToJson {
 public:
  explicit ToJson(const Schema& schema) : schema_(schema) {}

  Status Append(NodeId id, const Value& value) {
    const Node& n = schema_.node(id);
    if (n.type == Type::kUnion) {
      CQLBULK_ASSIGN_OR_RETURN(size_t branch, ChooseBranch(schema_, id, value));
      NodeId branch_id = n.children[branch];
      const Value& inner = value.kind() == Value::Kind::kUnion ? value.branch_value() : value;
      if (schema_.node(branch_id).type == Type::kNull) {
        return Append(branch_id, inner);
      }
      out_ += '{';
      AppendJsonString(BranchName(schema_.node(branch_id)), out_);
      out_ += ':';
      CQLBULK_RETURN_IF_ERROR(Append(branch_id, inner));
      out_ += '}';
      return OkStatus();
    }
    if (static_cast<Type>(value.kind()) != n.type) {
      return Fail("expected " + std::string(TypeName(n.type)) + ", got " +
                  std::string(KindName(value.kind())));
    }
    switch (n.type) {
      case Type::kNull:
        out_ += "null";
        break;
      case Type::kBoolean:
        out_ += value.boolean() ? "true" : "false";
        break;
      case Type::kInt:
        out_ += std::to_string(value.int_value());
        break;
      case Type::kLong:
        out_ += std::to_string(value.long_value());
        break;
      case Type::kFloat:
        Floating(value.float_value(), [&] { AppendFloat32Text(value.float_value(), out_); });
        break;
      case Type::kDouble:
        Floating(value.double_value(), [&] { AppendFloat64Text(value.double_value(), out_); });
        break;
      case Type::kBytes:
        AppendBytesAsCodePoints(value.chars(), out_);
        break;
      case Type::kFixed:
        if (value.chars().size() != static_cast<size_t>(n.size)) {
          return Fail("fixed " + n.full_name + " holds " + std::to_string(n.size) +
                      " bytes, got " + std::to_string(value.chars().size()));
        }
        AppendBytesAsCodePoints(value.chars(), out_);
        break;
      case Type::kString:
        AppendJsonString(value.chars(), out_);
        break;
      case Type::kEnum:
        if (value.index() < 0 || static_cast<size_t>(value.index()) >= n.symbols.size()) {
          return Fail("enum " + n.full_name + " has no symbol " + std::to_string(value.index()));
        }
        AppendJsonString(n.symbols[static_cast<size_t>(value.index())], out_);
        break;
      case Type::kArray: {
        out_ += '[';
        for (size_t i = 0; i < value.items().size(); ++i) {
          if (i > 0) out_ += ',';
          size_t mark = Push("[" + std::to_string(i) + "]");
          CQLBULK_RETURN_IF_ERROR(Append(n.items(), value.items()[i]));
          Pop(mark);
        }
        out_ += ']';
        break;
      }
      case Type::kMap: {
        out_ += '{';
        for (size_t i = 0; i < value.entries().size(); ++i) {
          if (i > 0) out_ += ',';
          const MapEntry& e = value.entries()[i];
          AppendJsonString(e.key, out_);
          out_ += ':';
          size_t mark = Push("[" + QuoteForError(e.key) + "]");
          CQLBULK_RETURN_IF_ERROR(Append(n.values(), e.value));
          Pop(mark);
        }
        out_ += '}';
        break;
      }
      case Type::kRecord: {
        if (value.fields().size() != n.fields.size()) {
          return Fail("record " + n.full_name + " has " + std::to_string(n.fields.size()) +
                      " fields, got " + std::to_string(value.fields().size()));
        }
        out_ += '{';
        for (size_t i = 0; i < n.fields.size(); ++i) {
          if (i > 0) out_ += ',';
          AppendJsonString(n.fields[i].name, out_);
          out_ += ':';
          size_t mark = Push((path_.empty() ? "" : ".") + n.fields[i].name);
          CQLBULK_RETURN_IF_ERROR(Append(n.fields[i].type, value.fields()[i]));
          Pop(mark);
        }
        out_ += '}';
        break;
      }
      case Type::kUnion:
        break;
    }
    return OkStatus();
  }

  std::string Take() { return std::move(out_); }

 private:
  template <typename T, typename Finite>
  void Floating(T v, Finite finite) {
    if (std::isfinite(v)) {
      finite();
    } else {
      out_ += std::isnan(v) ? "\"NaN\"" : v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    }
  }
  size_t Push(std::string_view step) {
    size_t mark = path_.size();
    path_ += step;
    return mark;
  }
  void Pop(size_t mark) { path_.resize(mark); }
  Error Fail(std::string what) const {
    return InvalidArgument(path_.empty() ? what : path_ + ": " + what);
  }

  const Schema& schema_;
  std::string path_;
  std::string out_;
};

void AppendCompact(JsonValue json, std::string& out) {
  switch (json.type()) {
    case JsonType::kNull:
      out += "null";
      return;
    case JsonType::kBoolean:
      out += json.boolean() ? "true" : "false";
      return;
    case JsonType::kNumber:
      out += json.text();
      return;
    case JsonType::kString:
      AppendJsonString(json.text(), out);
      return;
    case JsonType::kArray: {
      out += '[';
      bool first = true;
      for (JsonValue e : json.elements()) {
        if (!first) out += ',';
        first = false;
        AppendCompact(e, out);
      }
      out += ']';
      return;
    }
    case JsonType::kObject: {
      out += '{';
      bool first = true;
      for (JsonMember m : json.members()) {
        if (!first) out += ',';
        first = false;
        AppendJsonString(m.key, out);
        out += ':';
        AppendCompact(m.value, out);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

Result<Value> ValueFromJson(const Schema& schema, NodeId id, JsonValue json, JsonForm form) {
  return FromJson(schema, form).Convert(id, json);
}

Result<Value> ValueFromJsonText(const Schema& schema, std::string_view json_text,
                                JsonForm form) {
  JsonDocument document;
  CQLBULK_RETURN_IF_ERROR(document.Parse(json_text));
  return ValueFromJson(schema, schema.root(), document.root(), form);
}

Result<std::string> ValueToJson(const Schema& schema, const Value& value) {
  return ValueToJson(schema, schema.root(), value);
}

Result<std::string> ValueToJson(const Schema& schema, NodeId id, const Value& value) {
  ToJson to_json(schema);
  CQLBULK_RETURN_IF_ERROR(to_json.Append(id, value));
  return to_json.Take();
}

void AppendCompactJson(JsonValue json, std::string& out) { AppendCompact(json, out); }

}  // namespace cqlbulk::formats::avro
