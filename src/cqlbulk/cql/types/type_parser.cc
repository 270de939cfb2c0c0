// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/type_parser.h"

#include <charconv>
#include <limits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/text_internal.h"

namespace cqlbulk::cql {
namespace {

using internal::EqualsIgnoreCase;

constexpr int kMaxTypeDepth = 64;

DataTypePtr WithFrozen(const DataTypePtr& type, bool frozen) {
  if (type->frozen == frozen) return type;
  auto copy = std::make_shared<DataType>(*type);
  copy->frozen = frozen;
  return copy;
}

bool IsFreezable(const DataType& t) {
  return t.is_collection() || t.id == TypeId::kTuple || t.id == TypeId::kUdt;
}

class TypeParser {
 public:
  TypeParser(std::string_view text, const UdtResolver& resolver)
      : text_(text), resolver_(resolver) {}

  Result<DataTypePtr> ParseAll() {
    CQLBULK_ASSIGN_OR_RETURN(DataTypePtr t, Parse(0));
    SkipSpace();
    if (pos_ != text_.size()) return Fail("unexpected text after the type", pos_);
    return t;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && internal::IsSpace(text_[pos_])) ++pos_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status Expect(char c) {
    if (Eat(c)) return {};
    return Fail(std::string("expected '") + c + "'", pos_);
  }
  Error Fail(std::string_view why, size_t at) const {
    return InvalidArgument("invalid CQL type '" + std::string(text_) + "' at position " +
                           std::to_string(at) + ": " + std::string(why));
  }

  /// An unquoted word [A-Za-z][A-Za-z0-9_]*, or empty.
  std::string_view Word() {
    SkipSpace();
    size_t start = pos_;
    if (pos_ < text_.size() && internal::IsIdentStart(text_[pos_])) {
      while (pos_ < text_.size() && internal::IsIdentChar(text_[pos_])) ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  /// A name: unquoted (lower-cased) or "quoted" (as written, "" for a quote).
  Result<std::string> Name() {
    SkipSpace();
    size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      std::string out;
      ++pos_;
      while (true) {
        size_t quote = text_.find('"', pos_);
        if (quote == std::string_view::npos) return Fail("unterminated quoted name", start);
        out.append(text_.substr(pos_, quote - pos_));
        pos_ = quote + 1;
        if (pos_ >= text_.size() || text_[pos_] != '"') return out;
        out += '"';
        ++pos_;
      }
    }
    std::string_view word = Word();
    if (word.empty()) return Fail("expected a type", start);
    return internal::AsciiLower(word);
  }

  /// A type nested in a collection: collections and UDTs must be frozen.
  Result<DataTypePtr> Element(int depth, std::string_view where) {
    SkipSpace();
    size_t at = pos_;
    CQLBULK_ASSIGN_OR_RETURN(DataTypePtr t, Parse(depth + 1));
    if (IsFreezable(*t) && !t->frozen && t->id != TypeId::kTuple) {
      return Fail("non-frozen " + std::string(t->id == TypeId::kUdt ? "UDTs" : "collections") +
                      " are not allowed inside " + std::string(where),
                  at);
    }
    if (t->id == TypeId::kCounter) return Fail("counters are not allowed inside collections", at);
    return t;
  }

  /// A tuple or vector member: frozen implicitly.
  Result<DataTypePtr> Member(int depth) {
    CQLBULK_ASSIGN_OR_RETURN(DataTypePtr t, Parse(depth + 1));
    return IsFreezable(*t) ? WithFrozen(t, true) : t;
  }

  Result<DataTypePtr> Parse(int depth) {
    SkipSpace();
    size_t start = pos_;
    if (depth > kMaxTypeDepth) return Fail("type nested too deeply", start);
    if (pos_ < text_.size() && text_[pos_] == '\'') return Custom();
    if (pos_ < text_.size() && text_[pos_] == '"') return Udt({}, start);
    std::string_view word = Word();
    if (word.empty()) return Fail("expected a type", start);
    size_t after_word = pos_;
    bool params = Eat('<');
    if (!params) {
      if (DataTypePtr native = NativeTypeByName(word)) return native;
      pos_ = after_word;
      return Udt(word, start);
    }
    if (EqualsIgnoreCase(word, "frozen")) {
      SkipSpace();
      size_t at = pos_;
      CQLBULK_ASSIGN_OR_RETURN(DataTypePtr inner, Parse(depth + 1));
      CQLBULK_RETURN_IF_ERROR(Expect('>'));
      if (!IsFreezable(*inner)) {
        return Fail("frozen<> is only allowed on collections, tuples and user-defined types", at);
      }
      return WithFrozen(inner, true);
    }
    if (EqualsIgnoreCase(word, "list") || EqualsIgnoreCase(word, "set")) {
      bool is_set = EqualsIgnoreCase(word, "set");
      SkipSpace();
      size_t at = pos_;
      CQLBULK_ASSIGN_OR_RETURN(DataTypePtr e, Element(depth, "collections"));
      CQLBULK_RETURN_IF_ERROR(Expect('>'));
      if (is_set && e->id == TypeId::kDuration)
        return Fail("durations are not allowed inside sets", at);
      return is_set ? DataType::Set(std::move(e)) : DataType::List(std::move(e));
    }
    if (EqualsIgnoreCase(word, "map")) {
      SkipSpace();
      size_t at = pos_;
      CQLBULK_ASSIGN_OR_RETURN(DataTypePtr k, Element(depth, "collections"));
      CQLBULK_RETURN_IF_ERROR(Expect(','));
      CQLBULK_ASSIGN_OR_RETURN(DataTypePtr v, Element(depth, "collections"));
      CQLBULK_RETURN_IF_ERROR(Expect('>'));
      if (k->id == TypeId::kDuration) return Fail("durations are not allowed as map keys", at);
      return DataType::Map(std::move(k), std::move(v));
    }
    if (EqualsIgnoreCase(word, "tuple")) {
      std::vector<DataTypePtr> members;
      do {
        CQLBULK_ASSIGN_OR_RETURN(DataTypePtr m, Member(depth));
        members.push_back(std::move(m));
      } while (Eat(','));
      CQLBULK_RETURN_IF_ERROR(Expect('>'));
      return DataType::Tuple(std::move(members));
    }
    if (EqualsIgnoreCase(word, "vector")) {
      CQLBULK_ASSIGN_OR_RETURN(DataTypePtr e, Member(depth));
      CQLBULK_RETURN_IF_ERROR(Expect(','));
      SkipSpace();
      size_t at = pos_;
      uint32_t dimension = 0;
      auto [p, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), dimension);
      if (ec != std::errc() || dimension == 0 ||
          dimension > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
        return Fail("expected a vector dimension between 1 and 2147483647", at);
      }
      pos_ = static_cast<size_t>(p - text_.data());
      CQLBULK_RETURN_IF_ERROR(Expect('>'));
      return DataType::Vector(std::move(e), dimension);
    }
    return Fail("unknown parameterised type '" + std::string(word) + "'", start);
  }

