// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/cql/types/value.h"

namespace cqlbulk::cql {

/// \brief Parses a CQL literal (a term of an INSERT ... VALUES) as a value of `type`.
///
/// Accepts what Cassandra accepts for each type: integers (range-checked: "Unable to make
/// int from ..."), floats with exponents and NaN / Infinity / -Infinity, 'quoted strings'
/// with '' escapes and $$dollar strings$$, true/false, 0x blobs, unquoted UUIDs, durations
/// (1h30m, P1DT2H, P0001-02-03T04:05:06), strings for date / time / timestamp / inet (also
/// digits: raw days, nanoseconds, milliseconds), integers for date, time and timestamp,
/// [lists], {sets}, {k: v} maps, (tuples), {field: value} UDTs (missing fields are null),
/// [vectors], null, and the functions blobAs<type>(0x..) and <type>AsBlob(literal).
///
/// The result is normalised as Cassandra stores it (see NormalizeCollections): sets sorted
/// and deduplicated, maps sorted by key. Keywords, units and function names are
/// case-insensitive. Fails with kInvalidArgument naming the offset and the problem (syntax,
/// a value out of its type's range, a date year past 9999 without a '+', an invalid
/// blobAs<type> payload). Rules Cassandra applies elsewhere, such as "Key may not be empty"
/// for partition keys, are the caller's. Not supported: non-deterministic functions (now(),
/// uuid(), currentTimestamp()), host names for inet, bind markers.
Result<Value> ParseCqlLiteral(const DataType& type, std::string_view text);

/// \brief A CQL literal that Cassandra parses back to `value` with the same bytes.
///
/// Timestamps as '2021-03-31T12:34:56.789Z' (integers outside years 1..9999), dates as
/// '2021-03-31' (raw integers past year 9999), times as '12:34:56.789000000', durations in
/// Cassandra's "1y2mo3d4h" form, decimals as BigDecimal.toString() ("1E+10"), floats in the
/// shortest form that round-trips ("0.1", "1.0", "1e+10", "-0.0", "NaN"). Values that have
/// no literal of their own use blobAs<type>(0x..): empty values, booleans stored as a byte
/// other than 0/1, NaNs other than the canonical one, IPv4-mapped 16-byte inets, times outside
/// a day. Known gaps: an empty tuple/UDT/vector value prints as null, and a duration whose
/// nanoseconds are -2^63 prints a literal Cassandra rejects. The bytes can differ only where
/// the value came from a peer in a non-canonical form: non-minimal varint, decimal or duration
/// encodings come back minimal, and a UDT with missing trailing fields comes back with them
/// null. A value whose kind does not match `type` is printed by its own kind.
std::string FormatCqlLiteral(const DataType& type, const Value& value);

}  // namespace cqlbulk::cql
