// SPDX-License-Identifier: Apache-2.0
// Schema::Parse: the JSON of "Schema Declaration" into nodes, with the checks of "Names",
// "Unions" and "Logical Types".
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <system_error>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/avro/schema.h"
#include "cqlbulk/formats/avro/value_json.h"
#include "cqlbulk/formats/text/json_parse.h"

namespace cqlbulk::formats::avro {
namespace {

constexpr Type kPrimitives[] = {Type::kNull,  Type::kBoolean, Type::kInt,   Type::kLong,
                                Type::kFloat, Type::kDouble,  Type::kBytes, Type::kString};

std::optional<Type> PrimitiveType(std::string_view name) {
  for (Type t : kPrimitives) {
    if (TypeName(t) == name) {
      return t;
    }
  }
  return std::nullopt;
}

// "[A-Za-z_][A-Za-z0-9_]*" (Names).
bool IsValidName(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Names separated by dots, each valid.
bool IsValidFullName(std::string_view name) {
  while (true) {
    size_t dot = name.find('.');
    if (!IsValidName(name.substr(0, dot))) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    name.remove_prefix(dot + 1);
  }
}

Node MakeNode(Type type) {
  Node node;
  node.type = type;
  return node;
}

std::string_view NamespaceOf(std::string_view full_name) {
  size_t dot = full_name.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : full_name.substr(0, dot);
}

std::optional<int64_t> IntegerOf(JsonValue v) {
  if (!v.valid() || v.type() != JsonType::kNumber) {
    return std::nullopt;
  }
  int64_t out = 0;
  std::string_view text = v.text();
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return out;
}

struct LogicalInfo {
  LogicalType type;
  Type underlying;
};

constexpr LogicalInfo kLogicalTypes[] = {
    {LogicalType::kDecimal, Type::kBytes},
    {LogicalType::kDecimal, Type::kFixed},
    {LogicalType::kUuid, Type::kString},
    {LogicalType::kUuid, Type::kFixed},
    {LogicalType::kDate, Type::kInt},
    {LogicalType::kTimeMillis, Type::kInt},
    {LogicalType::kTimeMicros, Type::kLong},
    {LogicalType::kTimestampMillis, Type::kLong},
    {LogicalType::kTimestampMicros, Type::kLong},
    {LogicalType::kTimestampNanos, Type::kLong},
    {LogicalType::kLocalTimestampMillis, Type::kLong},
    {LogicalType::kLocalTimestampMicros, Type::kLong},
    {LogicalType::kLocalTimestampNanos, Type::kLong},
    {LogicalType::kDuration, Type::kFixed},
};

// The most decimal digits a two's-complement integer of `size` bytes always holds:
// floor(log10(2^(8 size - 1) - 1)) ("Decimal").
int64_t MaxDecimalDigits(int64_t size) {
  if (size <= 0) {
    return 0;
  }
  double bits = 8.0 * static_cast<double>(size) - 1.0;
  return static_cast<int64_t>(std::floor(bits * std::log10(2.0)));
}

}  // namespace

/// Builds a Schema from JSON (a friend of Schema).
class SchemaParser {
 public:
  Result<Schema> Run(std::string_view json) {
    JsonDocument document;
    if (Status s = document.Parse(json); !s.has_value()) {
      return InvalidArgument("Avro schema: " + s.error().message());
    }
    CQLBULK_ASSIGN_OR_RETURN(schema_.root_, Parse(document.root(), ""));
    CQLBULK_RETURN_IF_ERROR(ConvertDefaults());
    ComputeMinBytes();
    return std::move(schema_);
  }

 private:
  struct PendingDefault {
    NodeId record;
    size_t field;
    JsonValue json;
    std::string path;
  };

  Error Fail(std::string_view what) const {
    return InvalidArgument("Avro schema" + (path_.empty() ? "" : " at " + path_) + ": " +
                           std::string(what));
  }
  size_t Push(std::string_view step) {
    size_t mark = path_.size();
    if (!path_.empty() && step.front() != '[') path_ += '.';
    path_ += step;
    return mark;
  }
  void Pop(size_t mark) { path_.resize(mark); }

  NodeId Add(Node node) {
    schema_.nodes_.push_back(std::move(node));
    return static_cast<NodeId>(schema_.nodes_.size() - 1);
  }

  Result<NodeId> Parse(JsonValue v, const std::string& space) {
    switch (v.type()) {
      case JsonType::kString:
        return Named(v.text(), space);
      case JsonType::kArray:
        return Union(v, space);
      case JsonType::kObject:
        return Object(v, space);
      default:
        return Fail("expected a type name, an object or an array, got JSON " +
                    std::string(v.type() == JsonType::kNumber ? v.text() : "null or boolean"));
    }
  }

