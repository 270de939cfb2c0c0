// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

// The spec's "Partition Transforms": which source types each accepts, its result type, and its
// value for a source value. Values are Literals of the source type in, of the result type out.

/// \brief Whether `transform` applies to a column of type `source`: identity and void to any
/// primitive type; bucket to all but boolean, float and double; truncate to int, long, decimal,
/// string and binary; year, month and day to date, timestamp and timestamptz; hour to timestamp
/// and timestamptz.
bool CanTransform(const Transform& transform, const Type& source);

/// \brief The type of the transform's values: the source type for identity, truncate and void;
/// int for bucket, year, month and hour; date for day (as Java and PyIceberg have it).
/// kInvalidArgument when the transform does not apply to the type.
Result<TypePtr> TransformResultType(const Transform& transform, const Type& source);

/// \brief MurmurHash3 x86 32-bit with seed 0 of `data`.
int32_t Murmur3X86_32(std::string_view data) noexcept;

/// \brief The hash of appendix B ("32-bit Hash Requirements") of a non-null value: ints and
/// dates hashed as longs, longs, times and timestamps as 8 little-endian bytes, strings as
/// UTF-8, uuids as their 16 bytes, decimals as their minimal unscaled bytes, fixed and binary
/// as themselves. kInvalidArgument for other types or a value not of the type.
Result<int32_t> BucketHash(const Type& source, const Literal& value);

/// \brief The transform's value of `value`, a value of `source` (null gives null, and void
/// gives null for anything). Years, months, days and hours count from 1970-01-01T00:00 and are
/// negative before it; truncate[W] floors numbers to a multiple of W and cuts strings to W code
/// points and binary to W bytes. kInvalidArgument when the transform does not apply to the
/// type or the value is not of it.
Result<Literal> ApplyTransform(const Transform& transform, const Type& source,
                               const Literal& value);

/// \brief The struct type of a spec's partition tuples, as manifests declare it: one optional
/// field per partition field (as Java's partitionType() has it; PyIceberg makes a field
/// required when its source column is), with its field id, name and result type. kInvalidArgument when a
/// source column is not in `schema` or its transform does not apply to it.
Result<TypePtr> PartitionType(const PartitionSpec& spec, const Schema& schema);

}  // namespace cqlbulk::iceberg
