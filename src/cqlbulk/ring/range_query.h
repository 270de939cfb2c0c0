// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/ring/token_range.h"

namespace cqlbulk::ring {

/// \brief A query over one token range of a table.
struct RangeQuery {
  std::string keyspace = {};
  std::string table = {};
  std::vector<std::string> partition_key = {};  ///< column names, in key order
  std::vector<std::string> columns = {};        ///< what to select; empty selects `*`
  bool count = false;                           ///< `SELECT count(*)` instead of the columns
  bool always_quote = false;                    ///< quote every identifier, needed or not
};

/// \brief The query text with bind markers for the two bounds:
/// `SELECT a, b FROM ks.t WHERE token(k1, k2) > ? AND token(k1, k2) <= ?`.
///
/// Bind the range start, then its end; the range must not wrap (see BasicTokenRange::Unwrap).
/// A start of Min is fine: no key has that token, so `> Min` loses nothing. kInvalidArgument
/// when the keyspace, table or partition key is empty or a name is empty.
Result<std::string> BuildRangeQuery(const RangeQuery& query);

/// \brief As above with the bounds written as literals:
/// `... WHERE token(k) > -3074457345618258603 AND token(k) <= 3074457345618258602`.
///
/// kInvalidArgument also when `range` wraps.
Result<std::string> BuildRangeQuery(const RangeQuery& query, const TokenRange& range);
Result<std::string> BuildRangeQuery(const RangeQuery& query, const BigTokenRange& range);

}  // namespace cqlbulk::ring
