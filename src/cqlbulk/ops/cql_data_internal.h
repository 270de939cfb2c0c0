// SPDX-License-Identifier: Apache-2.0
// What the three files of ops/cql_data.h share: cql_data.cc (types), row_decoder.cc (ROWS to
// batches) and cell_encoder.cc (batch cells to CQL values).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/cql/types/utf8.h"

namespace cqlbulk::ops::internal {

/// Whether `type` has exactly `n` parameters, none null (a complete descriptor).
inline bool HasParams(const cql::DataType& type, size_t n) {
  if (type.params.size() != n) {
    return false;
  }
  for (const auto& param : type.params) {
    if (param == nullptr) {
      return false;
    }
  }
  return true;
}

inline bool IsAscii(const uint8_t* p, size_t n) {
  return cql::IsAscii(std::string_view(reinterpret_cast<const char*>(p), n));
}

/// UTF-8 as Cassandra's UTF8Type validates it (cql/types/utf8.h).
inline bool IsValidUtf8(const uint8_t* p, size_t n) {
  return cql::IsValidUtf8(std::string_view(reinterpret_cast<const char*>(p), n));
}

}  // namespace cqlbulk::ops::internal