  // A primitive type name, or a reference to a named type defined before ("Names").
  Result<NodeId> Named(std::string_view name, const std::string& space) {
    if (std::optional<Type> t = PrimitiveType(name)) {
      return Add(MakeNode(*t));
    }
    std::string full_name = name.find('.') != std::string_view::npos || space.empty()
                                ? std::string(name)
                                : space + "." + std::string(name);
    auto it = names_.find(full_name);
    if (it == names_.end() && full_name != name) {
      it = names_.find(std::string(name));  // a type of the null namespace, as Java finds it
    }
    if (it == names_.end()) {
      return Fail("unknown type " + QuoteForError(name) +
                  " (named types must be defined before use)");
    }
    return it->second;
  }

  Result<NodeId> Union(JsonValue v, const std::string& space) {
    Node node = MakeNode(Type::kUnion);
    size_t i = 0;
    for (JsonValue branch : v.elements()) {
      size_t mark = Push("[" + std::to_string(i++) + "]");
      CQLBULK_ASSIGN_OR_RETURN(NodeId id, Parse(branch, space));
      const Node& b = schema_.nodes_[id];
      if (b.type == Type::kUnion) {
        return Fail("a union may not immediately contain another union");
      }
      for (NodeId other : node.children) {
        const Node& o = schema_.nodes_[other];
        if (b.is_named() ? o.is_named() && o.full_name == b.full_name : o.type == b.type) {
          return Fail("the union has two branches of type " +
                      (b.is_named() ? b.full_name : std::string(TypeName(b.type))));
        }
      }
      Pop(mark);
      node.children.push_back(id);
    }
    if (node.children.empty()) {
      return Fail("a union needs at least one branch");
    }
    return Add(std::move(node));
  }

  Result<NodeId> Object(JsonValue v, const std::string& space) {
    JsonValue type = v.Find("type");
    if (!type.valid()) {
      return Fail("missing \"type\"");
    }
    if (type.type() != JsonType::kString) {
      return Fail("\"type\" must be a string");
    }
    std::string_view name = type.text();
    if (std::optional<Type> t = PrimitiveType(name)) {
      Node node = MakeNode(*t);
      CQLBULK_RETURN_IF_ERROR(TakeAttributes(v, {"type"}, node));
      return Add(std::move(node));
    }
    if (name == "record" || name == "enum" || name == "fixed") {
      return NamedType(v, name, space);
    }
    if (name == "array" || name == "map") {
      bool array = name == "array";
      std::string_view key = array ? "items" : "values";
      JsonValue child = v.Find(key);
      if (!child.valid()) {
        return Fail("an " + std::string(name) + " needs \"" + std::string(key) + "\"");
      }
      size_t mark = Push(key);
      CQLBULK_ASSIGN_OR_RETURN(NodeId child_id, Parse(child, space));
      Pop(mark);
      Node node = MakeNode(array ? Type::kArray : Type::kMap);
      node.children = {child_id};
      CQLBULK_RETURN_IF_ERROR(TakeAttributes(v, {"type", key}, node));
      return Add(std::move(node));
    }
    // {"type": "org.example.Point"}: a reference in object form (its other attributes are
    // not kept: they would belong to the shared definition).
    return Named(name, space);
  }

  Result<NodeId> NamedType(JsonValue v, std::string_view kind, const std::string& space) {
    JsonValue name = v.Find("name");
    if (!name.valid() || name.type() != JsonType::kString) {
      return Fail("a " + std::string(kind) + " needs a \"name\" string");
    }
    JsonValue ns = v.Find("namespace");
    Node node = MakeNode(kind == "record" ? Type::kRecord
                         : kind == "enum" ? Type::kEnum
                                          : Type::kFixed);
    node.name = name.text();
    if (ns.valid() && !ns.is_null()) {
      if (ns.type() != JsonType::kString || (!ns.text().empty() && !IsValidFullName(ns.text()))) {
        return Fail("invalid namespace " +
                    QuoteForError(ns.type() == JsonType::kString ? ns.text() : "?"));
      }
      node.name_space = std::string(ns.text());
    }
    // "Names": a dotted name is a full name; else the namespace given, else the enclosing one.
    if (node.name.find('.') != std::string::npos) {
      node.full_name = node.name;
    } else {
      std::string_view in = node.name_space ? std::string_view(*node.name_space) : space;
      node.full_name = in.empty() ? node.name : std::string(in) + "." + node.name;
    }
    if (!IsValidFullName(node.full_name)) {
      return Fail("invalid name " + QuoteForError(node.full_name));
    }
    std::string_view last = node.full_name;
    last.remove_prefix(NamespaceOf(last).empty() ? 0 : NamespaceOf(last).size() + 1);
    if (PrimitiveType(last)) {
      return Fail("a named type may not be called " + std::string(last));
    }
    if (names_.contains(node.full_name)) {
      return Fail("type " + node.full_name + " is defined twice");
    }
    JsonValue doc = v.Find("doc");
    if (doc.valid() && doc.type() == JsonType::kString) {
      node.doc = doc.text();
    }
    std::string full_name = node.full_name;
    // Registered before its fields are parsed, so that a record may contain itself.
    NodeId id = Add(std::move(node));
    names_[full_name] = id;
    std::vector<std::string_view> known = {"type", "name", "namespace"};
    if (doc.valid() && doc.type() == JsonType::kString) known.push_back("doc");
    if (kind == "record") {
      CQLBULK_RETURN_IF_ERROR(Fields(v, id));
      known.push_back("fields");
    } else if (kind == "enum") {
      CQLBULK_RETURN_IF_ERROR(Symbols(v, id));
      known.insert(known.end(), {"symbols", "default"});
    } else {
      std::optional<int64_t> size = IntegerOf(v.Find("size"));
      if (!size || *size < 0 || *size > INT32_MAX) {
        return Fail("fixed " + full_name + " needs a \"size\" from 0 to 2^31-1");
      }
      schema_.nodes_[id].size = static_cast<int32_t>(*size);
      known.push_back("size");
    }
    Node& n = schema_.nodes_[id];
    CQLBULK_RETURN_IF_ERROR(TakeAttributes(v, known, n));
    return id;
  }

