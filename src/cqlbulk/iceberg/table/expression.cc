// SPDX-License-Identifier: Apache-2.0
// The --filter language: parsing, binding to a schema, inclusive projection through partition
// transforms, and the evaluations a scan needs (manifest summaries, partition tuples, file
// metrics, rows).
#include "cqlbulk/iceberg/table/expression.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "cqlbulk/core/cql_identifier.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/time.h"
#include "cqlbulk/core/uuid.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "cqlbulk/iceberg/spec/transform.h"
#include "cqlbulk/iceberg/spec/value_literal.h"

namespace cqlbulk::iceberg {
namespace {

using Op = Expression::Op;

// ---------------------------------------------------------------------------------------------
// Tokens and parsing.

struct Token {
  enum class Kind : uint8_t { kEnd, kIdent, kQuotedIdent, kString, kNumber, kSymbol };
  Kind kind = Kind::kEnd;
  std::string text;  // identifiers as written (unquoted ones not yet lower-cased)
  size_t position = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<Expression> Parse() {
    CQLBULK_RETURN_IF_ERROR(Tokenize());
    CQLBULK_ASSIGN_OR_RETURN(Expression e, ParseOr());
    if (Peek().kind != Token::Kind::kEnd) return Fail(Peek().position, "unexpected '" + Peek().text + "'");
    return e;
  }

 private:
  Error Fail(size_t position, const std::string& what) const {
    return InvalidArgument("--filter \"" + std::string(text_) + "\": at position " +
                           std::to_string(position + 1) + ": " + what);
  }

  Status Tokenize() {
    size_t i = 0;
    while (true) {
      while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      Token t;
      t.position = i;
      if (i == text_.size()) {
        t.kind = Token::Kind::kEnd;
        t.text = "end of filter";
        tokens_.push_back(std::move(t));
        return OkStatus();
      }
      char c = text_[i];
      if (c == '\'' || c == '"') {
        t.kind = c == '\'' ? Token::Kind::kString : Token::Kind::kQuotedIdent;
        ++i;
        bool closed = false;
        while (i < text_.size()) {
          if (text_[i] == c) {
            if (i + 1 < text_.size() && text_[i + 1] == c) {
              t.text.push_back(c);
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          t.text.push_back(text_[i++]);
        }
        if (!closed) {
          return Fail(t.position, std::string("the ") + (c == '\'' ? "text" : "quoted name") +
                                      " is not closed");
        }
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        t.kind = Token::Kind::kIdent;
        while (i < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[i])) || text_[i] == '_')) {
          t.text.push_back(text_[i++]);
        }
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 ((c == '-' || c == '+' || c == '.') && i + 1 < text_.size() &&
                  (std::isdigit(static_cast<unsigned char>(text_[i + 1])) || text_[i + 1] == '.'))) {
        t.kind = Token::Kind::kNumber;
        t.text.push_back(text_[i++]);
        while (i < text_.size()) {
          char d = text_[i];
          bool exponent_sign = (d == '-' || d == '+') && (text_[i - 1] == 'e' || text_[i - 1] == 'E');
          if (!std::isalnum(static_cast<unsigned char>(d)) && d != '.' && !exponent_sign) break;
          t.text.push_back(text_[i++]);
        }
      } else {
        t.kind = Token::Kind::kSymbol;
        static constexpr std::string_view kTwo[] = {"!=", "<>", "<=", ">="};
        std::string_view rest = text_.substr(i);
        bool two = false;
        for (std::string_view s : kTwo) two |= rest.starts_with(s);
        if (two) {
          t.text = std::string(rest.substr(0, 2));
          i += 2;
        } else if (std::string_view("=<>(),").find(c) != std::string_view::npos) {
          t.text = std::string(1, c);
          ++i;
        } else {
          return Fail(i, std::string("unexpected character '") + c + "'");
        }
      }
      tokens_.push_back(std::move(t));
    }
  }

  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }
  bool IsKeyword(const Token& t, std::string_view word) const {
    if (t.kind != Token::Kind::kIdent || t.text.size() != word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      if (std::toupper(static_cast<unsigned char>(t.text[i])) != word[i]) return false;
    }
    return true;
  }
  bool IsSymbol(const Token& t, std::string_view s) const {
    return t.kind == Token::Kind::kSymbol && t.text == s;
  }
  bool TakeKeyword(std::string_view word) {
    if (!IsKeyword(Peek(), word)) return false;
    ++next_;
    return true;
  }

  Result<Expression> ParseOr() {
    CQLBULK_ASSIGN_OR_RETURN(Expression left, ParseAnd());
    if (!IsKeyword(Peek(), "OR")) return left;
    Expression e;
    e.op = Op::kOr;
    e.children.push_back(std::move(left));
    while (TakeKeyword("OR")) {
      CQLBULK_ASSIGN_OR_RETURN(Expression right, ParseAnd());
      e.children.push_back(std::move(right));
    }
    return e;
  }

