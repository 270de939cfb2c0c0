// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to the [option] type-descriptor decoder, and checks that what it
// accepts re-encodes to bytes that decode to the same type.
#include <cstdlib>

#include "cqlbulk/cql/types/data_type.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cqlbulk;
  ByteReader in({data, size}, ErrorCode::kProtocol);
  auto type = cql::ReadOption(in);
  if (!type) return 0;
  ByteWriter out;
  cql::WriteOption(out, **type, 5);
  ByteReader again(out.view(), ErrorCode::kProtocol);
  auto back = cql::ReadOption(again);
  if (!back || !(**back == **type)) std::abort();
  return 0;
}
