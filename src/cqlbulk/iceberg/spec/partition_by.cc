// SPDX-License-Identifier: Apache-2.0
// The --partition-by text: transforms of columns, resolved against a schema into a spec.
#include "cqlbulk/iceberg/spec/partition_by.h"

#include <charconv>
#include <optional>
#include <utility>
#include <vector>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/iceberg/spec/json.h"
#include "cqlbulk/iceberg/spec/transform.h"

namespace cqlbulk::iceberg {
namespace {

using Kind = Transform::Kind;

constexpr int32_t kFirstPartitionFieldId = 1000;

// One item of the list before it is resolved: a transform and a column path.
struct Item {
  std::string text;  // as written, for messages
  Transform transform;
  std::vector<std::string> path;
};

bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::vector<Item>> Parse() {
    std::vector<Item> items;
    SkipSpaces();
    if (pos_ == text_.size()) {
      return items;
    }
    while (true) {
      SkipSpaces();
      size_t start = pos_;
      CQLBULK_ASSIGN_OR_RETURN(Item item, ParseItem());
      item.text = std::string(Trimmed(text_.substr(start, pos_ - start)));
      items.push_back(std::move(item));
      SkipSpaces();
      if (pos_ == text_.size()) return items;
      if (!Consume(',')) return Bad("expected ',' between partition fields");
    }
  }

 private:
  static std::string_view Trimmed(std::string_view s) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  }

  Error Bad(std::string_view why) const {
    return InvalidArgument("--partition-by \"" + std::string(text_) + "\": " + std::string(why) +
                           " at character " + std::to_string(pos_ + 1));
  }

  void SkipSpaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  bool Consume(char c) {
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // A bare name or a "quoted name" ("" inside is one quote).
  Result<std::string> ParseName() {
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      std::string name;
      for (++pos_; pos_ < text_.size(); ++pos_) {
        if (text_[pos_] == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            name.push_back('"');
            ++pos_;
          } else {
            ++pos_;
            return name;
          }
        } else {
          name.push_back(text_[pos_]);
        }
      }
      return Bad("unterminated quoted name");
    }
    size_t start = pos_;
    if (pos_ >= text_.size() || !IsNameStart(text_[pos_])) return Bad("expected a column name");
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  Result<std::vector<std::string>> ParsePath() {
    std::vector<std::string> path;
    do {
      CQLBULK_ASSIGN_OR_RETURN(std::string name, ParseName());
      path.push_back(std::move(name));
    } while (Consume('.'));
    return path;
  }

  Result<int32_t> ParseCount(std::string_view what) {
    SkipSpaces();
    size_t start = pos_;
    while (pos_ < text_.size() && ((text_[pos_] >= '0' && text_[pos_] <= '9') ||
                                   (pos_ == start && text_[pos_] == '-'))) {
      ++pos_;
    }
    int64_t value = 0;
    std::string_view digits = text_.substr(start, pos_ - start);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
      return Bad("expected the number " + std::string(what) + " first");
    }
    if (value <= 0 || value > 2147483647) {
      pos_ = start;
      return Bad(std::string(what) + " must be a positive 32-bit integer, not " +
                 std::string(digits));
    }
    return static_cast<int32_t>(value);
  }

  Result<Item> ParseItem() {
    SkipSpaces();
    size_t start = pos_;
    bool quoted = pos_ < text_.size() && text_[pos_] == '"';
    CQLBULK_ASSIGN_OR_RETURN(std::vector<std::string> path, ParsePath());
    if (quoted || path.size() > 1 || !Consume('(')) {
      return Item{{}, Transform{Kind::kIdentity, 0}, std::move(path)};
    }
    static const std::pair<std::string_view, Kind> kFunctions[] = {
        {"identity", Kind::kIdentity}, {"bucket", Kind::kBucket}, {"truncate", Kind::kTruncate},
        {"year", Kind::kYear},         {"month", Kind::kMonth},   {"day", Kind::kDay},
        {"hour", Kind::kHour},         {"void", Kind::kVoid}};
    std::string function = Lower(path[0]);
    std::optional<Kind> kind;
    for (const auto& [name, k] : kFunctions) {
      if (function == name) kind = k;
    }
    if (!kind) {
      pos_ = start;
      return Bad("unknown transform " + path[0] +
                 " (identity, bucket, truncate, year, month, day, hour, void)");
    }
    Transform transform{*kind, 0};
    if (*kind == Kind::kBucket || *kind == Kind::kTruncate) {
      std::string_view what = *kind == Kind::kBucket ? "N of bucket(N, column)"
                                                     : "W of truncate(W, column)";
      CQLBULK_ASSIGN_OR_RETURN(transform.parameter, ParseCount(what));
      if (!Consume(',')) return Bad("expected ',' after " + std::string(what.substr(0, 1)));
    }
    CQLBULK_ASSIGN_OR_RETURN(std::vector<std::string> column, ParsePath());
    if (!Consume(')')) return Bad("expected ')'");
    return Item{{}, transform, std::move(column)};
  }

  std::string_view text_;
  size_t pos_ = 0;
};

