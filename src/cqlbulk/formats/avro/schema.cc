// SPDX-License-Identifier: Apache-2.0
// The schema model's names and lookups, and its printing back to JSON. Parsing is in
// schema_parse.cc.
#include "cqlbulk/formats/avro/schema.h"

#include <array>

#include "cqlbulk/formats/text/scalar_text.h"

namespace cqlbulk::formats::avro {
namespace {

constexpr std::array<std::string_view, 14> kTypeNames = {
    "null",   "boolean", "int",  "long",  "float", "double", "bytes",
    "string", "record",  "enum", "array", "map",   "union",  "fixed"};

constexpr std::array<std::string_view, 13> kLogicalTypeNames = {
    "",
    "decimal",
    "uuid",
    "date",
    "time-millis",
    "time-micros",
    "timestamp-millis",
    "timestamp-micros",
    "timestamp-nanos",
    "local-timestamp-millis",
    "local-timestamp-micros",
    "local-timestamp-nanos",
    "duration"};

std::optional<std::string_view> FindIn(const std::vector<Attribute>& attributes,
                                       std::string_view name) {
  for (const Attribute& a : attributes) {
    if (a.name == name) {
      return std::string_view(a.json);
    }
  }
  return std::nullopt;
}

std::string_view NamespaceOf(std::string_view full_name) {
  size_t dot = full_name.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : full_name.substr(0, dot);
}

// Prints nodes depth first, left to right: the order Parse reads them in, so each named type
// is defined where Parse met its definition and referenced by name everywhere after.
class Printer {
 public:
  explicit Printer(const Schema& schema)
      : schema_(schema), printed_(schema.num_nodes(), false) {}

  std::string Print() {
    Node(schema_.root(), "");
    return std::move(out_);
  }

 private:
  void Key(std::string_view key) {
    out_ += ',';
    AppendJsonString(key, out_);
    out_ += ':';
  }
  void Attributes(const std::vector<Attribute>& attributes) {
    for (const Attribute& a : attributes) {
      Key(a.name);
      out_ += a.json;
    }
  }

  void Node(NodeId id, std::string_view enclosing_namespace) {
    const avro::Node& n = schema_.node(id);
    if (n.is_named() && printed_[id]) {
      // A reference: the short name resolves in the same namespace, the full name anywhere
      // else (a type of the null namespace referenced inside another is found by its name).
      std::string_view full_name = n.full_name;
      std::string_view space = NamespaceOf(full_name);
      if (!space.empty() && space == enclosing_namespace) {
        full_name.remove_prefix(space.size() + 1);
      }
      AppendJsonString(full_name, out_);
      return;
    }
    if (n.type == Type::kUnion) {
      out_ += '[';
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) out_ += ',';
        Node(n.children[i], enclosing_namespace);
      }
      out_ += ']';
      return;
    }
    bool plain = !n.is_named() && n.type != Type::kArray && n.type != Type::kMap &&
                 n.logical_type == LogicalType::kNone && n.attributes.empty();
    if (plain) {
      AppendJsonString(TypeName(n.type), out_);
      return;
    }
    out_ += "{\"type\":";
    AppendJsonString(TypeName(n.type), out_);
    std::string_view space = enclosing_namespace;
    if (n.is_named()) {
      printed_[id] = true;
      space = NamespaceOf(n.full_name);
      Key("name");
      AppendJsonString(n.name, out_);
      if (n.name_space) {
        Key("namespace");
        AppendJsonString(*n.name_space, out_);
      }
      if (!n.doc.empty()) {
        Key("doc");
        AppendJsonString(n.doc, out_);
      }
    }
    switch (n.type) {
      case Type::kRecord:
        Key("fields");
        out_ += '[';
        for (size_t i = 0; i < n.fields.size(); ++i) {
          if (i > 0) out_ += ',';
          Field(n.fields[i], space);
        }
        out_ += ']';
        break;
      case Type::kEnum:
        Key("symbols");
        out_ += '[';
        for (size_t i = 0; i < n.symbols.size(); ++i) {
          if (i > 0) out_ += ',';
          AppendJsonString(n.symbols[i], out_);
        }
        out_ += ']';
        if (n.enum_default) {
          Key("default");
          AppendJsonString(n.symbols[static_cast<size_t>(*n.enum_default)], out_);
        }
        break;
      case Type::kArray:
        Key("items");
        Node(n.items(), space);
        break;
      case Type::kMap:
        Key("values");
        Node(n.values(), space);
        break;
      case Type::kFixed:
        Key("size");
        out_ += std::to_string(n.size);
        break;
      default:
        break;
    }
    if (n.logical_type != LogicalType::kNone) {
      Key("logicalType");
      AppendJsonString(LogicalTypeName(n.logical_type), out_);
      if (n.logical_type == LogicalType::kDecimal) {
        Key("precision");
        out_ += std::to_string(n.precision);
        Key("scale");
        out_ += std::to_string(n.scale);
      }
    }
    Attributes(n.attributes);
    out_ += '}';
  }

  void Field(const avro::Field& f, std::string_view space) {
    out_ += "{\"name\":";
    AppendJsonString(f.name, out_);
    Key("type");
    Node(f.type, space);
    if (!f.doc.empty()) {
      Key("doc");
      AppendJsonString(f.doc, out_);
    }
    if (f.default_json) {
      Key("default");
      out_ += *f.default_json;
    }
    Attributes(f.attributes);
    out_ += '}';
  }

  const Schema& schema_;
  std::vector<bool> printed_;
  std::string out_;
};

}  // namespace

std::string_view TypeName(Type type) { return kTypeNames[static_cast<size_t>(type)]; }

std::string_view LogicalTypeName(LogicalType type) {
  return kLogicalTypeNames[static_cast<size_t>(type)];
}

std::optional<std::string_view> Field::FindAttribute(std::string_view attribute_name) const {
  return FindIn(attributes, attribute_name);
}

std::optional<std::string_view> Node::FindAttribute(std::string_view attribute_name) const {
  return FindIn(attributes, attribute_name);
}

std::optional<size_t> Node::FieldIndex(std::string_view field_name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<NodeId> Schema::Find(std::string_view full_name) const {
  for (NodeId id = 0; id < nodes_.size(); ++id) {
    if (nodes_[id].is_named() && nodes_[id].full_name == full_name) {
      return id;
    }
  }
  return std::nullopt;
}

std::string Schema::ToJson() const { return Printer(*this).Print(); }

}  // namespace cqlbulk::formats::avro