  Result<Expression> ParseAnd() {
    CQLBULK_ASSIGN_OR_RETURN(Expression left, ParseNot());
    if (!IsKeyword(Peek(), "AND")) return left;
    Expression e;
    e.op = Op::kAnd;
    e.children.push_back(std::move(left));
    while (TakeKeyword("AND")) {
      CQLBULK_ASSIGN_OR_RETURN(Expression right, ParseNot());
      e.children.push_back(std::move(right));
    }
    return e;
  }

  Result<Expression> ParseNot() {
    if (TakeKeyword("NOT")) {
      CQLBULK_ASSIGN_OR_RETURN(Expression inner, ParseNot());
      Expression e;
      e.op = Op::kNot;
      e.children.push_back(std::move(inner));
      return e;
    }
    if (IsSymbol(Peek(), "(")) {
      Take();
      CQLBULK_ASSIGN_OR_RETURN(Expression inner, ParseOr());
      if (!IsSymbol(Peek(), ")")) return Fail(Peek().position, "expected ')' before '" + Peek().text + "'");
      Take();
      return inner;
    }
    if (IsKeyword(Peek(), "TRUE") || IsKeyword(Peek(), "FALSE")) {
      Expression e;
      e.op = IsKeyword(Take(), "TRUE") ? Op::kTrue : Op::kFalse;
      return e;
    }
    return ParsePredicate();
  }

  Result<FilterValue> ParseValue() {
    const Token& t = Take();
    FilterValue v;
    v.position = t.position;
    if (t.kind == Token::Kind::kString) {
      v.kind = FilterValue::Kind::kText;
    } else if (t.kind == Token::Kind::kNumber) {
      v.kind = FilterValue::Kind::kNumber;
    } else if (IsKeyword(t, "TRUE") || IsKeyword(t, "FALSE")) {
      v.kind = FilterValue::Kind::kBoolean;
      v.text = IsKeyword(t, "TRUE") ? "true" : "false";
      return v;
    } else {
      return Fail(t.position, "expected a value ('text', a number, true or false), not '" +
                                  t.text + "'");
    }
    v.text = t.text;
    return v;
  }

