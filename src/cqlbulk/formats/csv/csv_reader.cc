// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/csv/csv_reader.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/text/json_parse.h"

namespace cqlbulk::formats {

namespace {

bool IsLineEnd(char c) { return c == '\n' || c == '\r'; }

// The first of the bytes a, b, c at or after p (16 bytes at a time while they are there),
// else the first byte marked in `stop` (which holds a, b and c, and the buffer's sentinel at
// `end`).
inline const char* ScanTo(const char* p, const char* end, char a, char b, char c,
                          const std::array<uint8_t, 256>& stop) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a);
  const __m128i vb = _mm_set1_epi8(b);
  const __m128i vc = _mm_set1_epi8(c);
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                               _mm_cmpeq_epi8(v, vc));
    int mask = _mm_movemask_epi8(hit);
    if (mask != 0) {
      return p + __builtin_ctz(static_cast<unsigned>(mask));
    }
    p += 16;
  }
#else
  (void)end;
  (void)a;
  (void)b;
  (void)c;
#endif
  while (stop[static_cast<uint8_t>(*p)] == 0) ++p;
  return p;
}

std::string Printable(char c) {
  if (c == '\t') return "'\\t'";
  return "'" + std::string(1, c) + "'";
}

}  // namespace

CsvReader::CsvReader(InputStream& in, std::string source_name, data::SchemaPtr target,
                     std::vector<std::string> source_fields, const CsvOptions& options,
                     MissingField missing, ValueParser parser)
    : buffer_(in),
      source_name_(std::move(source_name)),
      target_(std::move(target)),
      source_fields_(std::move(source_fields)),
      options_(options),
      missing_(missing),
      parser_(std::move(parser)) {
  for (uint8_t c : {static_cast<uint8_t>(options_.delimiter), uint8_t{'\n'}, uint8_t{'\r'}}) {
    unquoted_stop_[c] = 1;
  }
  for (uint8_t c : {static_cast<uint8_t>(options_.quote), static_cast<uint8_t>(options_.escape),
                    uint8_t{'\n'}}) {
    quoted_stop_[c] = 1;
  }
  unset_.assign(target_->num_fields(), 0);
}

Result<std::unique_ptr<CsvReader>> CsvReader::Make(InputStream& in, std::string source_name,
                                                   data::SchemaPtr target,
                                                   std::vector<std::string> source_fields,
                                                   const CsvOptions& options,
                                                   MissingField missing) {
  for (char c : {options.delimiter, options.quote, options.escape}) {
    if (IsLineEnd(c)) {
      return InvalidArgument("CSV: the delimiter, quote and escape cannot be CR or LF");
    }
  }
  if (options.delimiter == options.quote || options.delimiter == options.escape) {
    return InvalidArgument("CSV: the delimiter " + Printable(options.delimiter) +
                           " is also the quote or the escape");
  }
  if (target == nullptr || source_fields.size() != target->num_fields()) {
    return InvalidArgument("CSV reader: " + std::to_string(source_fields.size()) +
                           " source fields for " +
                           std::to_string(target == nullptr ? 0 : target->num_fields()) +
                           " target fields");
  }
  CQLBULK_ASSIGN_OR_RETURN(ValueParser parser, ValueParser::Make(options.text));
  std::unique_ptr<CsvReader> reader(new CsvReader(in, std::move(source_name), std::move(target),
                                                  std::move(source_fields), options, missing,
                                                  std::move(parser)));
  CQLBULK_RETURN_IF_ERROR(reader->ReadHeader());
  return reader;
}

Status CsvReader::Refill() {
  size_t pending = buffer_.size() - pos_;
  if (pending > kMaxRecordBytes) {
    return Corrupt(source_name_ + ": the record at line " + std::to_string(line_ + 1) +
                   " is longer than " + std::to_string(kMaxRecordBytes >> 20) +
                   " MiB (an unterminated quote?)");
  }
  CQLBULK_RETURN_IF_ERROR(buffer_.Refill(pos_));
  pos_ = 0;
  return OkStatus();
}

