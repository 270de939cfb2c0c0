// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/formats/csv/csv_options.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/text/record.h"
#include "cqlbulk/formats/text/record_input.h"
#include "cqlbulk/formats/text/value_parse.h"

namespace cqlbulk::formats {

/// \brief Reads CSV records (RFC 4180) into batches of a target schema.
///
/// Fields may be quoted (then they hold delimiters, quotes escaped as `escape` + quote, and
/// line ends); records end with LF or CRLF (a lone CR too); a UTF-8 byte order mark at the
/// start and blank lines are skipped. An unquoted field equal to `options.text.null_string`
/// is null; other fields are read by ValueParser (so an empty quoted field is an empty
/// string, and null for non-string kinds).
///
/// With a header, `source_fields[i]` names the header column that feeds target field i, and
/// a record whose field count differs from the header's is bad; without one it is the
/// column's 0-based index as decimal text, and a record too short for it lacks the field
/// (MissingField decides). A bad record (bad quoting, wrong field count, a value that does
/// not parse, invalid UTF-8) becomes a RecordError and adds no row. The input is read in
/// chunks of 1 MiB and parsed in place; no allocation per value. Not thread-safe.
class CsvReader final : public RecordReader {
 public:
  /// \brief A reader of `in` (which must outlive it), named `source_name` in errors, that
  /// reads the header (if any) now. kInvalidArgument for bad options (a delimiter, quote or
  /// escape that is CR or LF, a delimiter equal to the quote or escape, bad text options),
  /// `source_fields` not one per target field, a header without a column that
  /// `source_fields` names when `missing` is kError, or an unreadable header; the stream's
  /// error if reading the header fails. An empty input has no header and no records.
  static Result<std::unique_ptr<CsvReader>> Make(InputStream& in, std::string source_name,
                                                 data::SchemaPtr target,
                                                 std::vector<std::string> source_fields,
                                                 const CsvOptions& options, MissingField missing);

  Result<size_t> Read(data::BatchBuilder& builder, size_t max_records, RecordInfo& info,
                      std::vector<RecordError>& errors) override;
  int64_t records_consumed() const noexcept override { return records_consumed_; }

  /// \brief Read, but each good record's fields go to `sink`, which converts them (one
  /// RecordField per target field: its text unescaped, the null string or a missing field), in
  /// place of the reader's ValueParser and a batch. A record `sink` refuses is a RecordError
  /// naming the source field of the column it gives; the rest (bad records, `info`, resume
  /// positions) is as Read's.
  Result<size_t> ReadFields(RecordSink& sink, size_t max_records, RecordInfo& info,
                            std::vector<RecordError>& errors);

  /// The header's field names (empty without a header).
  const std::vector<std::string>& header() const noexcept { return header_; }

 private:
  static constexpr uint8_t kQuoted = 1;   ///< the field was quoted
  static constexpr uint8_t kEscaped = 2;  ///< and holds escapes to undo
  struct FieldSpan {
    uint32_t begin;
    uint32_t end;
    uint8_t flags;  // kQuoted | kEscaped
  };
  enum class Scan : uint8_t { kRecord, kNeedMore, kEnd };

  CsvReader(InputStream& in, std::string source_name, data::SchemaPtr target,
            std::vector<std::string> source_fields, const CsvOptions& options,
            MissingField missing, ValueParser parser);

  Status ReadHeader();
  /// Splits the record at pos_ into fields_; kNeedMore when it runs past the buffer.
  Scan ScanRecord();
  /// Refills the buffer keeping the bytes from pos_; an error if the stream fails or a
  /// record grows past kMaxRecordBytes.
  Status Refill();
  /// A field's text, unescaped into scratch_ when it holds escapes.
  std::string_view FieldText(const FieldSpan& field) {
    std::string_view text(buffer_.data() + field.begin, field.end - field.begin);
    return (field.flags & kEscaped) == 0 ? text : Unescape(text);
  }
  std::string_view Unescape(std::string_view text);
  void ConvertRecord(data::BatchBuilder& builder, RecordInfo& info,
                     std::vector<RecordError>& errors);
  void SinkRecord(RecordSink& sink, RecordInfo& info, std::vector<RecordError>& errors);
  /// Counts the record; false, with its error added, when it is bad as a whole.
  [[gnu::always_inline]] inline bool CheckRecord(std::vector<RecordError>& errors);
  /// CheckRecord's error for a record bad as a whole (out of line: rare).
  [[gnu::noinline]] void RefuseRecord(std::vector<RecordError>& errors);
  template <typename Convert>
  Result<size_t> ReadRecords(size_t max_records, RecordInfo& info, Convert convert);
  void AddError(std::vector<RecordError>& errors, std::string field, std::string reason);

  InputBuffer buffer_;
  std::string source_name_;
  data::SchemaPtr target_;
  std::vector<std::string> source_fields_;
  CsvOptions options_;
  MissingField missing_;
  ValueParser parser_;
  std::array<uint8_t, 256> unquoted_stop_{};  // delimiter, CR, LF
  std::array<uint8_t, 256> quoted_stop_{};    // quote, escape, LF
  std::vector<std::string> header_;
  bool has_header_line_ = false;
  std::vector<int64_t> column_source_;  // per target field: field index in a record, or -1

  // Scanning state.
  size_t pos_ = 0;     // start of the next record in buffer_
  int64_t line_ = 0;   // line ends consumed before pos_
  std::vector<FieldSpan> fields_;
  size_t record_begin_ = 0;
  size_t record_end_ = 0;    // without the line end
  size_t record_next_ = 0;   // after the line end
  int64_t record_lines_ = 0;  // line ends inside the record and after it
  const char* record_problem_ = nullptr;

  std::string scratch_;
  std::string unescaped_;             // SinkRecord: the record's escaped fields, unescaped
  std::vector<RecordField> field_texts_;  // SinkRecord: one per target field
  std::vector<uint8_t> unset_;
  bool unset_marked_ = false;  ///< unset_ has a 1 (ConvertRecord clears it before the next)
  int64_t records_consumed_ = 0;
  std::optional<Error> pending_error_;
};

}  // namespace cqlbulk::formats
