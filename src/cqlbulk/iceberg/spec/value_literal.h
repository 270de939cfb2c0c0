// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/column.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

/// \brief The Iceberg value of a row of a column of a primitive type, as the Parquet data file
/// that MapToIceberg's forms write holds it: what partition transforms and column bounds take.
/// `type` is the column's Iceberg type. Integers widen; timestamps become microseconds; times
/// nanoseconds (long) or microseconds (time); inet, a decimal or a varint mapped to string
/// become their text; a decimal mapped to decimal(P, S) is rounded half even to S digits, a
/// varint to decimal(38, 0) kept. Null is Literal::Null(). kInvalidArgument when the column's
/// kind is not one MapToIceberg maps to `type` (nested kinds, durations) or the value does not
/// fit it (a decimal past P digits, a timestamp past ±292,277 years).
Result<Literal> LiteralOfValue(const data::Column& column, size_t row, const Type& type);

}  // namespace cqlbulk::iceberg
