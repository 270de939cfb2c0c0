// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/text/json_parse.h"
#include "cqlbulk/formats/text/record.h"
#include "cqlbulk/formats/text/record_input.h"
#include "cqlbulk/formats/text/text_options.h"
#include "cqlbulk/formats/text/value_parse.h"

namespace cqlbulk::formats {

/// \brief Reads JSON objects into batches of a target schema: JSON lines (one object per
/// line, blank lines skipped) or one top-level array of objects (what DataStax Bulk Loader
/// writes in either mode; pretty-printed elements too). A file whose first non-blank byte is
/// '[' is an array; after its ']' more input is read the same way again.
///
/// `source_fields[i]` is the key whose value feeds target field i (ValueParser::AppendJson);
/// a key absent from an object is decided by MissingField per record, other keys are
/// ignored. A record that is not valid JSON (JsonDocument: strict RFC 8259), not an object,
/// names a key twice, or holds a value that does not convert becomes a RecordError and adds
/// no row. The input is read in chunks of 1 MiB; one document is reused for every record.
/// Not thread-safe.
class JsonReader final : public RecordReader {
 public:
  /// \brief A reader of `in` (which must outlive it), named `source_name` in errors.
  /// kInvalidArgument for bad text options or `source_fields` not one per target field.
  static Result<std::unique_ptr<JsonReader>> Make(InputStream& in, std::string source_name,
                                                  data::SchemaPtr target,
                                                  std::vector<std::string> source_fields,
                                                  const TextOptions& options,
                                                  MissingField missing);

  Result<size_t> Read(data::BatchBuilder& builder, size_t max_records, RecordInfo& info,
                      std::vector<RecordError>& errors) override;
  int64_t records_consumed() const noexcept override { return records_consumed_; }

 private:
  enum class State : uint8_t {
    kStart,           // before the first value (and after an array's ']')
    kLines,           // JSON lines
    kArrayOpen,       // after '['
    kArrayValue,      // a value is next (after ',')
    kArrayAfterValue  // ',' or ']' is next
  };
  enum class Scan : uint8_t { kRecord, kNeedMore, kEnd, kAgain /* ScanArray: an array ended */ };
  struct Key {
    std::string name;
    std::vector<size_t> targets;  // target fields fed by this key
  };

  JsonReader(InputStream& in, std::string source_name, data::SchemaPtr target,
             std::vector<std::string> source_fields, MissingField missing, ValueParser parser);

  Scan ScanRecord();
  Scan ScanLine();
  Scan ScanArray();
  /// Skips whitespace from pos_, counting lines; false when the buffer ended first.
  bool SkipSpace();
  Status Refill();
  void SetRecord(size_t begin, size_t end, size_t next, int64_t lines, const char* problem);
  /// The index in keys_ of `key`, or -1.
  int32_t FindKey(size_t member, std::string_view key);
  void ConvertRecord(data::BatchBuilder& builder, RecordInfo& info,
                     std::vector<RecordError>& errors);
  void AddError(std::vector<RecordError>& errors, std::string field, std::string reason);

  InputBuffer buffer_;
  std::string source_name_;
  data::SchemaPtr target_;
  std::vector<std::string> source_fields_;
  MissingField missing_;
  ValueParser parser_;
  JsonDocument document_;
  std::vector<Key> keys_;
  std::unordered_map<std::string_view, int32_t> key_index_;  // views into keys_
  /// Per member position: the key index the previous object had there (-1: not a source
  /// field, whose text is in member_names_), so objects with the same keys in the same order
  /// resolve each key with one comparison.
  std::vector<int32_t> member_keys_;
  std::vector<std::string> member_names_;
  std::vector<const JsonNode*> values_;  // per target field, for the current record

  State state_ = State::kStart;
  size_t pos_ = 0;
  int64_t line_ = 0;  // line ends consumed before pos_
  bool bom_checked_ = false;
  size_t record_begin_ = 0;
  size_t record_end_ = 0;
  size_t record_next_ = 0;
  int64_t record_lines_ = 0;
  int64_t record_start_line_ = 0;
  const char* record_problem_ = nullptr;
  bool missing_comma_ = false;

  std::vector<uint8_t> unset_;
  int64_t records_consumed_ = 0;
  std::optional<Error> pending_error_;
};

}  // namespace cqlbulk::formats
