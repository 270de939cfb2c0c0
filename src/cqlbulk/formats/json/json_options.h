// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqlbulk/formats/text/text_options.h"

namespace cqlbulk::formats {

/// \brief Options of JSON-lines files (JsonWriter, JsonReader).
struct JsonOptions {
  /// How values are written as text (text.null_string is not used: JSON writes null).
  TextOptions text{};
};

}  // namespace cqlbulk::formats