  Result<DataTypePtr> Custom() {
    size_t start = pos_;
    size_t end = text_.find('\'', pos_ + 1);
    if (end == std::string_view::npos) return Fail("unterminated custom type class", start);
    std::string_view java_class = text_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    if (DataTypePtr known = ParseJavaClassName(java_class)) return known;
    return DataType::Custom(std::string(java_class));
  }

  /// [keyspace.]name, where the first part has been read as `first` when unquoted.
  Result<DataTypePtr> Udt(std::string_view first, size_t start) {
    std::string keyspace, name;
    if (first.empty()) {
      CQLBULK_ASSIGN_OR_RETURN(name, Name());
    } else {
      name = internal::AsciiLower(first);
    }
    if (Eat('.')) {
      keyspace = std::move(name);
      CQLBULK_ASSIGN_OR_RETURN(name, Name());
    }
    DataTypePtr udt = resolver_ ? resolver_(keyspace, name) : nullptr;
    if (udt == nullptr) {
      return NotFound("invalid CQL type '" + std::string(text_) + "' at position " +
                      std::to_string(start) + ": unknown type " +
                      (keyspace.empty() ? name : keyspace + "." + name));
    }
    if (udt->id != TypeId::kUdt) return Fail("'" + name + "' is not a user-defined type", start);
    return WithFrozen(udt, false);
  }

  std::string_view text_;
  const UdtResolver& resolver_;
  size_t pos_ = 0;
};

}  // namespace

Result<DataTypePtr> ParseCqlType(std::string_view text, const UdtResolver& resolver) {
  return TypeParser(text, resolver).ParseAll();
}

}  // namespace cqlbulk::cql
