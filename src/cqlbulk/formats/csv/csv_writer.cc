// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/csv/csv_writer.h"

#include <cstring>
#include <optional>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cqlbulk/core/macros.h"

namespace cqlbulk::formats {

using data::TypeKind;

namespace {

constexpr size_t kChunkBytes = 64 * 1024;

/// Every character the text form of a non-null value of `kind` can hold, or nullopt when it
/// can hold any (strings, blobs, nested values, patterned timestamps). None holds a space and
/// none is empty, so such a column needs a scan only when the dialect uses one of these.
std::optional<std::string_view> Alphabet(const data::LogicalType& type, const TextOptions& text) {
  switch (type.kind()) {
    case TypeKind::kBoolean: return "truefals";
    case TypeKind::kInt8:
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64: return "0123456789-";
    case TypeKind::kFloat32:
    case TypeKind::kFloat64: return "0123456789-+.eNaInfinity";
    case TypeKind::kDecimal:
    case TypeKind::kBigInteger: return "0123456789-+.E";
    case TypeKind::kUuid: return "0123456789abcdef-";
    case TypeKind::kDate: return "0123456789-+";
    case TypeKind::kTime: return "0123456789:.-";
    case TypeKind::kTimestamp:
      if (text.timestamp_format == "iso") return "0123456789-+:.TZ";
      return std::nullopt;
    case TypeKind::kDuration: return "0123456789-ymodhsun";
    case TypeKind::kInet: return "0123456789abcdefx.:";
    default: return std::nullopt;
  }
}

bool IsCrOrLf(char c) { return c == '\r' || c == '\n'; }

}  // namespace

Status CsvWriter::CheckOptions(const CsvOptions& options) {
  if (IsCrOrLf(options.delimiter) || IsCrOrLf(options.quote) || IsCrOrLf(options.escape)) {
    return InvalidArgument("CSV: the delimiter, quote and escape cannot be CR or LF");
  }
  if (options.delimiter == options.quote || options.delimiter == options.escape) {
    return InvalidArgument(std::string("CSV: the delimiter '") + options.delimiter +
                           "' cannot also be the quote or the escape");
  }
  if (options.line_end.empty()) {
    return InvalidArgument("CSV: the line end is empty");
  }
  for (char c : options.text.null_string) {
    if (c == options.delimiter || c == options.quote || IsCrOrLf(c)) {
      return InvalidArgument("CSV: the null string '" + options.text.null_string +
                             "' holds the delimiter, the quote, CR or LF");
    }
  }
  return OkStatus();
}

bool CsvWriter::MayNeedQuotes(const data::LogicalType& type, const CsvOptions& options) {
  std::array<bool, 256> special{};
  for (char c : {options.delimiter, options.quote, options.escape, '\r', '\n'}) {
    special[static_cast<unsigned char>(c)] = true;
  }
  std::optional<std::string_view> alphabet = Alphabet(type, options.text);
  bool check = !alphabet.has_value();
  for (char c : alphabet.value_or("")) {
    check = check || special[static_cast<unsigned char>(c)];
  }
  const std::string& null_string = options.text.null_string;
  if (!null_string.empty() && alphabet.has_value() &&
      null_string.find_first_not_of(*alphabet) == std::string::npos) {
    check = true;  // a value could read back as null
  }
  return check;
}

Result<std::unique_ptr<CsvWriter>> CsvWriter::Make(OutputStream& out, data::SchemaPtr schema,
                                                   CsvOptions options) {
  if (schema == nullptr) {
    return InvalidArgument("CSV writer: no schema");
  }
  CQLBULK_RETURN_IF_ERROR(CheckOptions(options));
  CQLBULK_ASSIGN_OR_RETURN(ValueFormatter formatter, ValueFormatter::Make(options.text));
  return std::unique_ptr<CsvWriter>(
      new CsvWriter(out, std::move(schema), std::move(options), std::move(formatter)));
}

CsvWriter::CsvWriter(OutputStream& out, data::SchemaPtr schema, CsvOptions options,
                     ValueFormatter formatter)
    : out_(out),
      schema_(std::move(schema)),
      options_(std::move(options)),
      formatter_(std::move(formatter)),
      quoting_(options_) {
  for (const data::Field& field : schema_->fields) {
    check_quotes_.push_back(MayNeedQuotes(*field.type, options_) ? 1 : 0);
    nested_.push_back(field.type->is_nested() ? 1 : 0);
  }
  buffer_.Reserve(kChunkBytes + kChunkBytes / 4);
  if (options_.header) {
    for (size_t i = 0; i < schema_->fields.size(); ++i) {
      if (i != 0) *Grow(1) = options_.delimiter;
      size_t start = buffer_.size();
      Append(schema_->fields[i].name);
      QuoteIfNeeded(start);
    }
    Append(options_.line_end);
  }
}

void CsvWriter::Append(std::string_view text) {
  if (!text.empty()) {
    std::memcpy(Grow(text.size()), text.data(), text.size());
  }
}

CsvQuoting::CsvQuoting(const CsvOptions& options)
    : delimiter_(options.delimiter),
      quote_(options.quote),
      escape_(options.escape),
      null_string_(options.text.null_string) {
  for (char c : {delimiter_, quote_, escape_, '\r', '\n'}) {
    special_[static_cast<unsigned char>(c)] = true;
  }
}

bool CsvQuoting::HasSpecial(std::string_view field) const noexcept {
  const char* p = field.data();
  const char* end = p + field.size();
#if defined(__SSE2__)
  // Sixteen bytes at a time against the five special characters; a field of 16 bytes or more
  // ends with one more (overlapping) block instead of a byte loop. Quoting scanned text byte
  // by byte was a quarter of an unload's instructions.
  if (end - p >= 16) {
    const __m128i delimiter = _mm_set1_epi8(delimiter_);
    const __m128i quote = _mm_set1_epi8(quote_);
    const __m128i escape = _mm_set1_epi8(escape_);
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    auto hit = [&](const char* at) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
      __m128i any = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(v, delimiter), _mm_cmpeq_epi8(v, quote)),
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, escape), _mm_cmpeq_epi8(v, cr)),
                       _mm_cmpeq_epi8(v, lf)));
      return _mm_movemask_epi8(any) != 0;
    };
    for (; end - p > 16; p += 16) {
      if (hit(p)) return true;
    }
    return hit(end - 16);
  }