  Result<Expression> ParsePredicate() {
    const Token& name = Take();
    Expression e;
    e.position = name.position;
    if (name.kind == Token::Kind::kIdent) {
      for (const char* keyword : {"AND", "OR", "IS", "IN", "NULL"}) {
        if (IsKeyword(name, keyword)) return Fail(name.position, "expected a column, not " + name.text);
      }
      e.column = name.text;
      for (char& c : e.column) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (name.kind == Token::Kind::kQuotedIdent) {
      e.column = name.text;
    } else {
      return Fail(name.position, "expected a column, not '" + name.text + "'");
    }
    if (TakeKeyword("IS")) {
      bool negated = TakeKeyword("NOT");
      if (!TakeKeyword("NULL")) return Fail(Peek().position, "expected NULL after IS");
      e.op = negated ? Op::kNotNull : Op::kIsNull;
      return e;
    }
    bool negated = TakeKeyword("NOT");
    if (TakeKeyword("IN")) {
      e.op = negated ? Op::kNotIn : Op::kIn;
      if (!IsSymbol(Take(), "(")) return Fail(tokens_[next_ - 1].position, "expected '(' after IN");
      while (true) {
        CQLBULK_ASSIGN_OR_RETURN(FilterValue v, ParseValue());
        e.raw.push_back(std::move(v));
        if (IsSymbol(Peek(), ",")) {
          Take();
          continue;
        }
        if (IsSymbol(Peek(), ")")) {
          Take();
          break;
        }
        return Fail(Peek().position, "expected ',' or ')' in the IN list");
      }
      return e;
    }
    if (negated) return Fail(Peek().position, "expected IN after NOT");
    const Token& op = Take();
    static const std::pair<std::string_view, Op> kOps[] = {
        {"=", Op::kEq},  {"!=", Op::kNotEq}, {"<>", Op::kNotEq}, {"<", Op::kLt},
        {"<=", Op::kLtEq}, {">", Op::kGt},   {">=", Op::kGtEq}};
    bool found = false;
    for (const auto& [text, o] : kOps) {
      if (IsSymbol(op, text)) {
        e.op = o;
        found = true;
      }
    }
    if (!found) {
      return Fail(op.position, "expected an operator (=, !=, <>, <, <=, >, >=, IS, IN) after " +
                                   e.column + ", not '" + op.text + "'");
    }
    CQLBULK_ASSIGN_OR_RETURN(FilterValue v, ParseValue());
    e.raw.push_back(std::move(v));
    return e;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Literal text as values of Iceberg types.

/// hh:mm[:ss[.fraction]] as microseconds (core's ParseTimeOfDay; digits past microseconds must
/// be 0).
std::optional<int64_t> ParseTimeText(std::string_view s) {
  Result<int64_t> nanos = ParseTimeOfDay(s);
  if (!nanos || *nanos % 1000 != 0) return std::nullopt;
  return *nanos / 1000;
}

/// A date, or a date and a time ('T' or ' ' between), with an optional zone (Z, +hh:mm,
/// -hh:mm, +hhmm): microseconds since the epoch, in UTC when a zone is given.
std::optional<int64_t> ParseTimestampText(std::string_view s) {
  size_t sep = s.find_first_of("Tt ", 1);
  Result<int64_t> days = ParseDate(s.substr(0, sep));
  if (!days) return std::nullopt;
  int64_t micros = *days * 86'400'000'000;
  if (sep == std::string_view::npos) return micros;
  s.remove_prefix(sep + 1);
  size_t zone = s.find_first_of("Zz+-");
  std::optional<int64_t> time = ParseTimeText(s.substr(0, zone));
  if (!time) return std::nullopt;
  micros += *time;
  if (zone == std::string_view::npos) return micros;
  s.remove_prefix(zone);
  if (s == "Z" || s == "z") return micros;
  const int sign = s[0] == '+' ? 1 : -1;
  s.remove_prefix(1);
  auto digits = [&s](int64_t& out) {
    if (s.size() < 2 || !std::isdigit(static_cast<unsigned char>(s[0])) ||
        !std::isdigit(static_cast<unsigned char>(s[1]))) {
      return false;
    }
    out = (s[0] - '0') * 10 + (s[1] - '0');
    s.remove_prefix(2);
    return true;
  };
  int64_t oh = 0, om = 0;
  if (!digits(oh)) return std::nullopt;
  if (!s.empty() && s[0] == ':') s.remove_prefix(1);
  if (!s.empty() && !digits(om)) return std::nullopt;
  if (!s.empty() || oh > 18 || om > 59) return std::nullopt;
  return micros - sign * (oh * 60 + om) * 60'000'000;
}

std::optional<int64_t> ParseInteger(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> ParseReal(const std::string& s) {
  if (s == "NaN" || s == "nan") return std::nan("");
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

/// "[-+]digits[.digits]" at `scale`: nullopt when it has more nonzero fraction digits or more
/// than `precision` digits.
std::optional<Int128> ParseDecimal(std::string_view s, int32_t precision, int32_t scale) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  Int128 value = 0;
  int digits = 0, fraction = 0;
  bool dot = false, any = false;
  for (char c : s) {
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    any = true;
    if (dot) {
      if (fraction == scale) {
        if (c != '0') return std::nullopt;
        continue;
      }
      ++fraction;
    }
    if (value != 0 || c != '0') ++digits;
    if (digits > 38) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (!any) return std::nullopt;
  for (; fraction < scale; ++fraction) {
    value *= 10;
    if (value != 0) ++digits;
  }
  if (digits > precision) return std::nullopt;
  return negative ? -value : value;
}

/// The value of `type` that `raw` writes; nullopt (the caller says why) when it writes none.
std::optional<Literal> ConvertValue(const FilterValue& raw, const Type& type) {
  using K = FilterValue::Kind;
  const std::string& t = raw.text;
  switch (type.id()) {
    case TypeId::kBoolean:
      if (raw.kind == K::kBoolean || (raw.kind == K::kText && (t == "true" || t == "false"))) {
        return Literal::Boolean(t == "true");
      }
      return std::nullopt;
    case TypeId::kInt: {
      if (raw.kind != K::kNumber) return std::nullopt;
      auto v = ParseInteger(t);
      if (!v || *v < INT32_MIN || *v > INT32_MAX) return std::nullopt;
      return Literal::Int(static_cast<int32_t>(*v));
    }
    case TypeId::kLong: {
      if (raw.kind != K::kNumber) return std::nullopt;
      auto v = ParseInteger(t);
      if (!v) return std::nullopt;
      return Literal::Long(*v);
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      if (raw.kind != K::kNumber && !(raw.kind == K::kText && (t == "NaN"))) return std::nullopt;
      auto v = ParseReal(t);
      if (!v) return std::nullopt;
      return type.id() == TypeId::kFloat ? Literal::Float(static_cast<float>(*v))
                                         : Literal::Double(*v);
    }
    case TypeId::kDecimal: {
      if (raw.kind == K::kBoolean) return std::nullopt;
      auto v = ParseDecimal(t, type.precision(), type.scale());
      if (!v) return std::nullopt;
      return Literal::Bytes(DecimalBytes(*v));
    }
    case TypeId::kDate: {
      if (raw.kind != K::kText) return std::nullopt;
      Result<int64_t> v = ParseDate(t);
      if (!v || *v < INT32_MIN || *v > INT32_MAX) return std::nullopt;
      return Literal::Int(static_cast<int32_t>(*v));
    }
    case TypeId::kTime: {
      if (raw.kind != K::kText) return std::nullopt;
      auto v = ParseTimeText(t);
      if (!v) return std::nullopt;
      return Literal::Long(*v);
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      if (raw.kind == K::kNumber) {  // milliseconds since the epoch, as CQL takes them
        auto v = ParseInteger(t);
        if (!v || *v > INT64_MAX / 1000 || *v < INT64_MIN / 1000) return std::nullopt;
        return Literal::Long(*v * 1000);
      }
      if (raw.kind != K::kText) return std::nullopt;
      auto v = ParseTimestampText(t);
      if (!v) return std::nullopt;
      return Literal::Long(*v);
    }
    case TypeId::kString:
      if (raw.kind != K::kText) return std::nullopt;
      return Literal::Bytes(t);
    case TypeId::kUuid: {
      if (raw.kind != K::kText) return std::nullopt;
      Result<Uuid> v = Uuid::Parse(t);
      if (!v) return std::nullopt;
      return Literal::Bytes(std::string(v->bytes.begin(), v->bytes.end()));
    }
    case TypeId::kFixed:
    case TypeId::kBinary: {
      // 0x followed by hex digits, as CQL writes blobs.
      if (raw.kind != K::kNumber && raw.kind != K::kText) return std::nullopt;
      if (t.size() < 2 || t[0] != '0' || (t[1] != 'x' && t[1] != 'X') || t.size() % 2 != 0) {
        return std::nullopt;
      }
      std::string bytes;
      for (size_t i = 2; i < t.size(); i += 2) {
        auto hex = [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                 : (c >= 'a' && c <= 'f')                     ? c - 'a' + 10
                 : (c >= 'A' && c <= 'F')                     ? c - 'A' + 10
                                                              : -1;
        };
        int hi = hex(t[i]), lo = hex(t[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        bytes.push_back(static_cast<char>(hi * 16 + lo));
      }
      if (type.id() == TypeId::kFixed && static_cast<int32_t>(bytes.size()) != type.length()) {
        return std::nullopt;
      }
      return Literal::Bytes(std::move(bytes));
    }
    default:
      return std::nullopt;
  }
}

std::string ExpectedForm(const Type& type) {
  switch (type.id()) {
    case TypeId::kBoolean: return "true or false";
    case TypeId::kInt: return "a 32-bit integer";
    case TypeId::kLong: return "a 64-bit integer";
    case TypeId::kFloat:
    case TypeId::kDouble: return "a number";
    case TypeId::kDecimal:
      return "a number of at most " + std::to_string(type.precision()) + " digits, " +
             std::to_string(type.scale()) + " after the point";
    case TypeId::kDate: return "a quoted date 'yyyy-mm-dd'";
    case TypeId::kTime: return "a quoted time 'hh:mm:ss[.ffffff]'";
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return "a quoted timestamp 'yyyy-mm-ddThh:mm:ss[.ffffff][Z|+hh:mm]' or milliseconds since "
             "the epoch";
    case TypeId::kString: return "quoted text";
    case TypeId::kUuid: return "a quoted uuid";
    case TypeId::kFixed:
    case TypeId::kBinary: return "0x followed by hex digits";
    default: return "a value";
  }
}

Op Negated(Op op) {
  switch (op) {
    case Op::kTrue: return Op::kFalse;
    case Op::kFalse: return Op::kTrue;
    case Op::kAnd: return Op::kOr;
    case Op::kOr: return Op::kAnd;
    case Op::kIsNull: return Op::kNotNull;
    case Op::kNotNull: return Op::kIsNull;
    case Op::kEq: return Op::kNotEq;
    case Op::kNotEq: return Op::kEq;
    case Op::kLt: return Op::kGtEq;
    case Op::kLtEq: return Op::kGt;
    case Op::kGt: return Op::kLtEq;
    case Op::kGtEq: return Op::kLt;
    case Op::kIn: return Op::kNotIn;
    case Op::kNotIn: return Op::kIn;
    case Op::kNot: return Op::kNot;
  }
  return op;
}

/// Binds `e`, negated when `negate` (NOT pushed down to the predicates).
Result<Expression> Bind(const Expression& e, const Schema& schema, std::string_view text,
                        bool negate) {
  if (e.op == Op::kNot) return Bind(e.children.at(0), schema, text, !negate);
  Expression out;
  out.op = negate ? Negated(e.op) : e.op;
  if (e.op == Op::kTrue || e.op == Op::kFalse) return out;
  if (e.op == Op::kAnd || e.op == Op::kOr) {
    for (const Expression& child : e.children) {
      CQLBULK_ASSIGN_OR_RETURN(Expression bound, Bind(child, schema, text, negate));
      out.children.push_back(std::move(bound));
    }
    return out;
  }
  auto fail = [&](size_t position, const std::string& what) {
    return InvalidArgument("--filter \"" + std::string(text) + "\": at position " +
                           std::to_string(position + 1) + ": " + what);
  };
  const NestedField* field = nullptr;
  for (const NestedField& f : schema.fields) {
    if (f.name == e.column) field = &f;
  }
  if (field == nullptr) {
    std::string names;
    for (const NestedField& f : schema.fields) {
      names += (names.empty() ? "" : ", ") + QuoteCqlIdentifier(f.name);
    }
    return fail(e.position, "the table has no column " + QuoteCqlIdentifier(e.column) +
                                " (its columns: " + names + ")");
  }
  if (!field->type->is_primitive()) {
    return fail(e.position, "column " + QuoteCqlIdentifier(e.column) + " is a " +
                                field->type->ToString() + ": filters take primitive columns");
  }
  out.column = e.column;
  out.position = e.position;
  out.raw = e.raw;
  out.field_id = field->id;
  out.type = field->type;
  for (const FilterValue& raw : e.raw) {
    std::optional<Literal> value = ConvertValue(raw, *field->type);
    if (!value) {
      return fail(raw.position, "column " + QuoteCqlIdentifier(e.column) + " is a " +
                                    field->type->ToString() + ": it takes " +
                                    ExpectedForm(*field->type) + ", not " +
                                    (raw.kind == FilterValue::Kind::kText ? "'" + raw.text + "'"
                                                                          : raw.text));
    }
    out.values.push_back(std::move(*value));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

bool IsNaN(const Literal& v) {
  return (v.kind == Literal::Kind::kFloat && std::isnan(v.float_value)) ||
         (v.kind == Literal::Kind::kDouble && std::isnan(v.double_value));
}

/// Orders two non-null values of `type` as a filter compares them: floats and doubles by IEEE 754
/// (-0 equals +0; NaN is handled by the callers), everything else as spec/literal.h's Compare.
Result<int> CompareValues(const Type& type, const Literal& a, const Literal& b) {
  auto as_double = [](const Literal& v) {
    return v.kind == Literal::Kind::kFloat ? static_cast<double>(v.float_value) : v.double_value;
  };
  if ((a.kind == Literal::Kind::kFloat || a.kind == Literal::Kind::kDouble) &&
      (b.kind == Literal::Kind::kFloat || b.kind == Literal::Kind::kDouble)) {
    double x = as_double(a), y = as_double(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return Compare(type, a, b);
}

/// A predicate on one value (SQL semantics, see Expression).
Result<bool> Test(const Expression& p, const Literal& v) {
  if (p.op == Op::kIsNull) return v.is_null();
  if (p.op == Op::kNotNull) return !v.is_null();
  if (v.is_null()) return p.op == Op::kNotIn;  // as Iceberg's (and PyIceberg's) NOT IN
  auto equal = [&](const Literal& lit) -> Result<bool> {
    if (IsNaN(v) || IsNaN(lit)) return false;
    CQLBULK_ASSIGN_OR_RETURN(int c, CompareValues(*p.type, v, lit));
    return c == 0;
  };
  switch (p.op) {
    case Op::kIn:
    case Op::kNotIn: {
      bool any = false;
      for (const Literal& lit : p.values) {
        CQLBULK_ASSIGN_OR_RETURN(bool eq, equal(lit));
        any |= eq;
      }
      return p.op == Op::kIn ? any : !any;
    }
    case Op::kEq: return equal(p.values.at(0));
    case Op::kNotEq: {
      CQLBULK_ASSIGN_OR_RETURN(bool eq, equal(p.values.at(0)));
      return !eq;
    }
    default: break;
  }
  const Literal& lit = p.values.at(0);
  if (IsNaN(v) || IsNaN(lit)) return false;
  CQLBULK_ASSIGN_OR_RETURN(int c, CompareValues(*p.type, v, lit));
  switch (p.op) {
    case Op::kLt: return c < 0;
    case Op::kLtEq: return c <= 0;
    case Op::kGt: return c > 0;
    case Op::kGtEq: return c >= 0;
    default: return InvalidArgument("not a comparison");
  }
}

/// Whether a set of values between `lower` and `upper` (inclusive; no NaN, no null) may hold
/// one the comparison `p` matches.
Result<bool> RangeMayMatch(const Expression& p, const Literal& lower, const Literal& upper) {
  auto cmp = [&](const Literal& a, const Literal& b) { return CompareValues(*p.type, a, b); };
  switch (p.op) {
    case Op::kLt: {
      if (IsNaN(p.values[0])) return false;
      CQLBULK_ASSIGN_OR_RETURN(int c, cmp(lower, p.values[0]));
      return c < 0;
    }
    case Op::kLtEq: {
      if (IsNaN(p.values[0])) return false;
      CQLBULK_ASSIGN_OR_RETURN(int c, cmp(lower, p.values[0]));
      return c <= 0;
    }
    case Op::kGt: {
      if (IsNaN(p.values[0])) return false;
      CQLBULK_ASSIGN_OR_RETURN(int c, cmp(upper, p.values[0]));
      return c > 0;
    }
    case Op::kGtEq: {
      if (IsNaN(p.values[0])) return false;
      CQLBULK_ASSIGN_OR_RETURN(int c, cmp(upper, p.values[0]));
      return c >= 0;
    }
    case Op::kEq:
    case Op::kIn:
      for (const Literal& v : p.values) {
        if (IsNaN(v)) continue;
        CQLBULK_ASSIGN_OR_RETURN(int lo, cmp(lower, v));
        CQLBULK_ASSIGN_OR_RETURN(int hi, cmp(upper, v));
        if (lo <= 0 && hi >= 0) return true;
      }
      return false;
    default:
      return true;
  }
}

template <typename Leaf>
Result<bool> EvaluateTree(const Expression& e, const Leaf& leaf) {
  switch (e.op) {
    case Op::kTrue: return true;
    case Op::kFalse: return false;
    case Op::kAnd:
      for (const Expression& c : e.children) {
        CQLBULK_ASSIGN_OR_RETURN(bool v, EvaluateTree(c, leaf));
        if (!v) return false;
      }
      return true;
    case Op::kOr:
      for (const Expression& c : e.children) {
        CQLBULK_ASSIGN_OR_RETURN(bool v, EvaluateTree(c, leaf));
        if (v) return true;
      }
      return false;
    case Op::kNot:
      return InvalidArgument("an unbound filter (NOT is pushed down when it is bound)");
    default:
      return leaf(e);
  }
}

std::string ValueText(const FilterValue& v) {
  if (v.kind != FilterValue::Kind::kText) return v.text;
  std::string out = "'";
  for (char c : v.text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out + "'";
}

std::string LiteralText(const Literal& v) {
  switch (v.kind) {
    case Literal::Kind::kNull: return "null";
    case Literal::Kind::kBoolean: return v.boolean ? "true" : "false";
    case Literal::Kind::kInt: return std::to_string(v.int_value);
    case Literal::Kind::kLong: return std::to_string(v.long_value);
    case Literal::Kind::kFloat: return std::to_string(v.float_value);
    case Literal::Kind::kDouble: return std::to_string(v.double_value);
    case Literal::Kind::kBytes: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string out = "0x";
      for (unsigned char c : v.bytes) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      }
      return out;
    }
  }
  return "?";
}

Expression Constant(bool value) {
  Expression e;
  e.op = value ? Op::kTrue : Op::kFalse;
  return e;
}

/// AND or OR of `children`, simplified: constants folded, a lone child returned as it is.
Expression Combine(Op op, std::vector<Expression> children) {
  const bool is_and = op == Op::kAnd;
  Expression out;
  out.op = op;
  for (Expression& c : children) {
    if (c.op == (is_and ? Op::kTrue : Op::kFalse)) continue;
    if (c.op == (is_and ? Op::kFalse : Op::kTrue)) return Constant(!is_and);
    out.children.push_back(std::move(c));
  }
  if (out.children.empty()) return Constant(is_and);
  if (out.children.size() == 1) return std::move(out.children[0]);
  return out;
}

Result<Expression> Project(const Expression& e, const PartitionSpec& spec, const Type& tuple) {
  if (e.op == Op::kTrue || e.op == Op::kFalse) return Constant(e.op == Op::kTrue);
  if (e.op == Op::kAnd || e.op == Op::kOr) {
    std::vector<Expression> children;
    for (const Expression& c : e.children) {
      CQLBULK_ASSIGN_OR_RETURN(Expression p, Project(c, spec, tuple));
      children.push_back(std::move(p));
    }
    return Combine(e.op, std::move(children));
  }
  if (e.op == Op::kNot) return InvalidArgument("project a bound filter");
  std::vector<Expression> parts;
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    const PartitionField& pf = spec.fields[i];
    if (pf.source_id != e.field_id) continue;
    using TK = Transform::Kind;
    if (pf.transform.kind == TK::kVoid) continue;
    Expression p;
    p.column = pf.name;
    p.position = e.position;
    p.field_id = pf.field_id;
    p.index = static_cast<int32_t>(i);
    p.type = tuple.fields().at(i).type;
    if (e.op == Op::kIsNull || e.op == Op::kNotNull) {
      p.op = e.op;
      parts.push_back(std::move(p));
      continue;
    }
    if (pf.transform.kind == TK::kIdentity) {
      p.op = e.op;
      p.values = e.values;
      parts.push_back(std::move(p));
      continue;
    }
    const bool ordered = pf.transform.kind != TK::kBucket;  // truncate and the dates keep order
    switch (e.op) {
      case Op::kEq:
      case Op::kIn: p.op = e.op; break;
      case Op::kLt:
      case Op::kLtEq:
        if (!ordered) continue;
        p.op = Op::kLtEq;
        break;
      case Op::kGt:
      case Op::kGtEq:
        if (!ordered) continue;
        p.op = Op::kGtEq;
        break;
      default: continue;  // != and NOT IN say nothing of a transformed value
    }
    bool nan = false;
    for (const Literal& v : e.values) {
      if (IsNaN(v)) {
        nan = true;
        continue;
      }
      CQLBULK_ASSIGN_OR_RETURN(Literal t, ApplyTransform(pf.transform, *e.type, v));
      p.values.push_back(std::move(t));
    }
    if (nan && p.values.empty()) continue;
    parts.push_back(std::move(p));
  }
  return Combine(Op::kAnd, std::move(parts));
}

}  // namespace

std::string Expression::ToString() const {
  switch (op) {
    case Op::kTrue: return "true";
    case Op::kFalse: return "false";
    case Op::kNot: return "NOT (" + children.at(0).ToString() + ")";
    case Op::kAnd:
    case Op::kOr: {
      std::string out;
      for (const Expression& c : children) {
        if (!out.empty()) out += op == Op::kAnd ? " AND " : " OR ";
        bool wrap = c.op == Op::kAnd || c.op == Op::kOr;
        out += wrap ? "(" + c.ToString() + ")" : c.ToString();
      }
      return out;
    }
    default: break;
  }
  std::string out = QuoteCqlIdentifier(column);
  auto value = [&](size_t i) {
    return i < raw.size() && values.size() == raw.size() && index < 0 ? ValueText(raw[i])
           : i < values.size()                                        ? LiteralText(values[i])
                                                                      : ValueText(raw.at(i));
  };
  size_t n = std::max(raw.size(), values.size());
  switch (op) {
    case Op::kIsNull: return out + " IS NULL";
    case Op::kNotNull: return out + " IS NOT NULL";
    case Op::kIn:
    case Op::kNotIn: {
      out += op == Op::kIn ? " IN (" : " NOT IN (";
      for (size_t i = 0; i < n; ++i) out += (i > 0 ? ", " : "") + value(i);
      return out + ")";
    }
    case Op::kEq: return out + " = " + value(0);
    case Op::kNotEq: return out + " != " + value(0);
    case Op::kLt: return out + " < " + value(0);
    case Op::kLtEq: return out + " <= " + value(0);
    case Op::kGt: return out + " > " + value(0);
    case Op::kGtEq: return out + " >= " + value(0);
    default: return out;
  }
}

std::optional<int64_t> ParseTimestampMicros(std::string_view text) {
  return ParseTimestampText(text);
}

Result<Expression> ParseFilter(std::string_view text) {
  Parser parser(text);
  return parser.Parse();
}

Result<Expression> BindFilter(const Expression& parsed, const Schema& schema,
                              std::string_view text) {
  return Bind(parsed, schema, text, false);
}

Result<Expression> ParseAndBindFilter(std::string_view text, const Schema& schema) {
  CQLBULK_ASSIGN_OR_RETURN(Expression parsed, ParseFilter(text));
  return BindFilter(parsed, schema, text);
}

Result<Expression> ProjectInclusive(const Expression& bound, const PartitionSpec& spec,
                                    const Schema& schema) {
  CQLBULK_ASSIGN_OR_RETURN(TypePtr tuple, PartitionType(spec, schema));
  return Project(bound, spec, *tuple);
}

Result<bool> EvaluatePartition(const Expression& projected, const std::vector<Literal>& tuple) {
  return EvaluateTree(projected, [&](const Expression& p) -> Result<bool> {
    if (p.index < 0 || static_cast<size_t>(p.index) >= tuple.size()) {
      return Corrupt("a partition tuple of " + std::to_string(tuple.size()) +
                     " values has no field " + std::to_string(p.index + 1) + " (" + p.column +
                     ")");
    }
    return Test(p, tuple[static_cast<size_t>(p.index)]);
  });
}

Result<bool> ManifestMayMatch(const Expression& projected,
                              const std::vector<PartitionFieldSummary>& summaries) {
  return EvaluateTree(projected, [&](const Expression& p) -> Result<bool> {
    if (p.index < 0 || static_cast<size_t>(p.index) >= summaries.size()) return true;
    const PartitionFieldSummary& s = summaries[static_cast<size_t>(p.index)];
    const bool no_bounds = !s.lower_bound || !s.upper_bound;
    const bool nan = s.contains_nan.value_or(false);
    if (p.op == Op::kIsNull) return s.contains_null;
    if (p.op == Op::kNotNull) return !(s.contains_null && no_bounds && !nan);
    if (p.op == Op::kNotEq || p.op == Op::kNotIn) return true;
    if (no_bounds) return !s.contains_null;  // all null (or nothing known)
    CQLBULK_ASSIGN_OR_RETURN(Literal lower, FromBytes(*p.type, *s.lower_bound));
    CQLBULK_ASSIGN_OR_RETURN(Literal upper, FromBytes(*p.type, *s.upper_bound));
    return RangeMayMatch(p, lower, upper);
  });
}

Result<bool> MetricsMayMatch(const Expression& bound, const DataFile& file) {
  return EvaluateTree(bound, [&](const Expression& p) -> Result<bool> {
    auto count = [](const std::map<int32_t, int64_t>& m, int32_t id) -> std::optional<int64_t> {
      auto it = m.find(id);
      return it == m.end() ? std::nullopt : std::optional<int64_t>(it->second);
    };
    std::optional<int64_t> values = count(file.value_counts, p.field_id);
    std::optional<int64_t> nulls = count(file.null_value_counts, p.field_id);
    const bool all_null = values && nulls && *values == *nulls;
    if (p.op == Op::kIsNull) return !(nulls && *nulls == 0);
    if (p.op == Op::kNotNull) return !all_null;
    if (p.op == Op::kNotEq || p.op == Op::kNotIn) return true;
    if (all_null) return false;
    auto lo = file.lower_bounds.find(p.field_id);
    auto hi = file.upper_bounds.find(p.field_id);
    if (lo == file.lower_bounds.end() || hi == file.upper_bounds.end()) return true;
    CQLBULK_ASSIGN_OR_RETURN(Literal lower, FromBytes(*p.type, lo->second));
    CQLBULK_ASSIGN_OR_RETURN(Literal upper, FromBytes(*p.type, hi->second));
    return RangeMayMatch(p, lower, upper);
  });
}

Result<std::vector<uint8_t>> EvaluateRows(const Expression& bound, const data::Batch& batch,
                                          std::span<const int32_t> field_ids) {
  const size_t n = batch.num_rows();
  struct Eval {
    const data::Batch& batch;
    size_t n;
    std::span<const int32_t> field_ids;
    Result<std::vector<uint8_t>> operator()(const Expression& e) const {
      switch (e.op) {
        case Op::kTrue: return std::vector<uint8_t>(n, 1);
        case Op::kFalse: return std::vector<uint8_t>(n, 0);
        case Op::kAnd:
        case Op::kOr: {
          std::vector<uint8_t> out(n, e.op == Op::kAnd ? 1 : 0);
          for (const Expression& c : e.children) {
            CQLBULK_ASSIGN_OR_RETURN(std::vector<uint8_t> v, (*this)(c));
            for (size_t i = 0; i < n; ++i) out[i] = e.op == Op::kAnd ? out[i] & v[i] : out[i] | v[i];
          }
          return out;
        }
        case Op::kNot: return InvalidArgument("an unbound filter");
        default: break;
      }
      const data::Column* column = nullptr;
      const auto& fields = batch.schema().fields;
      for (size_t i = 0; i < fields.size(); ++i) {
        std::optional<int32_t> id = field_ids.empty() ? fields[i].field_id
                                    : i < field_ids.size() ? std::optional<int32_t>(field_ids[i])
                                                           : std::nullopt;
        if (id == e.field_id) column = &batch.column(i);
      }
      std::vector<uint8_t> out(n, 0);
      for (size_t row = 0; row < n; ++row) {
        Literal v;
        if (column != nullptr) {
          Result<Literal> value = LiteralOfValue(*column, row, *e.type);
          if (!value) {
            return Error(value.error().code(),
                         "filter on " + e.column + ": " + value.error().message());
          }
          v = std::move(*value);
        }
        CQLBULK_ASSIGN_OR_RETURN(bool match, Test(e, v));
        out[row] = match ? 1 : 0;
      }
      return out;
    }
  };
  return Eval{batch, n, field_ids}(bound);
}

}  // namespace cqlbulk::iceberg
