// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/formats/csv/csv_options.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/text/record.h"
#include "cqlbulk/formats/text/value_format.h"

namespace cqlbulk::formats {

/// \brief When a CSV field must be quoted in a dialect: it contains the delimiter, the quote,
/// the escape, CR or LF, starts or ends with a space, is empty, or equals the null string.
class CsvQuoting {
 public:
  explicit CsvQuoting(const CsvOptions& options);

  bool NeedsQuotes(std::string_view field) const noexcept {
    if (field.empty() || field.front() == ' ' || field.back() == ' ' || HasSpecial(field)) {
      return true;
    }
    return !null_string_.empty() && field == null_string_;
  }
  /// Whether `field` holds the delimiter, the quote, the escape, CR or LF.
  bool HasSpecial(std::string_view field) const noexcept;

 private:
  char delimiter_;
  char quote_;
  char escape_;
  std::string null_string_;
  std::array<bool, 256> special_{};  // delimiter, quote, escape, CR, LF
};

/// \brief Writes batches as CSV records (RFC 4180), values in the forms of formats/README.md.
///
/// A field is quoted when it contains the delimiter, the quote, the escape, CR or LF, starts
/// or ends with a space, is empty, or equals the null string; a null cell is the null string
/// unquoted. Output is buffered and written to the stream in pieces of about 64 KiB; call
/// Flush() at the end (the destructor writes nothing). The header line, when asked for, is
/// the first thing written. Not thread-safe.
class CsvWriter final : public RecordWriter {
 public:
  /// \brief A writer of `schema`'s rows to `out` (which must outlive it). kInvalidArgument
  /// for bad text options (ValueFormatter::Make) or an ambiguous dialect: a delimiter,
  /// quote or escape that is CR or LF, a delimiter equal to the quote or escape, an empty
  /// line end, or a null string holding the delimiter, the quote, CR or LF.
  static Result<std::unique_ptr<CsvWriter>> Make(OutputStream& out, data::SchemaPtr schema,
                                                 CsvOptions options);

  /// \brief OK when Make would take `options`, else Make's kInvalidArgument.
  static Status CheckOptions(const CsvOptions& options);
  /// \brief Whether the text of a non-null value of `type` can need quoting in the dialect
  /// `options` (else the writer copies it without a scan).
  static bool MayNeedQuotes(const data::LogicalType& type, const CsvOptions& options);

  /// kInvalidArgument when the batch's schema is not the writer's; kIo from the stream.
  Status Write(const data::Batch& batch) override;
  Status Write(const data::Batch& batch, size_t begin, size_t end) override;
  Status Flush() override;
  int64_t records_written() const noexcept override { return records_written_; }

 private:
  CsvWriter(OutputStream& out, data::SchemaPtr schema, CsvOptions options,
            ValueFormatter formatter);

  char* Grow(size_t n) { return reinterpret_cast<char*>(buffer_.Grow(n)); }
  void Append(std::string_view text);
  /// Quotes buffer_[start, end) in place when it needs quoting.
  void QuoteIfNeeded(size_t start);

  OutputStream& out_;
  data::SchemaPtr schema_;
  CsvOptions options_;
  ValueFormatter formatter_;
  CsvQuoting quoting_;
  /// Per column: whether its text may need quoting (else it is written without a scan).
  std::vector<uint8_t> check_quotes_;  // bytes, not std::vector<bool>: read per cell
  /// Per column: whether it is nested (its text goes through scratch_).
  std::vector<uint8_t> nested_;
  data::Buffer buffer_;  // what is not yet written to out_
  std::string scratch_;
  int64_t records_written_ = 0;
};

}  // namespace cqlbulk::formats