  Status Fields(JsonValue v, NodeId id) {
    JsonValue fields = v.Find("fields");
    if (!fields.valid() || fields.type() != JsonType::kArray) {
      return Fail("record " + schema_.nodes_[id].full_name + " needs a \"fields\" array");
    }
    std::string space(NamespaceOf(schema_.nodes_[id].full_name));
    size_t i = 0;
    for (JsonValue f : fields.elements()) {
      size_t mark = Push("fields[" + std::to_string(i) + "]");
      if (f.type() != JsonType::kObject) {
        return Fail("a field must be an object");
      }
      JsonValue name = f.Find("name");
      if (!name.valid() || name.type() != JsonType::kString || !IsValidName(name.text())) {
        return Fail("a field needs a valid \"name\"");
      }
      if (schema_.nodes_[id].FieldIndex(name.text())) {
        return Fail("record " + schema_.nodes_[id].full_name + " has two fields named " +
                    std::string(name.text()));
      }
      JsonValue type = f.Find("type");
      if (!type.valid()) {
        return Fail("field " + std::string(name.text()) + " needs a \"type\"");
      }
      size_t type_mark = Push("type");
      CQLBULK_ASSIGN_OR_RETURN(NodeId type_id, Parse(type, space));
      Pop(type_mark);
      Field field;
      field.name = name.text();
      field.type = type_id;
      std::vector<std::string_view> known = {"name", "type"};
      JsonValue doc = f.Find("doc");
      if (doc.valid() && doc.type() == JsonType::kString) {
        field.doc = doc.text();
        known.push_back("doc");
      }
      JsonValue def = f.Find("default");
      if (def.valid()) {
        field.default_json.emplace();
        AppendCompactJson(def, *field.default_json);
        defaults_.push_back({id, i, def, path_});
        known.push_back("default");
      }
      for (JsonMember m : f.members()) {
        if (std::find(known.begin(), known.end(), m.key) == known.end()) {
          field.attributes.push_back({std::string(m.key), {}});
          AppendCompactJson(m.value, field.attributes.back().json);
        }
      }
      schema_.nodes_[id].fields.push_back(std::move(field));
      Pop(mark);
      ++i;
    }
    return OkStatus();
  }

  Status Symbols(JsonValue v, NodeId id) {
    Node& n = schema_.nodes_[id];
    JsonValue symbols = v.Find("symbols");
    if (!symbols.valid() || symbols.type() != JsonType::kArray) {
      return Fail("enum " + n.full_name + " needs a \"symbols\" array");
    }
    for (JsonValue s : symbols.elements()) {
      if (s.type() != JsonType::kString || !IsValidName(s.text())) {
        return Fail("enum " + n.full_name + " has an invalid symbol");
      }
      if (std::find(n.symbols.begin(), n.symbols.end(), s.text()) != n.symbols.end()) {
        return Fail("enum " + n.full_name + " has the symbol " + std::string(s.text()) + " twice");
      }
      n.symbols.emplace_back(s.text());
    }
    JsonValue def = v.Find("default");
    if (def.valid()) {
      auto it = def.type() == JsonType::kString
                    ? std::find(n.symbols.begin(), n.symbols.end(), def.text())
                    : n.symbols.end();
      if (it == n.symbols.end()) {
        return Fail("the default of enum " + n.full_name + " is not one of its symbols");
      }
      n.enum_default = static_cast<int32_t>(it - n.symbols.begin());
    }
    return OkStatus();
  }

