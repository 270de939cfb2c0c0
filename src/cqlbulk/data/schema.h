// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/data/logical_type.h"

namespace cqlbulk::data {

/// \brief The fields of a batch, in column order. Field lives in logical_type.h because
/// struct, list, map and vector types hold fields too.
struct Schema {
  std::vector<Field> fields;

  size_t num_fields() const noexcept { return fields.size(); }
  /// The index of the first field with that name (exact, case-sensitive), or nullopt.
  std::optional<size_t> FieldIndex(std::string_view name) const;
  /// The first field with that name, or nullptr.
  const Field* FindField(std::string_view name) const;
  /// One field per line: "name: type [not null] [id=N]".
  std::string ToString() const;

  friend bool operator==(const Schema&, const Schema&) = default;
};

/// Schemas are immutable once a batch or builder holds them.
using SchemaPtr = std::shared_ptr<const Schema>;

}  // namespace cqlbulk::data