#endif
  for (; p != end; ++p) {
    if (special_[static_cast<unsigned char>(*p)]) return true;
  }
  return false;
}

void CsvWriter::QuoteIfNeeded(size_t start) {
  const size_t old_size = buffer_.size();
  if (!quoting_.NeedsQuotes(AsChars(buffer_.view().subspan(start)))) {
    return;
  }
  const char quote = options_.quote;
  const char escape = options_.escape;
  const size_t length = old_size - start;
  const char* text = reinterpret_cast<const char*>(buffer_.data()) + start;
  const bool has_escapes = std::memchr(text, quote, length) != nullptr ||
                           (escape != quote && std::memchr(text, escape, length) != nullptr);
  if (!has_escapes) {
    // The usual case (a delimiter or a space in the text): the field moves one to the right
    // between its quotes.
    Grow(2);
    char* base = reinterpret_cast<char*>(buffer_.mutable_data()) + start;
    std::memmove(base + 1, base, length);
    base[0] = quote;
    base[length + 1] = quote;
    return;
  }
  size_t num_escaped = 0;
  for (char c : AsChars(buffer_.view().subspan(start))) {
    num_escaped += (c == quote || c == escape) ? 1 : 0;
  }
  Grow(2 + num_escaped);
  // Move the field right from its end, escaping as we go, then open the quotes.
  char* base = reinterpret_cast<char*>(buffer_.mutable_data()) + start;
  char* dst = reinterpret_cast<char*>(buffer_.mutable_data()) + buffer_.size();
  *--dst = quote;
  for (size_t i = old_size - start; i-- > 0;) {
    char c = base[i];
    *--dst = c;
    if (c == quote || c == escape) {
      *--dst = escape;
    }
  }
  *--dst = quote;
}

Status CsvWriter::Write(const data::Batch& batch) { return Write(batch, 0, batch.num_rows()); }

Status CsvWriter::Write(const data::Batch& batch, size_t begin, size_t end) {
  if (batch.schema_ptr() != schema_ && batch.schema() != *schema_) {
    return InvalidArgument("CSV writer: the batch's schema is not the writer's");
  }
  if (begin > end || end > batch.num_rows()) {
    return InvalidArgument("CSV writer: rows [" + std::to_string(begin) + ", " +
                           std::to_string(end) + ") of a batch of " +
                           std::to_string(batch.num_rows()));
  }
  const size_t num_columns = batch.num_columns();
  const char delimiter = options_.delimiter;
  const std::string_view null_string = options_.text.null_string;
  const std::string_view line_end = options_.line_end;
  for (size_t row = begin; row < end; ++row) {
    for (size_t i = 0; i < num_columns; ++i) {
      const data::Column& column = batch.column(i);
      const bool first = i == 0;
      if (column.IsNull(row)) {
        if (!first) *Grow(1) = delimiter;
        Append(null_string);
        continue;
      }
      if (nested_[i]) [[unlikely]] {
        if (!first) *Grow(1) = delimiter;
        scratch_.clear();
        formatter_.AppendText(column, row, scratch_);
        size_t start = buffer_.size();
        Append(scratch_);
        QuoteIfNeeded(start);
        continue;
      }
      // The delimiter and the value in one reservation; then down to what was written.
      const size_t before = buffer_.size();
      char* p = Grow((first ? 0 : 1) + formatter_.TextBound(column, row));
      if (!first) *p++ = delimiter;
      const size_t start = before + (first ? 0 : 1);
      char* value_end = formatter_.WriteText(column, row, p);
      buffer_.Truncate(start + static_cast<size_t>(value_end - p));
      if (check_quotes_[i]) {
        QuoteIfNeeded(start);
      }
    }
    if (line_end.size() == 1) {
      *Grow(1) = line_end[0];
    } else {
      Append(line_end);
    }
    ++records_written_;
    if (buffer_.size() >= kChunkBytes) [[unlikely]] {
      CQLBULK_RETURN_IF_ERROR(out_.Write(buffer_.view()));
      buffer_.Clear();
    }
  }
  return OkStatus();
}

Status CsvWriter::Flush() {
  if (!buffer_.empty()) {
    CQLBULK_RETURN_IF_ERROR(out_.Write(buffer_.view()));
    buffer_.Clear();
  }
  return OkStatus();
}

}  // namespace cqlbulk::formats
