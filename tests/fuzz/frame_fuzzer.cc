// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to both directions' decoders: the v4 frame path (with LZ4 and Snappy
// bodies), the v5 segment path (plain and LZ4), and the message decoders behind them,
// including the rows cursor. The first byte picks the mode; nothing may crash or over-read.
#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/frame_reader.h"
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/protocol/rows.h"

namespace {

using namespace cqlbulk;

void WalkRows(const cql::ResponseFrame& frame) {
  auto* result = std::get_if<cql::ResultResponse>(&frame.response);
  if (result == nullptr) return;
  auto* rows = std::get_if<cql::RowsResult>(&result->result);
  if (rows == nullptr) return;
  cql::RowsCursor cursor = rows->cursor();
  // A zero-column result may claim 2^31 rows that take no bytes: walking them all is correct
  // (linear, nothing allocated) but would spend the fuzzer's time on one input.
  for (int walked = 0; walked < (1 << 16); ++walked) {
    auto more = cursor.Next();
    if (!more || !*more) return;
    for (size_t i = 0; i < cursor.num_columns(); ++i) (void)cursor.cell(i);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t mode = data[0];
  BytesView input(data + 1, size - 1);
  cql::FrameReader reader(1 << 20);
  if (mode & 1) {
    reader.StartSegments((mode & 2) ? cql::SegmentFormat::kLz4 : cql::SegmentFormat::kUncompressed);
  }
  // Feed in two pieces to exercise reassembly across reads.
  size_t split = input.size() / 3;
  reader.Feed(input.subspan(0, split));
  reader.Feed(input.subspan(split));
  for (int n = 0; n < 64; ++n) {
    auto frame = reader.Next();
    if (!frame || !*frame) break;
    cql::Frame f = std::move(**frame);
    if (f.header.has_flag(cql::kFlagCompression)) {
      auto compression = (mode & 4) ? cql::Compression::kSnappy : cql::Compression::kLz4;
      auto plain = cql::DecompressFrame(std::move(f), compression, 1 << 20);
      if (!plain) continue;
      f = std::move(*plain);
    }
    if (f.header.is_response) {
      auto response = cql::DecodeResponseFrame(f.view());
      if (response) WalkRows(*response);
    } else {
      (void)cql::DecodeRequestFrame(f.view());
    }
  }
  return 0;
}
