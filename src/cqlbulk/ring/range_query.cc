// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/range_query.h"

#include <algorithm>
#include <iterator>

#include "cqlbulk/core/cql_identifier.h"
#include "cqlbulk/core/macros.h"

namespace cqlbulk::ring {
namespace {

std::string Quote(std::string_view name, bool always) {
  std::string quoted = QuoteCqlIdentifier(name);
  if (always && quoted.front() != '"') return "\"" + quoted + "\"";
  return quoted;
}

Status Validate(const RangeQuery& query) {
  if (query.keyspace.empty() || query.table.empty()) {
    return InvalidArgument("a range query needs a keyspace and a table");
  }
  if (query.partition_key.empty()) {
    return InvalidArgument("a range query on " + query.keyspace + "." + query.table +
                           " needs the partition key columns");
  }
  auto has_empty = [](const std::vector<std::string>& names) {
    return std::any_of(names.begin(), names.end(), [](const auto& n) { return n.empty(); });
  };
  if (has_empty(query.partition_key) || has_empty(query.columns)) {
    return InvalidArgument("empty column name in a range query on " + query.keyspace + "." +
                           query.table);
  }
  return OkStatus();
}

std::string Build(const RangeQuery& query, std::string_view lower, std::string_view upper) {
  const bool always = query.always_quote;
  std::string text = "SELECT ";
  if (query.count) {
    text += "count(*)";
  } else if (query.columns.empty()) {
    text += "*";
  } else {
    for (size_t i = 0; i < query.columns.size(); ++i) {
      text += (i == 0 ? "" : ", ") + Quote(query.columns[i], always);
    }
  }
  text += " FROM " + Quote(query.keyspace, always) + "." + Quote(query.table, always);
  std::string token = "token(";
  for (size_t i = 0; i < query.partition_key.size(); ++i) {
    token += (i == 0 ? "" : ", ") + Quote(query.partition_key[i], always);
  }
  token += ")";
  text += " WHERE " + token + " > ";
  text += lower;
  text += " AND " + token + " <= ";
  text += upper;
  return text;
}

template <typename T>
Result<std::string> BuildLiteral(const RangeQuery& query, const BasicTokenRange<T>& range) {
  CQLBULK_RETURN_IF_ERROR(Validate(query));
  if (range.is_wrapping()) {
    return InvalidArgument("token range " + range.ToString() +
                           " wraps around the ring; unwrap it before querying");
  }
  return Build(query, range.start().ToString(), range.end().ToString());
}

}  // namespace


Result<std::string> BuildRangeQuery(const RangeQuery& query) {
  CQLBULK_RETURN_IF_ERROR(Validate(query));
  return Build(query, "?", "?");
}

Result<std::string> BuildRangeQuery(const RangeQuery& query, const TokenRange& range) {
  return BuildLiteral(query, range);
}

Result<std::string> BuildRangeQuery(const RangeQuery& query, const BigTokenRange& range) {
  return BuildLiteral(query, range);
}

}  // namespace cqlbulk::ring