Status CsvReader::ReadHeader() {
  // A UTF-8 byte order mark goes before anything else.
  while (buffer_.size() < 3 && !buffer_.eof()) {
    CQLBULK_RETURN_IF_ERROR(buffer_.Refill(0));
  }
  if (buffer_.size() >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) {
    pos_ = 3;
  }
  size_t num_fields = target_->num_fields();
  column_source_.assign(num_fields, -1);
  if (!options_.header) {
    for (size_t i = 0; i < num_fields; ++i) {
      const std::string& name = source_fields_[i];
      int64_t index = -1;
      auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
      if (ec != std::errc() || ptr != name.data() + name.size() || index < 0) {
        return InvalidArgument("CSV without a header: source field '" + name +
                               "' is not a 0-based column index");
      }
      column_source_[i] = index;
    }
    return OkStatus();
  }
  Scan scan;
  while ((scan = ScanRecord()) == Scan::kNeedMore) {
    CQLBULK_RETURN_IF_ERROR(Refill());
  }
  if (scan == Scan::kEnd) {
    return OkStatus();  // an empty input: no header, no records
  }
  if (record_problem_ != nullptr) {
    return InvalidArgument(source_name_ + ": CSV header: " + record_problem_);
  }
  has_header_line_ = true;
  for (const FieldSpan& field : fields_) {
    header_.emplace_back(FieldText(field));
  }
  line_ += record_lines_;
  pos_ = record_next_;
  for (size_t i = 0; i < num_fields; ++i) {
    for (size_t h = 0; h < header_.size(); ++h) {
      if (header_[h] == source_fields_[i]) {
        column_source_[i] = static_cast<int64_t>(h);
        break;
      }
    }
    if (column_source_[i] < 0 && missing_ == MissingField::kError) {
      return InvalidArgument(source_name_ + ": the CSV header has no column '" +
                             source_fields_[i] + "'");
    }
  }
  return OkStatus();
}

CsvReader::Scan CsvReader::ScanRecord() {
  const char* base = buffer_.data();
  const char* end = base + buffer_.size();
  const bool eof = buffer_.eof();
  const char* p = base + pos_;
  // Blank lines: consumed for good, so a refill does not count them twice.
  for (;;) {
    if (p == end) {
      pos_ = buffer_.size();
      return eof ? Scan::kEnd : Scan::kNeedMore;
    }
    if (*p == '\n') {
      ++p;
      ++line_;
    } else if (*p == '\r') {
      if (p + 1 == end && !eof) {
        pos_ = static_cast<size_t>(p - base);
        return Scan::kNeedMore;
      }
      p += (p + 1 != end && p[1] == '\n') ? 2 : 1;
      ++line_;
    } else {
      break;
    }
  }
  pos_ = static_cast<size_t>(p - base);
  record_begin_ = pos_;
  record_problem_ = nullptr;
  fields_.clear();
  int64_t newlines = 0;
  const char quote = options_.quote;
  const char escape = options_.escape;
  const char delimiter = options_.delimiter;
  for (;;) {
    FieldSpan field{};
    if (*p == quote && p != end) {
      field.flags = kQuoted;
      field.begin = static_cast<uint32_t>(++p - base);
      for (;;) {
        p = ScanTo(p, end, quote, escape, '\n', quoted_stop_);
        if (p == end) {
          if (!eof) return Scan::kNeedMore;
          record_problem_ = "unterminated quoted field";
          field.end = static_cast<uint32_t>(p - base);
          break;
        }
        char c = *p;
        if (c == '\n') {  // neither the quote nor the escape (Make checks)
          ++newlines;
          ++p;
          continue;
        }
        if (c == quote) {
          if (escape == quote) {
            if (p + 1 == end && !eof) return Scan::kNeedMore;
            if (p + 1 != end && p[1] == quote) {
              field.flags |= kEscaped;
              p += 2;
              continue;
            }
          }
          field.end = static_cast<uint32_t>(p - base);
          ++p;
          break;
        }
        // The escape character (not the quote): it escapes a quote or itself, else it is
        // just a character.
        if (p + 1 == end && !eof) return Scan::kNeedMore;
        if (p + 1 != end && (p[1] == quote || p[1] == escape)) {
          field.flags |= kEscaped;
          p += 2;
          continue;
        }
        ++p;
      }
      if (p != end && *p != delimiter && !IsLineEnd(*p)) {
        if (record_problem_ == nullptr) {
          record_problem_ = "text after the closing quote of a field";
        }
        p = ScanTo(p, end, delimiter, '\n', '\r', unquoted_stop_);
        field.end = static_cast<uint32_t>(p - base);
      }
    } else {
      field.begin = static_cast<uint32_t>(p - base);
      p = ScanTo(p, end, delimiter, '\n', '\r', unquoted_stop_);
      field.end = static_cast<uint32_t>(p - base);
    }
    fields_.push_back(field);
    if (p == end) {
      if (!eof) return Scan::kNeedMore;
      record_end_ = static_cast<size_t>(p - base);
      record_next_ = record_end_;
      record_lines_ = newlines;
      return Scan::kRecord;
    }
    if (*p == delimiter) {
      ++p;
      continue;
    }
    record_end_ = static_cast<size_t>(p - base);
    if (*p == '\r') {
      if (p + 1 == end && !eof) return Scan::kNeedMore;
      p += (p + 1 != end && p[1] == '\n') ? 2 : 1;
    } else {
      ++p;
    }
    record_next_ = static_cast<size_t>(p - base);
    record_lines_ = newlines + 1;
    return Scan::kRecord;
  }
}

