// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/text/json_page_writer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string_view>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/utf8.h"
#include "cqlbulk/formats/text/scalar_text.h"

namespace cqlbulk::ops::text {

using Op = ScalarOp;

namespace {

/// JsonWriter's piece size: the buffer goes to the stream after the row that reaches it.
/// Bytes of text a byte of a cell can take at most: a JSON string escapes a byte as \u00XX.
constexpr size_t kJsonBytesFactor = 6;

/// The most text of a value of `op` besides kJsonBytesFactor per byte: quotes included, and
/// at least "null".
size_t FixedBound(Op op, const formats::ValueFormatter& formatter) {
  switch (op) {
    case Op::kTimestamp: return formats::JsonStringBound(formatter.timestamp_bound());
    case Op::kDecimal: return 2 + 24;
    case Op::kVarint: return 2 + 3;
    case Op::kBlob: return 2 + 2;
    case Op::kInet: return 2 + 45;
    case Op::kDuration: return 2 + formats::kMaxDurationText;
    case Op::kText:
    case Op::kAscii: return 4;
    default:
      return 2 + std::max({formats::kMaxIntegerText, formats::kMaxFloatText,
                           formats::kMaxUuidText, formats::kMaxDateText, formats::kMaxTimeText});
  }
}

char* CopyText(char* p, const char* text, size_t n) {
  std::memcpy(p, text, n);
  return p + n;
}

}  // namespace

Result<std::unique_ptr<JsonPageWriter>> JsonPageWriter::Make(const RowDecoder& decoder,
                                                             const formats::TextOptions& options) {
  CQLBULK_ASSIGN_OR_RETURN(formats::ValueFormatter formatter,
                           formats::ValueFormatter::Make(options));
  std::vector<Column> columns;
  for (size_t i = 0; i < decoder.num_columns(); ++i) {
    Op op;
    if (!ScalarOpOf(decoder.column_type(i), op)) {
      return nullptr;
    }
    std::string prefix(1, i == 0 ? '{' : ',');
    formats::AppendJsonString(decoder.schema()->fields[i].name, prefix);
    prefix += ':';
    columns.push_back({op, EmptyIsNull(op), std::move(prefix)});
  }
  std::unique_ptr<JsonPageWriter> writer(new JsonPageWriter(std::move(formatter)));
  writer->iso_timestamps_ = options.timestamp_format == "iso";
  size_t row_bound = 2;  // "}\n" (or "{}\n")
  for (const Column& column : columns) {
    row_bound += column.prefix.size() + FixedBound(column.op, writer->formatter_);
  }
  writer->row_bound_ = row_bound;
  writer->columns_ = std::move(columns);
  return writer;
}

JsonPageWriter::JsonPageWriter(formats::ValueFormatter formatter)
    : formatter_(std::move(formatter)) {
}

// ValueFormatter::WriteJson's forms: numbers and booleans bare (non-finite floats as strings),
// text as JSON strings, every other value's text in quotes.
char* JsonPageWriter::WriteValue(char* p, const Column& column, const uint8_t* cell, size_t n) {
  switch (column.op) {
    case Op::kText:
    case Op::kAscii: {
      const std::string_view text(reinterpret_cast<const char*>(cell), n);
      if (column.op == Op::kText ? !cql::IsValidUtf8(text) : !cql::IsAscii(text)) {
        return nullptr;
      }
      return formats::WriteJsonString(p, text);
    }
    case Op::kTimestamp:
      if (n != 8) return nullptr;
      if (iso_timestamps_) {
        *p++ = '"';
        p = formatter_.WriteTimestamp(p, static_cast<int64_t>(LoadBE64(cell)));
        *p++ = '"';
        return p;
      }
      // A pattern may hold characters a JSON string escapes.
      scratch_.clear();
      formatter_.AppendTimestamp(static_cast<int64_t>(LoadBE64(cell)), scratch_);
      return formats::WriteJsonString(p, scratch_);
    case Op::kFloat32:
      if (n == 4 && !std::isfinite(std::bit_cast<float>(LoadBE32(cell)))) break;
      return WriteScalarText(p, column.op, cell, n, formatter_);
    case Op::kFloat64:
      if (n == 8 && !std::isfinite(std::bit_cast<double>(LoadBE64(cell)))) break;
      return WriteScalarText(p, column.op, cell, n, formatter_);
    case Op::kBlob:
    case Op::kUuid:
    case Op::kTimeUuid:
    case Op::kDate:
    case Op::kTime:
    case Op::kDuration:
    case Op::kInet: break;
    default: return WriteScalarText(p, column.op, cell, n, formatter_);  // booleans, numbers
  }
  *p++ = '"';
  char* end = WriteScalarText(p, column.op, cell, n, formatter_);
  if (end == nullptr) return nullptr;
  *end++ = '"';
  return end;
}

Result<size_t> JsonPageWriter::Write(RowsPage& page, size_t max_rows,
                                     formats::OutputStream& out) {
  const size_t num_columns = columns_.size();
  const Column* columns = columns_.data();
  const uint8_t* in = page.next;
  const uint8_t* const in_end = page.end;
  char* p = text_.end();
  size_t written = 0;
  auto malformed = [&]() {
    text_.SetEnd(p);
    page.next = in_end;  // the page is given up
    page.rows_left = 0;
    return ProtocolError("malformed rows page");
  };
  for (; written < max_rows && page.rows_left > 0; ++written, --page.rows_left) {
    // The row's extent first: room for its text at most, reserved once.
    const uint8_t* scan = in;
    for (size_t i = 0; i < num_columns; ++i) {
      if (in_end - scan < 4) [[unlikely]] {
        return malformed();
      }
      const auto length = static_cast<int32_t>(LoadBE32(scan));
      scan += 4;
      if (length > 0) {
        if (static_cast<size_t>(length) > static_cast<size_t>(in_end - scan)) [[unlikely]] {
          return malformed();
        }
        scan += length;
      }
    }
    p = text_.Reserve(p, row_bound_ + kJsonBytesFactor * static_cast<size_t>(scan - in));
    if (num_columns == 0) *p++ = '{';
    for (size_t i = 0; i < num_columns; ++i) {
      const Column& column = columns[i];
      const auto length = static_cast<int32_t>(LoadBE32(in));
      in += 4;
      const uint8_t* cell = in;
      const auto n = static_cast<size_t>(length < 0 ? 0 : length);
      in += n;
      p = CopyText(p, column.prefix.data(), column.prefix.size());
      if (length < 0 || (n == 0 && column.empty_is_null)) {
        p = CopyText(p, "null", 4);
        continue;
      }
      char* end = WriteValue(p, column, cell, n);
      if (end == nullptr) [[unlikely]] {
        return malformed();
      }
      p = end;
    }
    p = CopyText(p, "}\n", 2);
    if (text_.Full(p)) [[unlikely]] {
      page.next = in;
      CQLBULK_RETURN_IF_ERROR(text_.WriteOut(p, out));
      p = text_.begin();
    }
  }
  text_.SetEnd(p);
  page.next = in;
  return written;
}

}  // namespace cqlbulk::ops::text
