// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/cql_identifier.h"

#include <algorithm>
#include <iterator>

namespace cqlbulk {
namespace {

// Cassandra's CQL reference, Appendix A (reserved), plus the consistency levels and other
// words older versions reserved, and the literal words. Sorted for binary search.
constexpr std::string_view kReservedWords[] = {
    "add",          "allow",     "alter",        "and",          "any",       "apply",
    "asc",          "authorize", "batch",        "begin",        "by",        "columnfamily",
    "create",       "default",   "delete",       "desc",         "describe",  "drop",
    "each_quorum",  "entries",   "execute",      "false",        "for",       "from",
    "full",         "grant",     "if",           "in",           "index",     "inet",
    "infinity",     "insert",    "into",         "is",           "keyspace",  "keyspaces",
    "limit",        "local_one", "local_quorum", "local_serial", "materialized", "mbean",
    "mbeans",       "modify",    "nan",          "norecursive",  "not",       "null",
    "of",           "on",        "one",          "or",           "order",     "password",
    "primary",      "quorum",    "rename",       "replace",      "revoke",    "schema",
    "select",       "serial",    "set",          "table",        "three",     "to",
    "token",        "true",      "truncate",     "two",          "unlogged",  "unset",
    "update",       "use",       "using",        "view",         "where",     "with",
};
static_assert(std::is_sorted(std::begin(kReservedWords), std::end(kReservedWords)));

bool IsBare(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return !IsReservedCqlWord(name);
}

}  // namespace

bool IsReservedCqlWord(std::string_view word) {
  return std::binary_search(std::begin(kReservedWords), std::end(kReservedWords), word);
}

std::string QuoteCqlIdentifier(std::string_view name) {
  if (IsBare(name)) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

}  // namespace cqlbulk
