// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/column_kind.h"

#include <string>

namespace cqlbulk::cql {

std::string_view ColumnKindName(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kPartitionKey:
      return "partition_key";
    case ColumnKind::kClustering:
      return "clustering";
    case ColumnKind::kRegular:
      return "regular";
    case ColumnKind::kStatic:
      return "static";
  }
  return "regular";
}

Result<ColumnKind> ParseColumnKind(std::string_view name) {
  for (ColumnKind kind : {ColumnKind::kPartitionKey, ColumnKind::kClustering,
                          ColumnKind::kRegular, ColumnKind::kStatic}) {
    if (ColumnKindName(kind) == name) return kind;
  }
  return ProtocolError("unknown column kind '" + std::string(name) + "'");
}

}  // namespace cqlbulk::cql
