// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

/// \brief The name Java's PartitionSpec.Builder (and so Spark's and Trino's DDL) gives a
/// partition field: the source column's name for identity, else the name and a suffix:
/// "_bucket", "_trunc", "_year", "_month", "_day", "_hour", "_null". (PyIceberg's spec
/// evolution adds the parameter: "_bucket_16", "_trunc_4".)
std::string DefaultPartitionFieldName(const Transform& transform, std::string_view source_name);

/// \brief Parses the `--partition-by` text against a table's schema: a comma-separated list of
/// a column, or `identity(c)`, `year(c)`, `month(c)`, `day(c)`, `hour(c)`, `bucket(N, c)`,
/// `truncate(W, c)`, `void(c)`; a column is a name (or "a quoted name") or a dotted path
/// through structs. Gives spec 0 with field ids from 1000 and DefaultPartitionFieldName names;
/// "" gives the unpartitioned spec. kInvalidArgument names the text and the column: an unknown
/// column, one in a list or a map, a transform that does not apply to its type, a bad N or W,
/// the same transform of a column twice, a name that is another column's.
Result<PartitionSpec> ParsePartitionBy(std::string_view text, const Schema& schema);

}  // namespace cqlbulk::iceberg
