// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to ParseFileMetaData (first byte even) or ParsePageHeader (odd): nothing
// may crash, over-read, hang or allocate beyond the input's means, and whatever parses must
// serialize and parse back to an equal value (logical types cqlbulk does not model are written
// as none, so they are cleared first).
#include <cstdlib>

#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/parquet/format/metadata.h"

namespace {

using namespace cqlbulk;
using namespace cqlbulk::formats::parquet;

void CheckFooter(BytesView bytes) {
  Result<FileMetaData> metadata = ParseFileMetaData(bytes);
  if (!metadata.has_value()) {
    if (metadata.error().code() != ErrorCode::kCorrupt) std::abort();
    return;
  }
  for (SchemaElement& element : metadata->schema) {
    if (element.logical_type.kind == LogicalTypeAnnotation::Kind::kUnrecognized) {
      element.logical_type = {};
    }
  }
  data::Buffer again;
  Serialize(*metadata, again);
  Result<FileMetaData> reparsed = ParseFileMetaData(again.view());
  if (!reparsed.has_value() || !(*reparsed == *metadata)) std::abort();
}

void CheckPageHeader(BytesView bytes) {
  size_t header_size = 0;
  Result<PageHeader> header = ParsePageHeader(bytes, &header_size);
  if (!header.has_value()) {
    if (header.error().code() != ErrorCode::kCorrupt) std::abort();
    return;
  }
  if (header_size == 0 || header_size > bytes.size()) std::abort();
  data::Buffer again;
  Serialize(*header, again);
  size_t again_size = 0;
  Result<PageHeader> reparsed = ParsePageHeader(again.view(), &again_size);
  if (!reparsed.has_value() || !(*reparsed == *header) || again_size != again.size()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  BytesView bytes(data + 1, size - 1);
  if (data[0] & 1) {
    CheckPageHeader(bytes);
  } else {
    CheckFooter(bytes);
  }
  return 0;
}
