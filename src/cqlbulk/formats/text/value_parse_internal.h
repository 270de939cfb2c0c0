// SPDX-License-Identifier: Apache-2.0
// Number parsers of value_parse.cc that have a fast path, with their general forms, for the
// tests that compare the two.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/data/logical_type.h"

namespace cqlbulk::formats::internal {

/// Room reused from value to value by the big-number parsers.
struct BigScratch {
  std::string digits;
  std::vector<uint32_t> limbs;
  Bytes bytes;  ///< the result: minimal two's-complement big-endian bytes
};

/// A decimal's text (Java BigDecimal's form) into `scratch.bytes` (the unscaled value) and
/// `scale_out`; nullptr, or the reason it is not a decimal of `type`. Values of 18 digits or
/// fewer without an exponent take a fast path.
const char* ParseDecimal(std::string_view s, const data::LogicalType& type, BigScratch& scratch,
                         int32_t& scale_out);
/// ParseDecimal without the fast path.
const char* ParseDecimalGeneral(std::string_view s, const data::LogicalType& type,
                                BigScratch& scratch, int32_t& scale_out);

}  // namespace cqlbulk::formats::internal
