// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/cql/protocol/result_metadata.h"

namespace cqlbulk::cql {

/// RESULT kinds (§4.2.5).
enum class ResultKind : int32_t {
  kVoid = 0x0001,
  kRows = 0x0002,
  kSetKeyspace = 0x0003,
  kPrepared = 0x0004,
  kSchemaChange = 0x0005,
};

/// \brief Walks the rows of a Rows result without copying: each cell is a view or null.
///
/// `Next` bounds-checks a whole row and records where its cells are (in a buffer reused for
/// every row: no allocation per row or cell); `cell(i)` is then O(1).
class RowsCursor {
 public:
  RowsCursor(BytesView rows_content, int32_t rows_count, int32_t columns_count);

  /// Moves to the next row: true if there is one, false after the last. kProtocol when a
  /// cell's length runs past the content (the cursor then stays failed).
  Result<bool> Next();

  size_t num_columns() const noexcept { return num_columns_; }
  /// Cell `i` (< num_columns) of the current row; nullopt when null (negative length).
  std::optional<BytesView> cell(size_t i) const noexcept {
    const Cell& c = cells_[i];
    if (c.length < 0) {
      return std::nullopt;
    }
    return BytesView(c.data, static_cast<size_t>(c.length));
  }
  /// 0-based index of the current row (-1 before the first Next).
  int32_t row_index() const noexcept { return row_; }
  int32_t rows_count() const noexcept { return rows_count_; }
  /// Content bytes after the rows read so far (0 after the last row of an exact body).
  size_t bytes_remaining() const noexcept { return data_.size() - pos_; }

 private:
  struct Cell {
    const uint8_t* data;
    int32_t length;
  };

  BytesView data_;
  size_t num_columns_ = 0;
  size_t pos_ = 0;
  int32_t rows_count_;
  int32_t row_ = -1;
  std::vector<Cell> cells_;
  bool failed_ = false;
};

/// \brief A Rows result (§4.2.5.2): owned metadata, borrowed row content.
///
/// `rows_content` borrows the frame body it was parsed from; keep that body alive.
struct RowsResult {
  RowsMetadata metadata;
  int32_t rows_count = 0;
  BytesView rows_content;

  RowsCursor cursor() const { return {rows_content, rows_count, metadata.columns_count}; }
};

/// Reads a Rows result after its [int] kind; `rows_content` is everything left in `in`,
/// which is consumed. kProtocol if rows_count is negative or the rows cannot fit.
Result<RowsResult> ReadRowsResult(ProtocolReader& in, int protocol_version);
/// Parses a whole RESULT message body whose kind must be Rows (the unload hot path: no
/// copy of the rows).
Result<RowsResult> ParseRowsResult(BytesView result_body, int protocol_version);
/// Appends kind, metadata, rows_count and the content bytes.
void WriteRowsResult(ProtocolWriter& out, const RowsResult& rows, int protocol_version);

/// \brief Appends rows into a RESULT Rows body (the server streaming a page).
///
/// Space for a 9-byte frame header is kept in front so `FinishFrame` hands back a frame
/// without copying the body.
class RowsBuilder {
 public:
  /// Writes kind and `metadata`; rows are `metadata.columns_count` cells wide.
  RowsBuilder(const RowsMetadata& metadata, int protocol_version);

  void AddCell(BytesView value) { out_.WriteBytesField(value); ++num_cells_; }
  void AddNull() { out_.WriteNullBytes(); ++num_cells_; }
  /// A cell or, for nullopt, a null.
  void AddNullableCell(const std::optional<BytesView>& value);
  /// Adds a whole row; kInvalidArgument if it does not have columns_count cells or if a
  /// row is already partly written.
  Status AddRow(std::span<const std::optional<BytesView>> cells);

  int32_t num_rows() const noexcept;
  /// Body bytes so far (for cutting pages by size).
  size_t size_bytes() const noexcept { return out_.size() - kFrameHeaderSize; }

  /// The RESULT body. kInvalidArgument if the last row is incomplete.
  Result<Bytes> FinishBody() &&;
  /// A whole frame: `header` with opcode RESULT and the body length filled in.
  Result<Bytes> FinishFrame(FrameHeader header) &&;

 private:
  Status Close();

  ProtocolWriter out_;
  size_t columns_ = 0;
  size_t rows_count_pos_ = 0;
  size_t num_cells_ = 0;
  int32_t empty_rows_ = 0;  ///< rows added to a zero-column result
};

}  // namespace cqlbulk::cql
