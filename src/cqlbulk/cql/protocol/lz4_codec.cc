// SPDX-License-Identifier: Apache-2.0
// The only file that includes liblz4 (STYLE.md §1 rule 5).
#include <lz4.h>

#include <string>

#include "cqlbulk/cql/protocol/compression.h"

namespace cqlbulk::cql {

Result<Bytes> Lz4CompressBlock(BytesView input) {
  if (input.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
    return InvalidArgument("LZ4 input of " + std::to_string(input.size()) +
                           " bytes exceeds LZ4_MAX_INPUT_SIZE");
  }
  // An empty span may have a null data pointer; LZ4 still wants a valid source address.
  static const char kEmpty = 0;
  const char* src = input.empty() ? &kEmpty : reinterpret_cast<const char*>(input.data());
  const int src_size = static_cast<int>(input.size());
  const int bound = LZ4_compressBound(src_size);
  Bytes out(static_cast<size_t>(bound));
  const int written =
      LZ4_compress_default(src, reinterpret_cast<char*>(out.data()), src_size, bound);
  if (written <= 0) {
    return Internal("LZ4_compress_default failed on " + std::to_string(input.size()) + " bytes");
  }
  out.resize(static_cast<size_t>(written));
  return out;
}

Result<Bytes> Lz4DecompressBlock(BytesView input, size_t uncompressed_bytes) {
  if (input.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE) ||
      uncompressed_bytes > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
    return ProtocolError("LZ4 block too large: " + std::to_string(input.size()) + " -> " +
                         std::to_string(uncompressed_bytes) + " bytes");
  }
  Bytes out(uncompressed_bytes);
  // LZ4_decompress_safe never writes past the destination nor reads past the source.
  const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(input.data()),
                                    reinterpret_cast<char*>(out.data()),
                                    static_cast<int>(input.size()),
                                    static_cast<int>(uncompressed_bytes));
  if (n < 0) {
    return ProtocolError("corrupt LZ4 block of " + std::to_string(input.size()) + " bytes");
  }
  if (static_cast<size_t>(n) != uncompressed_bytes) {
    return ProtocolError("LZ4 block expands to " + std::to_string(n) + " bytes, expected " +
                         std::to_string(uncompressed_bytes));
  }
  return out;
}

}  // namespace cqlbulk::cql