bool IsTimeTransform(const Transform& transform) {
  return transform.kind == Kind::kYear || transform.kind == Kind::kMonth ||
         transform.kind == Kind::kDay || transform.kind == Kind::kHour;
}

std::string JoinPath(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& part : path) {
    if (!out.empty()) out.push_back('.');
    out += part;
  }
  return out;
}

// The field a path names, through structs only.
Result<const NestedField*> Resolve(const Schema& schema, const Item& item) {
  const std::vector<NestedField>* level = &schema.fields;
  const NestedField* field = nullptr;
  std::string so_far;
  for (const std::string& name : item.path) {
    if (field != nullptr && field->type->id() != TypeId::kStruct) {
      std::string kind = field->type->id() == TypeId::kList  ? "a list"
                         : field->type->id() == TypeId::kMap ? "a map"
                                                             : "a " + field->type->ToString();
      return InvalidArgument("partition field \"" + item.text + "\": column " + so_far + " is " +
                             kind + "; a partition source must be a column or a struct's field");
    }
    field = nullptr;
    for (const NestedField& candidate : *level) {
      if (candidate.name == name) field = &candidate;
    }
    so_far += (so_far.empty() ? "" : ".") + name;
    if (field == nullptr) {
      return InvalidArgument("partition field \"" + item.text + "\": the table has no column " +
                             so_far);
    }
    level = &field->type->fields();
  }
  return field;
}

}  // namespace

std::string DefaultPartitionFieldName(const Transform& transform, std::string_view source_name) {
  std::string name(source_name);
  switch (transform.kind) {
    case Kind::kIdentity:
      return name;
    case Kind::kBucket:
      return name + "_bucket";
    case Kind::kTruncate:
      return name + "_trunc";
    case Kind::kYear:
      return name + "_year";
    case Kind::kMonth:
      return name + "_month";
    case Kind::kDay:
      return name + "_day";
    case Kind::kHour:
      return name + "_hour";
    case Kind::kVoid:
      return name + "_null";
  }
  return name;
}

Result<PartitionSpec> ParsePartitionBy(std::string_view text, const Schema& schema) {
  CQLBULK_ASSIGN_OR_RETURN(std::vector<Item> items, Parser(text).Parse());
  PartitionSpec spec;
  for (const Item& item : items) {
    CQLBULK_ASSIGN_OR_RETURN(const NestedField* source, Resolve(schema, item));
    std::string column = JoinPath(item.path);
    if (!CanTransform(item.transform, *source->type)) {
      return InvalidArgument("partition field \"" + item.text + "\": " +
                             TransformToString(item.transform) + " cannot transform column " +
                             column + " of type " + source->type->ToString());
    }
    PartitionField field{source->id,
                         kFirstPartitionFieldId + static_cast<int32_t>(spec.fields.size()),
                         DefaultPartitionFieldName(item.transform, column), item.transform};
    for (const PartitionField& other : spec.fields) {
      // Java rejects a second field of one column with the same transform, or with a second
      // time transform (year, month, day, hour share the "dedup name" time).
      if (other.source_id == field.source_id &&
          (other.transform == field.transform ||
           (IsTimeTransform(other.transform) && IsTimeTransform(field.transform)))) {
        return InvalidArgument("partition field \"" + item.text + "\": column " + column +
                               " is already partitioned by " +
                               TransformToString(other.transform));
      }
      if (other.name == field.name) {
        return InvalidArgument("partition field \"" + item.text + "\": the name " + field.name +
                               " is taken by another partition field");
      }
    }
    // A partition field may not take another column's name (Java's builder rule).
    const NestedField* same_name = schema.FindField(std::string_view(field.name));
    if (same_name != nullptr && !(item.transform.kind == Kind::kIdentity &&
                                  same_name->id == source->id)) {
      return InvalidArgument("partition field \"" + item.text + "\": its name " + field.name +
                             " is a column of the table");
    }
    spec.fields.push_back(std::move(field));
  }
  return spec;
}

}  // namespace cqlbulk::iceberg
