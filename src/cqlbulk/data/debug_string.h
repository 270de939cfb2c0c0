// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>

#include "cqlbulk/data/batch.h"
#include "cqlbulk/data/column.h"

namespace cqlbulk::data {

/// \brief One cell as text, for tests, logs and error messages (not a file format): "null",
/// 42, 'text', 0x0a0b, 2024-02-29, 13:45:07.000000000, 2024-02-29T13:45:07.123Z,
/// 1mo2d3ns, 127.0.0.1, [1, 2], {1, 2} (set), {'k': 1} (map), {a: 1, b: null} (struct).
/// Decimals print as unscaled "E-" scale, big integers as a number when they fit in 64 bits.
std::string DebugString(const Column& column, size_t row);

/// \brief A row of a batch: "(1, 'a', null)".
std::string DebugString(const Batch& batch, size_t row);

}  // namespace cqlbulk::data
