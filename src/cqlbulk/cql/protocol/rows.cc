// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/rows.h"

#include <algorithm>
#include <limits>
#include <string>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {

RowsCursor::RowsCursor(BytesView rows_content, int32_t rows_count, int32_t columns_count)
    : data_(rows_content), rows_count_(rows_count < 0 ? 0 : rows_count) {
  // Every cell takes at least its 4-byte length, so a row wider than the content is
  // malformed: refuse it here instead of reserving a huge cell table.
  const bool impossible =
      columns_count < 0 ||
      (rows_count_ > 0 && static_cast<size_t>(columns_count) > data_.size() / 4);
  if (impossible || rows_count < 0) {
    failed_ = true;
    return;
  }
  num_columns_ = static_cast<size_t>(columns_count);
  // No rows, no cells to hold: a result may claim any width then (the fuzzer's 2^31 columns).
  if (rows_count_ > 0) cells_.resize(num_columns_);
}

Result<bool> RowsCursor::Next() {
  if (failed_) {
    return ProtocolError("rows cursor: malformed rows content (row " + std::to_string(row_ + 1) +
                         " of " + std::to_string(rows_count_) + ")");
  }
  if (row_ + 1 >= rows_count_) {
    row_ = rows_count_;
    return false;
  }
  const uint8_t* base = data_.data();
  const size_t size = data_.size();
  size_t pos = pos_;
  for (Cell& c : cells_) {
    if (size - pos < 4) [[unlikely]] {
      failed_ = true;
      return ProtocolError("rows cursor: row " + std::to_string(row_ + 1) +
                           " truncated at content offset " + std::to_string(pos));
    }
    const auto length = static_cast<int32_t>(LoadBE32(base + pos));
    pos += 4;
    if (length >= 0) {
      if (static_cast<size_t>(length) > size - pos) [[unlikely]] {
        failed_ = true;
        return ProtocolError("rows cursor: cell of " + std::to_string(length) +
                             " bytes runs past the content at offset " + std::to_string(pos));
      }
      c.data = base + pos;
      pos += static_cast<size_t>(length);
    } else {
      c.data = nullptr;
    }
    c.length = length;
  }
  pos_ = pos;
  ++row_;
  return true;
}

Result<RowsResult> ReadRowsResult(ProtocolReader& in, int protocol_version) {
  RowsResult r;
  CQLBULK_ASSIGN_OR_RETURN(r.metadata, ReadRowsMetadata(in, protocol_version));
  CQLBULK_ASSIGN_OR_RETURN(r.rows_count, in.ReadI32());
  if (r.rows_count < 0) {
    return in.Malformed("negative rows_count " + std::to_string(r.rows_count));
  }
  // Each cell takes at least 4 bytes: reject counts the content cannot hold.
  const uint64_t row_min_bytes = uint64_t{static_cast<uint32_t>(r.metadata.columns_count)} * 4;
  if (r.rows_count > 0 && row_min_bytes > 0 &&
      static_cast<uint64_t>(r.rows_count) > in.remaining() / row_min_bytes) {
    return in.Malformed(std::to_string(r.rows_count) + " rows of " +
                        std::to_string(r.metadata.columns_count) +
                        " columns cannot fit in the body");
  }
  r.rows_content = in.rest();
  CQLBULK_RETURN_IF_ERROR(in.Skip(in.remaining()));
  return r;
}

Result<RowsResult> ParseRowsResult(BytesView result_body, int protocol_version) {
  ProtocolReader in(result_body);
  CQLBULK_ASSIGN_OR_RETURN(int32_t kind, in.ReadI32());
  if (kind != static_cast<int32_t>(ResultKind::kRows)) {
    return ProtocolError("RESULT kind " + std::to_string(kind) + " is not Rows");
  }
  return ReadRowsResult(in, protocol_version);
}

void WriteRowsResult(ProtocolWriter& out, const RowsResult& rows, int protocol_version) {
  out.WriteI32(static_cast<int32_t>(ResultKind::kRows));
  WriteRowsMetadata(out, rows.metadata, protocol_version);
  out.WriteI32(rows.rows_count);
  out.WriteBytes(rows.rows_content);
}

RowsBuilder::RowsBuilder(const RowsMetadata& metadata, int protocol_version) {
  out_.Grow(kFrameHeaderSize);  // room for the frame header, see FinishFrame
  out_.WriteI32(static_cast<int32_t>(ResultKind::kRows));
  WriteRowsMetadata(out_, metadata, protocol_version);
  columns_ = metadata.columns_count < 0 ? 0 : static_cast<size_t>(metadata.columns_count);
  rows_count_pos_ = out_.size();
  out_.WriteI32(0);
}

void RowsBuilder::AddNullableCell(const std::optional<BytesView>& value) {
  if (value) {
    AddCell(*value);
  } else {
    AddNull();
  }
}

Status RowsBuilder::AddRow(std::span<const std::optional<BytesView>> cells) {
  if (cells.size() != columns_) {
    return InvalidArgument("row of " + std::to_string(cells.size()) + " cells for " +
                           std::to_string(columns_) + " columns");
  }
  if (columns_ == 0) {
    ++empty_rows_;
    return OkStatus();
  }
  if (num_cells_ % columns_ != 0) {
    return InvalidArgument("AddRow after a partly written row");
  }
  for (const auto& c : cells) {
    AddNullableCell(c);
  }
  return OkStatus();
}

int32_t RowsBuilder::num_rows() const noexcept {
  if (columns_ == 0) {
    return empty_rows_;
  }
  return static_cast<int32_t>(num_cells_ / columns_);
}

Status RowsBuilder::Close() {
  if (columns_ != 0 && num_cells_ % columns_ != 0) {
    return InvalidArgument("last row has " + std::to_string(num_cells_ % columns_) + " of " +
                           std::to_string(columns_) + " cells");
  }
  if (columns_ != 0 && num_cells_ / columns_ > static_cast<size_t>(INT32_MAX)) {
    return InvalidArgument("too many rows");
  }
  out_.PatchU32(rows_count_pos_, static_cast<uint32_t>(num_rows()));
  return out_.status();
}

Result<Bytes> RowsBuilder::FinishBody() && {
  CQLBULK_RETURN_IF_ERROR(Close());
  CQLBULK_ASSIGN_OR_RETURN(Bytes bytes, std::move(out_).Finish());
  bytes.erase(bytes.begin(), bytes.begin() + kFrameHeaderSize);
  return bytes;
}

Result<Bytes> RowsBuilder::FinishFrame(FrameHeader header) && {
  CQLBULK_RETURN_IF_ERROR(Close());
  header.opcode = Opcode::kResult;
  const size_t body = size_bytes();
  if (body > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return InvalidArgument("RESULT body of " + std::to_string(body) + " bytes is too long");
  }
  header.length = static_cast<uint32_t>(body);
  ByteWriter h;
  WriteFrameHeader(h, header);
  CQLBULK_ASSIGN_OR_RETURN(Bytes bytes, std::move(out_).Finish());
  std::copy(h.bytes().begin(), h.bytes().end(), bytes.begin());
  return bytes;
}

}  // namespace cqlbulk::cql
