// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/text/csv_page_writer.h"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/utf8.h"
#include "cqlbulk/formats/csv/csv_writer.h"
#include "cqlbulk/formats/text/scalar_text.h"

namespace cqlbulk::ops::text {

using Op = ScalarOp;

namespace {

/// CsvWriter's piece size: the buffer goes to the stream after the row that reaches it.
/// The SSE block: text is read and stored 16 bytes at a time.
constexpr size_t kBlock = 16;
/// Bytes of text a byte of a cell can take at most, quoted (a decimal: 5n/2 doubled).
constexpr size_t kMaxBytesFactor = 5;
/// Room for the text of any fixed-size value (numbers, uuids, dates, times).
constexpr size_t kFixedBound =
    std::max({formats::kMaxIntegerText, formats::kMaxFloatText, formats::kMaxUuidText,
              formats::kMaxDateText, formats::kMaxTimeText, size_t{5}});

char* CopyText(char* p, const char* text, size_t n) {
  std::memcpy(p, text, n);
  return p + n;
}

}  // namespace

Result<std::unique_ptr<CsvPageWriter>> CsvPageWriter::Make(const RowDecoder& decoder,
                                                           const formats::CsvOptions& options) {
  CQLBULK_RETURN_IF_ERROR(formats::CsvWriter::CheckOptions(options));
  CQLBULK_ASSIGN_OR_RETURN(formats::ValueFormatter formatter,
                           formats::ValueFormatter::Make(options.text));
  std::vector<Column> columns;
  for (size_t i = 0; i < decoder.num_columns(); ++i) {
    Op op;
    if (!ScalarOpOf(decoder.column_type(i), op)) {
      return nullptr;
    }
    columns.push_back(
        {op, formats::CsvWriter::MayNeedQuotes(*decoder.schema()->fields[i].type, options),
         EmptyIsNull(op)});
  }
  std::unique_ptr<CsvPageWriter> writer(new CsvPageWriter(options, std::move(formatter)));
  // The text of a row is at most the sum of each column's fixed part, plus kMaxBytesFactor
  // bytes for each byte of the row: a cell of n bytes takes, before quoting, at most n (text),
  // 2 + 2n (hex blob), 5n/2 + 24 (decimal), 5n/2 + 3 (varint), 45 (inet) or the fixed bound of
  // its type; quoting at most doubles it and adds 2; text blocks are stored whole (+16).
  size_t row_bound = options.line_end.size();
  for (const Column& column : columns) {
    size_t fixed;
    switch (column.op) {
      case Op::kTimestamp: fixed = writer->formatter_.timestamp_bound(); break;
      case Op::kDecimal: fixed = 24; break;
      case Op::kVarint: fixed = 3; break;
      case Op::kBlob: fixed = 2; break;
      case Op::kInet: fixed = 45; break;
      case Op::kDuration: fixed = formats::kMaxDurationText; break;
      case Op::kText:
      case Op::kAscii: fixed = kBlock; break;
      default: fixed = kFixedBound; break;
    }
    row_bound += 1 + std::max(options.text.null_string.size(), 2 * fixed + 2 + kBlock);
  }
  writer->row_bound_ = row_bound;
  writer->cells_.resize(columns.size());
  writer->columns_ = std::move(columns);
  return writer;
}

CsvPageWriter::CsvPageWriter(const formats::CsvOptions& options, formats::ValueFormatter formatter)
    : delimiter_(options.delimiter),
      quote_(options.quote),
      escape_(options.escape),
      null_string_(options.text.null_string),
      line_end_(options.line_end),
      formatter_(std::move(formatter)),
      quoting_(options) {
  std::memset(splat_[0], delimiter_, sizeof(splat_[0]));
  std::memset(splat_[1], quote_, sizeof(splat_[1]));
  std::memset(splat_[2], escape_, sizeof(splat_[2]));
}

char* CsvPageWriter::WriteField(char* p, const char* text, size_t n) const {
  if (!quoting_.NeedsQuotes(std::string_view(text, n))) [[likely]] {
    return n == 0 ? p : CopyText(p, text, n);
  }
  // Quoted: the runs between quote and escape characters copied whole, each of those
  // characters after an escape.
  const char* const end = text + n;
  *p++ = quote_;
  while (true) {
    const char* hit = static_cast<const char*>(std::memchr(text, quote_, end - text));
    if (escape_ != quote_) {
      const char* e = static_cast<const char*>(std::memchr(text, escape_, end - text));
      if (e != nullptr && (hit == nullptr || e < hit)) hit = e;
    }
    if (hit == nullptr) break;
    p = CopyText(p, text, static_cast<size_t>(hit - text));
    *p++ = escape_;
    *p++ = *hit;
    text = hit + 1;
  }
  p = CopyText(p, text, static_cast<size_t>(end - text));
  *p++ = quote_;
  return p;
}

#if defined(__SSE2__)
namespace {
/// 16 bytes of 0xff then 16 of 0: the 16 bytes at kTailMask + 16 - r keep the first r lanes.
alignas(16) constexpr uint8_t kTailMask[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
}  // namespace

char* CsvPageWriter::WriteTextBlocks(char* p, const Column& column, const char* text,
                                     size_t n) const {
  const __m128i delimiter = _mm_load_si128(reinterpret_cast<const __m128i*>(splat_[0]));
  const __m128i quote = _mm_load_si128(reinterpret_cast<const __m128i*>(splat_[1]));
  const __m128i escape = _mm_load_si128(reinterpret_cast<const __m128i*>(splat_[2]));
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  // Lanes past the text are masked off in the last block; the three results are gathered as
  // vectors and read once.
  __m128i special = _mm_setzero_si128();
  __m128i escaped = _mm_setzero_si128();
  __m128i bytes = _mm_setzero_si128();
  for (size_t at = 0; at < n; at += kBlock) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + at));
    if (n - at < kBlock) {
      const __m128i keep = _mm_loadu_si128(
          reinterpret_cast<const __m128i*>(kTailMask + kBlock - (n - at)));
      const __m128i e = _mm_and_si128(
          keep, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, escape)));
      const __m128i other = _mm_and_si128(
          keep, _mm_or_si128(_mm_cmpeq_epi8(v, delimiter),
                             _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))));
      escaped = _mm_or_si128(escaped, e);
      special = _mm_or_si128(special, _mm_or_si128(e, other));
      bytes = _mm_or_si128(bytes, _mm_and_si128(keep, v));
      break;
    }
    const __m128i e = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, escape));
    const __m128i other = _mm_or_si128(_mm_cmpeq_epi8(v, delimiter),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
    escaped = _mm_or_si128(escaped, e);
    special = _mm_or_si128(special, _mm_or_si128(e, other));
    bytes = _mm_or_si128(bytes, v);
  }
  if (_mm_movemask_epi8(bytes) != 0) [[unlikely]] {
    // Not 7-bit: ascii refuses it, text checks its UTF-8.
    if (column.op == Op::kAscii || !cql::IsValidUtf8(std::string_view(text, n))) {
      return nullptr;
    }
  }
  if (!column.check_quotes) {
    return n == 0 ? p : CopyText(p, text, n);
  }
  if (_mm_movemask_epi8(escaped) != 0) [[unlikely]] {
    return WriteField(p, text, n);
  }
  const bool quoted = _mm_movemask_epi8(special) != 0 || n == 0 || text[0] == ' ' ||
                      text[n - 1] == ' ' ||
                      (n == null_string_.size() && std::memcmp(text, null_string_.data(), n) == 0);
  *p = quote_;
  p += quoted ? 1 : 0;
  for (size_t at = 0; at < n; at += kBlock) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p + at),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + at)));
  }
  p += n;
  *p = quote_;
  return p + (quoted ? 1 : 0);
}
#endif

