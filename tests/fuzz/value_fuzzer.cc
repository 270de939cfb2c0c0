// SPDX-License-Identifier: Apache-2.0
// A type descriptor followed by a value: decode the value with that type, and what decodes
// must encode back to the same bytes' meaning (decode(encode(v)) == v).
#include <cstdlib>

#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/cql/types/value_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cqlbulk;
  ByteReader in({data, size}, ErrorCode::kProtocol);
  auto type = cql::ReadOption(in);
  if (!type) return 0;
  auto value = cql::DecodeValue(**type, in.rest());
  if (!value) return 0;
  auto bytes = cql::EncodeValueToBytes(**type, *value);
  if (!bytes) return 0;  // e.g. a value only the wire form can hold
  auto again = cql::DecodeValue(**type, *bytes);
  if (!again || !(*again == *value)) std::abort();
  return 0;
}
