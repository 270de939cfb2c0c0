// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/avro/value.h"

#include <array>
#include <bit>
#include <charconv>
#include <cstdio>

#include "cqlbulk/formats/text/scalar_text.h"

namespace cqlbulk::formats::avro {
namespace {

constexpr std::array<std::string_view, 14> kKindNames = {
    "null", "boolean", "int",  "long",  "float", "double", "bytes",
    "string", "record", "enum", "array", "map",  "union", "fixed"};

// Printable ASCII as is, everything else as \xNN.
void AppendEscaped(std::string_view text, std::string& out) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F && c != '"' && c != '\\') {
      out += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", u);
      out += buf;
    }
  }
}

void AppendDebug(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBoolean:
      out += v.boolean() ? "true" : "false";
      return;
    case Value::Kind::kInt:
      out += std::to_string(v.int_value());
      return;
    case Value::Kind::kLong:
      out += std::to_string(v.long_value()) + "L";
      return;
    case Value::Kind::kFloat:
      AppendFloat32Text(v.float_value(), out);
      out += "f";
      return;
    case Value::Kind::kDouble:
      AppendFloat64Text(v.double_value(), out);
      return;
    case Value::Kind::kBytes:
    case Value::Kind::kString:
    case Value::Kind::kFixed:
      out += v.kind() == Value::Kind::kBytes   ? "b\""
             : v.kind() == Value::Kind::kFixed ? "fixed \""
                                               : "\"";
      AppendEscaped(v.chars(), out);
      out += '"';
      return;
    case Value::Kind::kRecord:
    case Value::Kind::kArray: {
      bool record = v.kind() == Value::Kind::kRecord;
      out += record ? '{' : '[';
      for (size_t i = 0; i < v.children().size(); ++i) {
        if (i > 0) out += ", ";
        AppendDebug(v.children()[i], out);
      }
      out += record ? '}' : ']';
      return;
    }
    case Value::Kind::kEnum:
      out += "enum " + std::to_string(v.index());
      return;
    case Value::Kind::kMap: {
      out += '{';
      for (size_t i = 0; i < v.entries().size(); ++i) {
        if (i > 0) out += ", ";
        out += '"';
        AppendEscaped(v.entries()[i].key, out);
        out += "\": ";
        AppendDebug(v.entries()[i].value, out);
      }
      out += '}';
      return;
    }
    case Value::Kind::kUnion:
      out += "union " + std::to_string(v.index()) + ": ";
      AppendDebug(v.branch_value(), out);
      return;
  }
}

}  // namespace

std::string_view KindName(Value::Kind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::string Value::DebugString() const {
  std::string out;
  AppendDebug(*this, out);
  return out;
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_ || a.index_ != b.index_) {
    return false;
  }
  switch (a.kind_) {
    case Value::Kind::kFloat:
      return std::bit_cast<uint32_t>(a.float_value()) == std::bit_cast<uint32_t>(b.float_value());
    case Value::Kind::kDouble:
      return std::bit_cast<uint64_t>(a.double_value()) ==
             std::bit_cast<uint64_t>(b.double_value());
    default:
      return a.data_ == b.data_;
  }
}

}  // namespace cqlbulk::formats::avro