std::string_view CsvReader::Unescape(std::string_view text) {
  scratch_.clear();
  const char quote = options_.quote;
  const char escape = options_.escape;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == escape && i + 1 < text.size() && (text[i + 1] == quote || text[i + 1] == escape)) {
      ++i;
      c = text[i];
    }
    scratch_.push_back(c);
  }
  return scratch_;
}

void CsvReader::AddError(std::vector<RecordError>& errors, std::string field, std::string reason) {
  RecordError& error = errors.emplace_back();
  error.source = source_name_;
  error.line = line_ + 1;
  error.record = records_consumed_;
  error.field = std::move(field);
  error.text.assign(buffer_.data() + record_begin_, record_end_ - record_begin_);
  error.reason = std::move(reason);
}

bool CsvReader::CheckRecord(std::vector<RecordError>& errors) {
  ++records_consumed_;
  if (record_problem_ == nullptr && (!has_header_line_ || fields_.size() == header_.size()))
      [[likely]] {
    return true;
  }
  RefuseRecord(errors);
  return false;
}

void CsvReader::RefuseRecord(std::vector<RecordError>& errors) {
  if (record_problem_ != nullptr) {
    AddError(errors, {}, record_problem_);
    return;
  }
  AddError(errors, {},
           std::to_string(fields_.size()) + (fields_.size() == 1 ? " field" : " fields") +
               ", the header has " + std::to_string(header_.size()));
}

void CsvReader::ConvertRecord(data::BatchBuilder& builder, RecordInfo& info,
                              std::vector<RecordError>& errors) {
  if (!CheckRecord(errors)) [[unlikely]] {
    return;
  }
  size_t rows_before = builder.num_rows();
  const std::string& null_string = options_.text.null_string;
  size_t num_columns = column_source_.size();
  // unset_ is all zeros but for a record with a missing field, which clears it after: a byte
  // store per column would make every vector here be read again after it (uint8_t aliases).
  if (unset_marked_) [[unlikely]] {
    std::fill(unset_.begin(), unset_.end(), 0);
    unset_marked_ = false;
  }
  for (size_t i = 0; i < num_columns; ++i) {
    data::ColumnBuilder& column = builder.column(i);
    int64_t source = column_source_[i];
    Status status;
    if (source < 0 || static_cast<size_t>(source) >= fields_.size()) [[unlikely]] {
      bool unset = false;
      status = AppendMissingField(column, missing_, source_fields_[i], unset);
      if (unset) {
        unset_[i] = 1;
        unset_marked_ = true;
      }
    } else {
      const FieldSpan& field = fields_[static_cast<size_t>(source)];
      std::string_view text = FieldText(field);
      if ((field.flags & kQuoted) == 0 && text.size() == null_string.size() &&
          text == null_string) {
        status = ValueParser::AppendNull(column);
      } else {
        status = parser_.AppendText(text, column);
      }
    }
    if (!status.has_value()) [[unlikely]] {
      builder.Truncate(rows_before);
      AddError(errors, source_fields_[i], std::move(status).error().message());
      return;
    }
  }
  AddRecordInfo(info, line_ + 1, records_consumed_,
                std::string_view(buffer_.data() + record_begin_, record_end_ - record_begin_),
                unset_);
}

