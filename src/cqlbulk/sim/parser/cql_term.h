// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cqlbulk::sim {

/// \brief `[keyspace.]name` of a table, type or function. Names are normalised: unquoted
/// identifiers lower-cased, "quoted" ones as written (without the quotes).
struct QualifiedName {
  std::string keyspace;  ///< empty: the session's current keyspace
  std::string name;

  friend bool operator==(const QualifiedName&, const QualifiedName&) = default;
};

/// \brief Lexical kind of a literal constant. The executor converts `Term::text` once it
/// knows the receiving type (ParseCqlLiteral).
enum class LiteralKind : uint8_t {
  kString,    ///< 'text' or $$text$$ (also dates, times, timestamps, inets written as strings)
  kInteger,   ///< 42, -7
  kFloat,     ///< 1.5, -2e10, NaN, Infinity, -Infinity
  kBoolean,   ///< true / false (any case)
  kUuid,      ///< unquoted 8-4-4-4-12
  kBlob,      ///< 0xCAFE (0x: empty)
  kDuration,  ///< 1h30m, -2d, P1DT2H, P2W
  kNull,      ///< null
};

/// \brief Shape of a term (a value on the right of =, in VALUES, IN lists, LIMIT...).
enum class TermKind : uint8_t {
  kLiteral,       ///< a constant; see literal_kind
  kBindMarker,    ///< `?` or `:name`; see bind_index and name
  kList,          ///< [a, b]: elements
  kSet,           ///< {a, b}: elements
  kMap,           ///< {k: v, ...}: keys[i] -> elements[i]
  kEmptyBraces,   ///< {}: an empty set, map or UDT; the receiving type decides
  kUdt,           ///< {field: v, ...}: field_names[i] -> elements[i]
  kTuple,         ///< (a, b): elements
  kFunctionCall,  ///< [keyspace.]name(args): elements are the arguments
  kTypeCast,      ///< (type) term: name is the type's CQL text, elements[0] the operand
};

/// \brief A CQL term, as written. Recursive through `elements` and `keys`.
struct Term {
  TermKind kind = TermKind::kLiteral;
  LiteralKind literal_kind = LiteralKind::kNull;  ///< kLiteral only
  /// Exact source text of the whole term ("'it''s'", "-5", "[1, ?]", "now()"). For a
  /// negative number the '-' is part of it ("-5": Cassandra only accepts the sign adjacent).
  std::string text;
  /// kLiteral kString: the unescaped value ("it's"); empty otherwise.
  std::string string_value;
  /// kBindMarker: index into ParsedStatement::bind_markers (order of appearance); -1 otherwise.
  int32_t bind_index = -1;
  /// kBindMarker: the marker name of `:name` (empty for `?`); kFunctionCall: function name;
  /// kTypeCast: the target type's CQL text ("int", "frozen<list<text>>").
  std::string name;
  /// kFunctionCall: keyspace qualifier (`system.now()` -> "system"); empty otherwise.
  std::string keyspace;
  /// kList/kSet/kTuple elements, kMap and kUdt values, kFunctionCall arguments,
  /// kTypeCast operand (exactly one).
  std::vector<Term> elements;
  /// kMap: the keys, parallel to elements.
  std::vector<Term> keys;
  /// kUdt: the field names (normalised like identifiers), parallel to elements.
  std::vector<std::string> field_names;
  /// True when the term holds no bind marker, function call or cast anywhere: `text` is a
  /// plain CQL literal that can be handed whole to a literal parser.
  bool is_constant = true;

  bool is_bind_marker() const noexcept { return kind == TermKind::kBindMarker; }
  bool is_null() const noexcept {
    return kind == TermKind::kLiteral && literal_kind == LiteralKind::kNull;
  }
};

/// \brief What a bind marker's value is for; with BindMarker::columns this gives the type
/// the server reports in the PREPARED bind metadata.
enum class BindRole : uint8_t {
  kColumnValue,        ///< a value of columns[0]: `c = ?`, VALUES (?), `c > ?`, `c = c + ?`
  kSubtracted,         ///< `c = c - ?`: c's type, except a map where it is set<key type>
  kInValues,           ///< `c IN ?`: list<type of c>; multi-column: list<tuple<...>>
  kTuple,              ///< `(a, b) = ?` or `(a, b) IN (?, ...)`: tuple<type of a, type of b>
  kToken,              ///< `token(a, b) > ?`: the partitioner's token type (bigint)
  kCollectionKey,      ///< `m[?]`, `CONTAINS KEY ?`: map key type, or list index (int)
  kCollectionElement,  ///< `m[k] = ?`, `CONTAINS ?`: map value / list or set element type
  kUdtField,           ///< `u.f = ?`: the type of field `field` of UDT column columns[0]
  kLimit,              ///< LIMIT ? (int)
  kPerPartitionLimit,  ///< PER PARTITION LIMIT ? (int)
  kTtl,                ///< USING TTL ? (int)
  kTimestamp,          ///< USING TIMESTAMP ? (bigint)
  kJson,               ///< INSERT ... JSON ? (text)
  kCast,               ///< operand of `(type) ?`: its type is cast_type
  kNested,             ///< inside a collection/tuple/UDT literal or a function argument
};

/// \brief One bind marker of a statement, in order of appearance.
struct BindMarker {
  int32_t index = 0;  ///< position among the statement's markers (0-based)
  std::string name;   ///< `:name` markers: the name (normalised); `?`: empty
  BindRole role = BindRole::kNested;
  /// Column(s) the marker binds to where known: one for most roles, the partition key
  /// columns for kToken, the tuple's columns for kTuple and multi-column kInValues, the
  /// enclosing term's column for kNested/kCast. Empty for LIMIT, TTL, TIMESTAMP, JSON.
  std::vector<std::string> columns;
  std::string field;      ///< kUdtField: the field name
  std::string cast_type;  ///< kCast: the CQL type text of the cast
  /// True for an element of a parenthesised IN list: `c IN (?, ?)` (each of c's type).
  bool in_list = false;
};

}  // namespace cqlbulk::sim
