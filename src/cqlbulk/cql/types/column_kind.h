// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

#include "cqlbulk/core/result.h"

namespace cqlbulk::cql {

/// \brief The role of a column in its table: system_schema.columns `kind`.
enum class ColumnKind : uint8_t { kPartitionKey, kClustering, kRegular, kStatic };

/// "partition_key", "clustering", "regular" or "static", as system_schema.columns spells it.
std::string_view ColumnKindName(ColumnKind kind);
/// The inverse of ColumnKindName; kProtocol for any other text.
Result<ColumnKind> ParseColumnKind(std::string_view name);

}  // namespace cqlbulk::cql
