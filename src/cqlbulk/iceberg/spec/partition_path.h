// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

// The human-readable forms of partition values that data file paths carry
// ("order_date_day=2024-03-01/customer_id_bucket=7"), as PyIceberg writes them.

/// \brief The human-readable form of `value`, a value of `transform` applied to a column of
/// type `source`: "null" for null; "2024" (year), "2024-03" (month), "2024-03-01" (day),
/// "2024-03-01-10" (hour); for identity and truncate values: decimal text of numbers (decimals
/// as Python's str of a Decimal), "true"/"false", ISO dates, times and timestamps (timestamptz
/// with "+00:00"), the text of strings, lower-case uuids, base64 of binary and fixed.
/// kInvalidArgument when the transform does not apply or the value is not of its result type.
Result<std::string> PartitionValueToHumanString(const Transform& transform, const Type& source,
                                                const Literal& value);

/// \brief `text` escaped for a path segment as PyIceberg's quote_plus(safe="") does: letters,
/// digits and "_.-~" stay, a space becomes '+', any other byte becomes %XX. (Java's URLEncoder
/// differs only in '*', which it keeps, and '~', which it escapes.)
std::string EscapePathSegment(std::string_view text);

/// \brief "name=value/name=value" for a partition tuple (one value per field of `spec`, in
/// order), names and values escaped. kInvalidArgument when the spec's source columns are not in
/// `schema` or the count or a value does not fit.
Result<std::string> PartitionPath(const PartitionSpec& spec, const Schema& schema,
                                  std::span<const Literal> values);

}  // namespace cqlbulk::iceberg
