// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/cql/types/value.h"

namespace cqlbulk::cql {

/// \brief Decodes the bytes of one non-null value of `type` (native protocol v5 §6 / v4 §6;
/// collections in the v3+ format: [int] counts and [bytes] elements).
///
/// Zero bytes decode to the empty string or blob for text, ascii and blob; to Value::Empty()
/// for the types where Cassandra accepts an empty value (int, bigint, counter, boolean,
/// float, double, uuid, timeuuid, timestamp, inet, varint, decimal, tuple, UDT, vector); and
/// fail for the others (tinyint, smallint, date, time, duration, list, set, map), as Cassandra
/// refuses them. A tuple or UDT may carry fewer fields than declared (the rest read as null,
/// and are not re-encoded). Custom types decode to a blob.
///
/// Fails with kProtocol on malformed bytes: a wrong fixed length, truncation, a negative or
/// impossible element count, null collection or vector elements, trailing bytes, invalid
/// UTF-8 in text (see text_internal.h for what Cassandra tolerates) or non-ASCII in ascii, a
/// timeuuid that is not version 1, a decimal shorter than 5 bytes, an invalid duration, or
/// values nested deeper than kMaxValueDepth. Never allocates more than the input justifies.
Result<Value> DecodeValue(const DataType& type, BytesView bytes);

/// Decodes a [bytes] cell where nullopt (length -1) is the null value.
Result<Value> DecodeNullableValue(const DataType& type, std::optional<BytesView> bytes);

/// \brief Appends the bytes of `value` as a `type` value, without a length prefix.
///
/// Accepts the value kinds that mean the type: any integer kind for an integer type
/// (range-checked), text or ascii for either (validated), uuid or timeuuid for either (a
/// timeuuid must be version 1), a blob for a custom type, Empty where DecodeValue accepts it.
/// Fails with kInvalidArgument when the value is null, does not fit the type (wrong kind, out
/// of range, invalid text, null in a collection, wrong vector size, more tuple/UDT fields than
/// declared, mixed-sign duration) or nests deeper than kMaxValueDepth. On failure `out` may
/// hold part of the value: discard it.
Status EncodeValue(const DataType& type, const Value& value, ByteWriter& out);

/// Appends `value` as [bytes]: an [int] length then the bytes; null as length -1.
Status EncodeValueAsBytes(const DataType& type, const Value& value, ByteWriter& out);

/// The bytes EncodeValue would append.
Result<Bytes> EncodeValueToBytes(const DataType& type, const Value& value);

/// Values nest at most this deep (a list of lists counts 2).
inline constexpr int kMaxValueDepth = 100;

}  // namespace cqlbulk::cql
