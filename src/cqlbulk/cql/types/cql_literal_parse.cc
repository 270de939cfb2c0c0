// SPDX-License-Identifier: Apache-2.0
#include <cctype>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/cql_literal.h"
#include "cqlbulk/cql/types/literal_parser_internal.h"
#include "cqlbulk/cql/types/value_codec.h"

namespace cqlbulk::cql {
namespace internal {

bool LiteralParser::Eat(char c) {
  SkipSpace();
  if (Peek() != c) return false;
  ++pos_;
  return true;
}

Status LiteralParser::Expect(char c) {
  if (Eat(c)) return {};
  return Fail(std::string("expected '") + c + "'", pos_);
}

Error LiteralParser::Fail(std::string_view why, size_t at) const {
  std::string_view near = text_.substr(std::min(at, text_.size()), 40);
  return InvalidArgument("invalid CQL literal at offset " + std::to_string(at) + ": " +
                         std::string(why) +
                         (near.empty() ? " (at the end)" : " near '" + std::string(near) + "'"));
}

std::string_view LiteralParser::PeekWord() const {
  if (!IsIdentStart(Peek())) return {};
  size_t end = pos_;
  while (end < text_.size() && IsIdentChar(text_[end])) ++end;
  return text_.substr(pos_, end - pos_);
}

bool LiteralParser::EatWord(std::string_view word) {
  if (!EqualsIgnoreCase(PeekWord(), word)) return false;
  pos_ += word.size();
  return true;
}

Result<std::string_view> LiteralParser::ScanNumber(bool* is_integer) {
  size_t start = pos_;
  if (Peek() == '-') ++pos_;
  if (!IsDigit(Peek())) return Fail("expected a number", start);
  while (IsDigit(Peek())) ++pos_;
  *is_integer = true;
  if (Peek() == '.') {
    *is_integer = false;
    ++pos_;
    while (IsDigit(Peek())) ++pos_;
  }
  if ((Peek() == 'e' || Peek() == 'E') &&
      (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
    *is_integer = false;
    pos_ += 2;
    while (IsDigit(Peek())) ++pos_;
  }
  if (IsIdentChar(Peek()) || Peek() == '.') {
    return Fail("unexpected character in a number", pos_);
  }
  return text_.substr(start, pos_ - start);
}

Result<std::string_view> LiteralParser::ScanInteger(std::string_view type_name) {
  size_t start = pos_;
  bool is_integer = false;
  CQLBULK_ASSIGN_OR_RETURN(std::string_view token, ScanNumber(&is_integer));
  if (!is_integer) {
    return Fail("a floating-point constant is not a valid " + std::string(type_name), start);
  }
  return token;
}

Result<std::string> LiteralParser::ScanString() {
  size_t start = pos_;
  if (Peek() == '$' && Peek(1) == '$') {
    size_t end = text_.find("$$", pos_ + 2);
    if (end == std::string_view::npos) return Fail("unterminated $$ string", start);
    std::string out(text_.substr(pos_ + 2, end - pos_ - 2));
    pos_ = end + 2;
    return out;
  }
  if (Peek() != '\'') return Fail("expected a quoted string", start);
  ++pos_;
  std::string out;
  while (true) {
    size_t quote = text_.find('\'', pos_);
    if (quote == std::string_view::npos) return Fail("unterminated string", start);
    out.append(text_.substr(pos_, quote - pos_));
    pos_ = quote + 1;
    if (Peek() != '\'') return out;
    out += '\'';  // '' is an escaped quote
    ++pos_;
  }
}

Result<Bytes> LiteralParser::ScanHex() {
  size_t start = pos_;
  if (Peek() != '0' || (Peek(1) != 'x' && Peek(1) != 'X')) {
    return Fail("expected a blob constant 0x...", start);
  }
  pos_ += 2;
  size_t digits = pos_;
  while (std::isxdigit(static_cast<unsigned char>(Peek()))) ++pos_;
  if (IsIdentChar(Peek())) return Fail("invalid hex digit", pos_);
  auto bytes = FromHex(text_.substr(digits, pos_ - digits));
  if (!bytes) return Fail("odd number of hex digits", start);
  return *std::move(bytes);
}

Result<Uuid> LiteralParser::ScanUuid() {
  size_t start = pos_;
  auto uuid = Uuid::Parse(text_.substr(pos_, 36));
  if (!uuid || IsIdentChar(Peek(36)) || Peek(36) == '-') return Fail("expected a UUID", start);
  pos_ += 36;
  return *uuid;
}

Result<Value> LiteralParser::ParseAll(const DataType& type) {
  CQLBULK_ASSIGN_OR_RETURN(Value value, ParseValue(type, 0));
  SkipSpace();
  if (!AtEnd()) return Fail("unexpected text after the value", pos_);
  NormalizeCollections(value);
  return value;
}

Result<Value> LiteralParser::ParseValue(const DataType& type, int depth) {
  SkipSpace();
  size_t start = pos_;
  if (depth > kMaxValueDepth) return Fail("literal nested too deeply", start);
  if (AtEnd()) return Fail("expected a value", start);
  std::string_view word = PeekWord();
  if (EqualsIgnoreCase(word, "null")) {
    pos_ += word.size();
    return Value::Null();
  }
  if (!word.empty()) {
    size_t after = pos_ + word.size();
    while (after < text_.size() && IsSpace(text_[after])) ++after;
    if (after < text_.size() && text_[after] == '(') return ParseFunction(type, word, depth);
  }
  switch (type.id) {
    case TypeId::kList:
    case TypeId::kSet: {
      bool list = type.id == TypeId::kList;
      CQLBULK_ASSIGN_OR_RETURN(
          auto elements, ParseSequence(*type.params[0], list ? '[' : '{', list ? ']' : '}', depth));
      return list ? Value::List(std::move(elements)) : Value::Set(std::move(elements));
    }
    case TypeId::kVector: {
      CQLBULK_ASSIGN_OR_RETURN(auto elements, ParseSequence(*type.params[0], '[', ']', depth));
      if (elements.size() != type.dimension) {
        return Fail(type.ToCql() + " needs " + std::to_string(type.dimension) + " elements, got " +
                        std::to_string(elements.size()),
                    start);
      }
      return Value::Vector(std::move(elements));
    }
    case TypeId::kTuple:
      return ParseTuple(type, depth);
    case TypeId::kMap:
      return ParseMap(type, depth);
    case TypeId::kUdt:
      return ParseUdt(type, depth);
    default:
      return ParseNative(type);
  }
}

Result<Value> LiteralParser::ParseFunction(const DataType& type, std::string_view name, int depth) {
  size_t start = pos_;
  pos_ += name.size();
  CQLBULK_RETURN_IF_ERROR(Expect('('));
  std::string lower = AsciiLower(name);
  if (lower.starts_with("blobas")) {
    // blobAs<type>(blob): the bytes, validated as that type (Cassandra's conversion functions).
    DataTypePtr target = NativeTypeByName(std::string_view(lower).substr(6));
    if (target == nullptr) return Fail("unknown function " + std::string(name), start);
    if (target->id != type.id) {
      return Fail(std::string(name) + " returns " + target->ToCql() + ", not " + type.ToCql(),
                  start);
    }
    CQLBULK_ASSIGN_OR_RETURN(Value blob, ParseValue(*DataType::Native(TypeId::kBlob), depth + 1));
    CQLBULK_RETURN_IF_ERROR(Expect(')'));
    if (blob.is_null()) return blob;
    auto value = DecodeValue(type, blob.as_blob());
    if (!value) return Fail(value.error().message(), start);
    return *std::move(value);
  }
  if (lower.ends_with("asblob") && lower.size() > 6) {
    // <type>AsBlob(literal): the bytes of a value of that type.
    DataTypePtr source = NativeTypeByName(std::string_view(lower).substr(0, lower.size() - 6));
    if (source == nullptr) return Fail("unknown function " + std::string(name), start);
    if (type.id != TypeId::kBlob) {
      return Fail(std::string(name) + " returns blob, not " + type.ToCql(), start);
    }
    CQLBULK_ASSIGN_OR_RETURN(Value value, ParseValue(*source, depth + 1));
    CQLBULK_RETURN_IF_ERROR(Expect(')'));
    if (value.is_null()) return value;
    auto bytes = EncodeValueToBytes(*source, value);
    if (!bytes) return Fail(bytes.error().message(), start);
    return Value::Blob(*std::move(bytes));
  }
  return Fail("unsupported function " + std::string(name), start);
}

Result<Value::Elements> LiteralParser::ParseSequence(const DataType& element, char open, char close,
                                                     int depth) {
  size_t start = pos_;
  if (!Eat(open)) return Fail(std::string("expected '") + open + "'", start);
  Value::Elements elements;
  if (Eat(close)) return elements;
  do {
    SkipSpace();
    size_t at = pos_;
    CQLBULK_ASSIGN_OR_RETURN(Value v, ParseValue(element, depth + 1));
    if (v.is_null()) return Fail("null is not supported inside collections", at);
    elements.push_back(std::move(v));
  } while (Eat(','));
  CQLBULK_RETURN_IF_ERROR(Expect(close));
  return elements;
}

Result<Value> LiteralParser::ParseTuple(const DataType& type, int depth) {
  size_t start = pos_;
  CQLBULK_RETURN_IF_ERROR(Expect('('));
  // Fewer elements than declared are allowed; Cassandra then serialises only those.
  Value::Elements fields;
  do {
    if (fields.size() == type.params.size()) {
      return Fail("too many elements for " + type.ToCql(), start);
    }
    CQLBULK_ASSIGN_OR_RETURN(Value v, ParseValue(*type.params[fields.size()], depth + 1));
    fields.push_back(std::move(v));
  } while (Eat(','));
  CQLBULK_RETURN_IF_ERROR(Expect(')'));
  return Value::Tuple(std::move(fields));
}

Result<Value> LiteralParser::ParseMap(const DataType& type, int depth) {
  CQLBULK_RETURN_IF_ERROR(Expect('{'));
  Value::Entries entries;
  if (Eat('}')) return Value::Map(std::move(entries));
  do {
    SkipSpace();
    size_t at = pos_;
    CQLBULK_ASSIGN_OR_RETURN(Value k, ParseValue(*type.params[0], depth + 1));
    CQLBULK_RETURN_IF_ERROR(Expect(':'));
    SkipSpace();
    size_t value_at = pos_;
    CQLBULK_ASSIGN_OR_RETURN(Value v, ParseValue(*type.params[1], depth + 1));
    if (k.is_null() || v.is_null()) {
      return Fail("null is not supported inside collections", k.is_null() ? at : value_at);
    }
    entries.emplace_back(std::move(k), std::move(v));
  } while (Eat(','));
  CQLBULK_RETURN_IF_ERROR(Expect('}'));
  return Value::Map(std::move(entries));
}

Result<std::string> LiteralParser::ParseFieldName() {
  SkipSpace();
  size_t start = pos_;
  if (Peek() == '"') {
    ++pos_;
    std::string out;
    while (true) {
      size_t quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) return Fail("unterminated quoted name", start);
      out.append(text_.substr(pos_, quote - pos_));
      pos_ = quote + 1;
      if (Peek() != '"') return out;
      out += '"';
      ++pos_;
    }
  }
  std::string_view word = PeekWord();
  if (word.empty()) return Fail("expected a field name", start);
  pos_ += word.size();
  return AsciiLower(word);  // unquoted names are case-insensitive
}

Result<Value> LiteralParser::ParseUdt(const DataType& type, int depth) {
  CQLBULK_RETURN_IF_ERROR(Expect('{'));
  Value::Elements fields(type.params.size());
  std::vector<bool> seen(type.params.size(), false);
  if (Eat('}')) return Value::Udt(std::move(fields));
  do {
    SkipSpace();
    size_t at = pos_;
    CQLBULK_ASSIGN_OR_RETURN(std::string name, ParseFieldName());
    size_t i = 0;
    while (i < type.field_names.size() && type.field_names[i] != name) ++i;
    if (i == type.field_names.size() || i >= type.params.size()) {
      return Fail("unknown field " + name + " in type " + type.name, at);
    }
    if (seen[i]) return Fail("field " + name + " given twice", at);
    seen[i] = true;
    CQLBULK_RETURN_IF_ERROR(Expect(':'));
    CQLBULK_ASSIGN_OR_RETURN(fields[i], ParseValue(*type.params[i], depth + 1));
  } while (Eat(','));
  CQLBULK_RETURN_IF_ERROR(Expect('}'));
  return Value::Udt(std::move(fields));
}

}  // namespace internal

Result<Value> ParseCqlLiteral(const DataType& type, std::string_view text) {
  return internal::LiteralParser(text).ParseAll(type);
}

}  // namespace cqlbulk::cql
