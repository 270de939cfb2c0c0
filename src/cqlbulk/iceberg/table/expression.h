// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/iceberg/metadata/manifest.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

/// \brief A literal of a filter as written: 'quoted text', a number, or true/false.
struct FilterValue {
  enum class Kind : uint8_t { kText, kNumber, kBoolean };
  Kind kind = Kind::kText;
  std::string text;   ///< the text without quotes, the number's digits, "true" or "false"
  size_t position = 0;  ///< 0-based offset in the filter text
};

/// \brief A row filter (`--filter`): predicates on columns joined by AND, OR and NOT.
///
/// Parsed, it names its columns; bound to a Schema (BindFilter), each predicate has the field
/// id and type of its column and its literals are values of that type, and NOT has been pushed
/// down to the predicates (NOT (a < 1) is a >= 1). Projected on a partition spec
/// (ProjectInclusive), its predicates are on partition fields (`index` is the field's place in
/// the partition tuple).
///
/// Semantics are PyIceberg's scan (the referee): a comparison (!= too) or IN with a null value
/// is false, as in SQL; NOT IN matches nulls, as Iceberg's evaluators (Java's and PyIceberg's)
/// have it; any comparison with NaN but != is false, as IEEE 754 has it.
struct Expression {
  enum class Op : uint8_t {
    kTrue,
    kFalse,
    kAnd,
    kOr,
    kNot,
    kIsNull,
    kNotNull,
    kEq,
    kNotEq,
    kLt,
    kLtEq,
    kGt,
    kGtEq,
    kIn,
    kNotIn,
  };
  Op op = Op::kTrue;
  std::vector<Expression> children;  ///< AND, OR: two or more; NOT: one

  // Predicates.
  std::string column;       ///< the column's name (a partition field's, once projected)
  size_t position = 0;      ///< 0-based offset of the column in the filter text
  std::vector<FilterValue> raw;  ///< the literals as written (parsed)
  int32_t field_id = -1;    ///< bound: the field's id (projected: the partition field's)
  int32_t index = -1;       ///< projected: the partition field's place in the tuple
  TypePtr type;             ///< bound: the field's type (projected: the transform's result)
  std::vector<Literal> values;  ///< bound: the literals as values of `type`

  bool is_predicate() const noexcept { return op >= Op::kIsNull; }
  /// The expression as text, columns quoted when they need it ("a >= 3 AND b IS NULL").
  std::string ToString() const;
};

/// \brief Parses the `--filter` language: `col op literal` (=, !=, <>, <, <=, >, >=),
/// `col IS [NOT] NULL`, `col [NOT] IN (lit, ...)`, AND, OR, NOT, parentheses; literals 'text'
/// ('' for a quote), numbers, true/false; column names as in CQL (unquoted ones lower-cased,
/// "Quoted" ones kept as written). Keywords are case-insensitive. kInvalidArgument naming the
/// filter text and the 1-based position of what is wrong.
Result<Expression> ParseFilter(std::string_view text);

/// \brief Binds a parsed filter to `schema`: each column becomes its top-level primitive field
/// (by name), each literal a value of the field's type ('2024-03-01' for a date,
/// '2024-03-01T10:00:00[.ffffff][Z|+hh:mm]' for timestamps, 'hh:mm:ss[.ffffff]' for a time, a
/// uuid's text, numbers for numeric types, a decimal with at most its scale's digits); NOT is
/// pushed down. kInvalidArgument naming the filter text (`text`), the position and the column.
Result<Expression> BindFilter(const Expression& parsed, const Schema& schema,
                              std::string_view text);

/// \brief ParseFilter then BindFilter.
Result<Expression> ParseAndBindFilter(std::string_view text, const Schema& schema);

/// \brief The inclusive projection of a bound filter through `spec`'s transforms: an
/// expression on partition tuples that is true for the partition of every row the filter
/// matches (it may match more). A predicate on a column the spec does not partition by
/// becomes true; one the transform cannot keep (a range through a bucket) too.
Result<Expression> ProjectInclusive(const Expression& bound, const PartitionSpec& spec,
                                    const Schema& schema);

/// \brief Evaluates a projected expression on a data file's partition tuple.
Result<bool> EvaluatePartition(const Expression& projected, const std::vector<Literal>& tuple);

/// \brief Whether a manifest whose partition field summaries are `summaries` may hold a file
/// the projected expression matches (false only when none can).
Result<bool> ManifestMayMatch(const Expression& projected,
                              const std::vector<PartitionFieldSummary>& summaries);

/// \brief Whether a data file may hold a row the bound filter matches, from its metrics (value
/// and null counts, lower and upper bounds): false only when none can.
Result<bool> MetricsMayMatch(const Expression& bound, const DataFile& file);

/// \brief The rows of `batch` the bound filter matches (1 or 0 per row). The batch's fields are
/// found by field id (top-level; a field the batch lacks is null in every row): `field_ids[i]`
/// is column i's (empty: the batch schema's own ids). Values are read as DataSchemaFromIceberg's
/// logical types hold them (value_literal.h's LiteralOfValue).
Result<std::vector<uint8_t>> EvaluateRows(const Expression& bound, const data::Batch& batch,
                                          std::span<const int32_t> field_ids = {});

/// \brief A timestamp's text as the filter takes it ('2024-03-01', '2024-03-01T10:00:00[.ffffff]'
/// with 'T' or a space, then Z, +hh:mm or -hh:mm or nothing for UTC): microseconds since the
/// epoch; nullopt when it is not one.
std::optional<int64_t> ParseTimestampMicros(std::string_view text);

}  // namespace cqlbulk::iceberg