char* CsvPageWriter::QuoteInPlace(char* start, char* end) const {
  const auto n = static_cast<size_t>(end - start);
  if (!quoting_.NeedsQuotes(std::string_view(start, n))) {
    return end;
  }
  size_t escapes = 0;
  for (const char* c = start; c != end; ++c) {
    escapes += (*c == quote_ || *c == escape_) ? 1 : 0;
  }
  // From the end backwards: each character moves right past the escapes before it.
  char* dst = start + n + escapes + 2;
  char* const result = dst;
  *--dst = quote_;
  for (size_t i = n; i-- > 0;) {
    const char c = start[i];
    *--dst = c;
    if (c == quote_ || c == escape_) {
      *--dst = escape_;
    }
  }
  *--dst = quote_;
  return result;
}

Result<size_t> CsvPageWriter::Write(RowsPage& page, size_t max_rows, formats::OutputStream& out) {
  const size_t num_columns = columns_.size();
  const Column* columns = columns_.data();
  Cell* cells = cells_.data();
  const uint8_t* in = page.next;
  const uint8_t* const in_end = page.end;
  const char delimiter = delimiter_;
  char* p = text_.end();
  size_t written = 0;
  auto malformed = [&]() {
    text_.SetEnd(p);
    page.next = in_end;  // the page is given up
    page.rows_left = 0;
    return ProtocolError("malformed rows page");
  };
  for (; written < max_rows && page.rows_left > 0; ++written, --page.rows_left) {
    // The row's cells, bounds-checked; then room for its text at most, reserved once.
    const uint8_t* const row_start = in;
    for (size_t i = 0; i < num_columns; ++i) {
      if (in_end - in < 4) [[unlikely]] {
        return malformed();
      }
      const auto length = static_cast<int32_t>(LoadBE32(in));
      in += 4;
      cells[i] = {in, length};
      if (length > 0) {
        if (static_cast<size_t>(length) > static_cast<size_t>(in_end - in)) [[unlikely]] {
          return malformed();
        }
        in += length;
      }
    }
    p = text_.Reserve(p, row_bound_ + kMaxBytesFactor * static_cast<size_t>(in - row_start));
    for (size_t i = 0; i < num_columns; ++i) {
      const Column& column = columns[i];
      const uint8_t* const cell = cells[i].data;
      const int32_t length = cells[i].length;
      *p = delimiter;
      p += i != 0 ? 1 : 0;
      const auto n = static_cast<size_t>(length < 0 ? 0 : length);
      if (length <= 0) {
        if (length < 0 || column.empty_is_null) {
          p = CopyText(p, null_string_.data(), null_string_.size());
          continue;
        }
      }
      char* end;
      switch (column.op) {
        case Op::kInt32:
          if (n != 4) [[unlikely]] return malformed();
          end = formats::WriteInteger(p, static_cast<int32_t>(LoadBE32(cell)));
          break;
        case Op::kInt64:
          if (n != 8) [[unlikely]] return malformed();
          end = formats::WriteInteger(p, static_cast<int64_t>(LoadBE64(cell)));
          break;
        case Op::kTimestamp:
          if (n != 8) [[unlikely]] return malformed();
          end = formatter_.WriteTimestamp(p, static_cast<int64_t>(LoadBE64(cell)));
          break;
        case Op::kText:
        case Op::kAscii:
#if defined(__SSE2__)
          // Whole 16-byte blocks readable inside the page: one pass checks the text and finds
          // what quoting it needs, and the blocks are stored whole.
          if (n <= 4 * kBlock &&
              static_cast<size_t>(in_end - cell) >= (n + kBlock - 1) / kBlock * kBlock) {
            char* text_end = WriteTextBlocks(p, column, reinterpret_cast<const char*>(cell), n);
            if (text_end == nullptr) [[unlikely]] return malformed();
            p = text_end;
            continue;
          }
#endif
          {
            const std::string_view text(reinterpret_cast<const char*>(cell), n);
            if (column.op == Op::kText ? !cql::IsValidUtf8(text) : !cql::IsAscii(text)) {
              return malformed();
            }
            p = column.check_quotes ? WriteField(p, text.data(), n)
                                    : (n == 0 ? p : CopyText(p, text.data(), n));
          }
          continue;
        default:
          end = WriteScalarText(p, column.op, cell, n, formatter_);
          if (end == nullptr) [[unlikely]] return malformed();
          break;
      }
      p = column.check_quotes ? QuoteInPlace(p, end) : end;
    }
    p = line_end_.size() == 1 ? (*p = line_end_[0], p + 1)
                              : CopyText(p, line_end_.data(), line_end_.size());
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
