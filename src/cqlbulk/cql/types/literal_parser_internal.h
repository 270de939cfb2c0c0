// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/core/uuid.h"
#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/cql/types/text_internal.h"
#include "cqlbulk/cql/types/value.h"

namespace cqlbulk::cql::internal {

/// \brief Type-directed recursive-descent parser behind ParseCqlLiteral: the expected type
/// decides how the next characters are read, so no general CQL lexer is needed.
class LiteralParser {
 public:
  explicit LiteralParser(std::string_view text) : text_(text) {}

  /// One value of `type`, then only whitespace; normalised with NormalizeCollections.
  Result<Value> ParseAll(const DataType& type);

 private:
  // Scanning (cql_literal_parse.cc).
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(text_[pos_])) ++pos_;
  }
  bool Eat(char c);
  Status Expect(char c);
  Error Fail(std::string_view why, size_t at) const;
  /// The identifier at the current position (not consumed), or empty.
  std::string_view PeekWord() const;
  bool EatWord(std::string_view word);
  /// -?digits(.digits*)?([eE][+-]?digits)?; `is_integer` when there is no '.' or exponent.
  Result<std::string_view> ScanNumber(bool* is_integer);
  Result<std::string_view> ScanInteger(std::string_view type_name);
  bool AtString() const { return Peek() == '\'' || (Peek() == '$' && Peek(1) == '$'); }
  /// 'text' with '' for a quote, or $$text$$ verbatim.
  Result<std::string> ScanString();
  Result<Bytes> ScanHex();
  Result<Uuid> ScanUuid();

  // Structure (cql_literal_parse.cc).
  Result<Value> ParseValue(const DataType& type, int depth);
  Result<Value> ParseFunction(const DataType& type, std::string_view name, int depth);
  Result<Value::Elements> ParseSequence(const DataType& element, char open, char close, int depth);
  Result<Value> ParseTuple(const DataType& type, int depth);
  Result<Value> ParseMap(const DataType& type, int depth);
  Result<Value> ParseUdt(const DataType& type, int depth);
  Result<std::string> ParseFieldName();

  // Native types (cql_literal_natives.cc).
  Result<Value> ParseNative(const DataType& type);
  Result<Value> ParseInteger(const DataType& type);
  Result<Value> ParseFloating(const DataType& type);
  Result<Value> ParseTimestamp();
  Result<Value> ParseDate();
  Result<Value> ParseTime();
  Result<Value> ParseDuration();

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace cqlbulk::cql::internal
