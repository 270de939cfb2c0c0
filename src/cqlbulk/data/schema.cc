// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/schema.h"

namespace cqlbulk::data {

std::optional<size_t> Schema::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) {
      return i;
    }
  }
  return std::nullopt;
}

const Field* Schema::FindField(std::string_view name) const {
  std::optional<size_t> index = FieldIndex(name);
  return index ? &fields[*index] : nullptr;
}

std::string Schema::ToString() const {
  std::string out;
  for (const Field& field : fields) {
    out += field.ToString() + "\n";
  }
  return out;
}

}  // namespace cqlbulk::data