void CsvReader::SinkRecord(RecordSink& sink, RecordInfo& info,
                           std::vector<RecordError>& errors) {
  if (!CheckRecord(errors)) [[unlikely]] {
    return;
  }
  const std::string& null_string = options_.text.null_string;
  const size_t num_columns = column_source_.size();
  // Escaped fields are unescaped one after another into unescaped_, with room for all of them
  // made first, so that the views into it stay valid.
  unescaped_.clear();
  bool reserved = false;
  if (unset_marked_) [[unlikely]] {
    std::fill(unset_.begin(), unset_.end(), 0);
    unset_marked_ = false;
  }
  // The loop's inputs in locals: each RecordField's one-byte state may alias any of them, so
  // members would be loaded again after every field.
  const char* const data = buffer_.data();
  const FieldSpan* const spans = fields_.data();
  const size_t num_spans = fields_.size();
  const int64_t* const sources = column_source_.data();
  RecordField* const outs = field_texts_.data();
  const std::string_view null_text = null_string;
  const bool by_header = has_header_line_;
  for (size_t i = 0; i < num_columns; ++i) {
    RecordField& out = outs[i];
    const int64_t source = sources[i];
    // With a header, CheckRecord saw as many fields as it has: a source is one of them.
    if (source < 0 || (!by_header && static_cast<size_t>(source) >= num_spans)) [[unlikely]] {
      out = {.text = {}, .state = RecordField::State::kMissing};
      // What AppendMissingField notes (the sink decides the value and the error).
      if (missing_ == MissingField::kUnset) {
        unset_[i] = 1;
        unset_marked_ = true;
      }
      continue;
    }
    const FieldSpan& field = spans[static_cast<size_t>(source)];
    std::string_view text(data + field.begin, field.end - field.begin);
    if ((field.flags & kEscaped) != 0) [[unlikely]] {
      if (!reserved) {
        unescaped_.reserve(record_end_ - record_begin_);
        reserved = true;
      }
      const size_t at = unescaped_.size();
      unescaped_.append(Unescape(text));
      text = std::string_view(unescaped_).substr(at);
    }
    const bool is_null = (field.flags & kQuoted) == 0 && text.size() == null_text.size() &&
                         text == null_text;
    out = {.text = text, .state = is_null ? RecordField::State::kNull : RecordField::State::kText};
  }
  size_t column = 0;
  Status added = sink.Add(field_texts_, column);
  if (!added.has_value()) [[unlikely]] {
    AddError(errors, column < source_fields_.size() ? source_fields_[column] : std::string(),
             std::move(added).error().message());
    return;
  }
  const std::string_view record(buffer_.data() + record_begin_, record_end_ - record_begin_);
  if (!unset_marked_ && info.unset.empty()) [[likely]] {
    AddSetRecordInfo(info, line_ + 1, records_consumed_, record);  // what AddRecordInfo does
  } else {
    AddRecordInfo(info, line_ + 1, records_consumed_, record, unset_);
  }
}

template <typename Convert>
Result<size_t> CsvReader::ReadRecords(size_t max_records, RecordInfo& info, Convert convert) {
  size_t consumed = 0;
  const size_t rows_before = info.size();
  ReserveRecordInfo(info, max_records, 0);
  while (consumed < max_records) {
    Scan scan = ScanRecord();
    if (scan == Scan::kNeedMore) {
      Status refilled = Refill();
      if (!refilled.has_value()) {
        pending_error_ = refilled.error();
        if (consumed > 0) {
          return consumed;
        }
        return std::move(refilled).error();
      }
      continue;
    }
    if (scan == Scan::kEnd) {
      break;
    }
    convert();
    if (info.size() == rows_before + 1 && max_records > consumed + 1) {
      // The first row's text: room for the others, of about its size, at once.
      ReserveRecordInfo(info, 0, (max_records - consumed - 1) * (info.Text(rows_before).size() + 16));
    }
    line_ += record_lines_;
    pos_ = record_next_;
    ++consumed;
  }
  return consumed;
}

Result<size_t> CsvReader::Read(data::BatchBuilder& builder, size_t max_records,
                               RecordInfo& info, std::vector<RecordError>& errors) {
  if (pending_error_.has_value()) {
    return *pending_error_;
  }
  if (builder.num_columns() != column_source_.size()) {
    return InvalidArgument("CSV reader: the builder has " + std::to_string(builder.num_columns()) +
                           " columns, the target schema " + std::to_string(column_source_.size()));
  }
  return ReadRecords(max_records, info, [&] { ConvertRecord(builder, info, errors); });
}

Result<size_t> CsvReader::ReadFields(RecordSink& sink, size_t max_records, RecordInfo& info,
                                     std::vector<RecordError>& errors) {
  if (pending_error_.has_value()) {
    return *pending_error_;
  }
  field_texts_.resize(column_source_.size());
  return ReadRecords(max_records, info, [&] { SinkRecord(sink, info, errors); });
}

}  // namespace cqlbulk::formats