  // The logical type, when known and valid for the node, and every member not in `known`
  // (nor the logical type's own) as an attribute.
  Status TakeAttributes(JsonValue v, std::vector<std::string_view> known, Node& node) {
    JsonValue logical = v.Find("logicalType");
    if (logical.valid() && logical.type() == JsonType::kString) {
      LogicalType type = Logical(logical.text(), node);
      if (type == LogicalType::kDecimal) {
        std::optional<int64_t> precision = IntegerOf(v.Find("precision"));
        JsonValue scale_json = v.Find("scale");
        std::optional<int64_t> scale = scale_json.valid() ? IntegerOf(scale_json) : int64_t{0};
        bool valid = precision && scale && *precision > 0 && *precision <= INT32_MAX &&
                     *scale >= 0 && *scale <= *precision &&
                     (node.type != Type::kFixed || *precision <= MaxDecimalDigits(node.size));
        if (valid) {
          node.precision = static_cast<int32_t>(*precision);
          node.scale = static_cast<int32_t>(*scale);
          known.insert(known.end(), {"precision", "scale"});
        } else {
          type = LogicalType::kNone;  // "Logical Types": an invalid one is ignored
        }
      }
      if (type != LogicalType::kNone) {
        node.logical_type = type;
        known.push_back("logicalType");
      }
    }
    for (JsonMember m : v.members()) {
      if (std::find(known.begin(), known.end(), m.key) == known.end()) {
        node.attributes.push_back({std::string(m.key), {}});
        AppendCompactJson(m.value, node.attributes.back().json);
      }
    }
    return OkStatus();
  }

  static LogicalType Logical(std::string_view name, const Node& node) {
    for (const LogicalInfo& info : kLogicalTypes) {
      if (LogicalTypeName(info.type) == name && info.underlying == node.type) {
        if (info.type == LogicalType::kUuid && node.type == Type::kFixed && node.size != 16) {
          return LogicalType::kNone;
        }
        if (info.type == LogicalType::kDuration && node.size != 12) {
          return LogicalType::kNone;
        }
        return info.type;
      }
    }
    return LogicalType::kNone;
  }

  // After the whole schema is read, so that a default may be of a record still being defined
  // where the default was written.
  Status ConvertDefaults() {
    for (const PendingDefault& d : defaults_) {
      Field& field = schema_.nodes_[d.record].fields[d.field];
      Result<Value> value = ValueFromJson(schema_, field.type, d.json, JsonForm::kDefault);
      if (!value.has_value()) {
        path_ = d.path;
        return Fail("the default of field " + field.name + " is not a value of its type: " +
                    value.error().message());
      }
      field.default_value = std::move(*value);
    }
    return OkStatus();
  }

  // Schema::min_encoded_bytes: by depth-first search; a record met again while its own size
  // is being computed contributes 0, so a record that contains itself counts as its other
  // fields.
  void ComputeMinBytes() {
    constexpr size_t kUnknown = SIZE_MAX;
    schema_.min_bytes_.assign(schema_.nodes_.size(), kUnknown);
    std::vector<bool> active(schema_.nodes_.size(), false);
    auto compute = [&](auto& self, NodeId id) -> size_t {
      if (schema_.min_bytes_[id] != kUnknown) return schema_.min_bytes_[id];
      if (active[id]) return 0;
      active[id] = true;
      const Node& n = schema_.nodes_[id];
      size_t bytes = 0;
      switch (n.type) {
        case Type::kNull:
          break;
        case Type::kFloat:
          bytes = 4;
          break;
        case Type::kDouble:
          bytes = 8;
          break;
        case Type::kFixed:
          bytes = static_cast<size_t>(n.size);
          break;
        case Type::kRecord:
          for (const Field& f : n.fields) {
            bytes = std::min(bytes + self(self, f.type), SIZE_MAX / 2);
          }
          break;
        case Type::kUnion: {
          size_t least = SIZE_MAX / 2;
          for (NodeId b : n.children) least = std::min(least, self(self, b));
          bytes = 1 + least;
          break;
        }
        default:  // boolean, int, long, bytes, string, enum, array, map: at least one byte
          bytes = 1;
          break;
      }
      active[id] = false;
      schema_.min_bytes_[id] = bytes;
      return bytes;
    };
    for (NodeId id = 0; id < schema_.nodes_.size(); ++id) compute(compute, id);
  }

  Schema schema_;
  std::map<std::string, NodeId, std::less<>> names_;
  std::vector<PendingDefault> defaults_;
  std::string path_;
};

Result<Schema> Schema::Parse(std::string_view json) { return SchemaParser().Run(json); }

}  // namespace cqlbulk::formats::avro
