// SPDX-License-Identifier: Apache-2.0
// The only file that includes libsnappy (STYLE.md §1 rule 5). The C API reports errors as
// status codes, so nothing here can throw.
#include <snappy-c.h>

#include <string>

#include "cqlbulk/cql/protocol/compression.h"

namespace cqlbulk::cql {

Result<Bytes> SnappyCompress(BytesView input) {
  Bytes out(snappy_max_compressed_length(input.size()));
  size_t out_len = out.size();
  snappy_status s = snappy_compress(reinterpret_cast<const char*>(input.data()), input.size(),
                                    reinterpret_cast<char*>(out.data()), &out_len);
  if (s != SNAPPY_OK) {
    return Internal("snappy_compress failed with status " + std::to_string(static_cast<int>(s)));
  }
  out.resize(out_len);
  return out;
}

Result<Bytes> SnappyDecompress(BytesView input, size_t max_uncompressed_bytes) {
  const char* src = reinterpret_cast<const char*>(input.data());
  size_t length = 0;
  if (snappy_uncompressed_length(src, input.size(), &length) != SNAPPY_OK) {
    return ProtocolError("corrupt Snappy body: bad length prefix");
  }
  if (length > max_uncompressed_bytes) {
    return ProtocolError("Snappy body expands to " + std::to_string(length) +
                         " bytes, over the limit of " + std::to_string(max_uncompressed_bytes));
  }
  // Validation walks the whole input without writing, so a corrupt body never reaches
  // snappy_uncompress.
  if (snappy_validate_compressed_buffer(src, input.size()) != SNAPPY_OK) {
    return ProtocolError("corrupt Snappy body of " + std::to_string(input.size()) + " bytes");
  }
  Bytes out(length);
  size_t out_len = out.size();
  if (snappy_uncompress(src, input.size(), reinterpret_cast<char*>(out.data()), &out_len) !=
          SNAPPY_OK ||
      out_len != length) {
    return ProtocolError("corrupt Snappy body of " + std::to_string(input.size()) + " bytes");
  }
  return out;
}

}  // namespace cqlbulk::cql
