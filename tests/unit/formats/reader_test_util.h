// SPDX-License-Identifier: Apache-2.0
// Helpers of the formats reader tests: one-value parses, streams that return few bytes per
// read, batches as text.
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/debug_string.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/text/json_parse.h"
#include "cqlbulk/formats/text/record.h"
#include "cqlbulk/formats/text/value_parse.h"

namespace cqlbulk::formats::testing {

inline data::SchemaPtr OneColumn(data::LogicalTypePtr type, bool nullable = true) {
  return std::make_shared<data::Schema>(
      data::Schema{{data::Field{.name = "c", .type = std::move(type), .nullable = nullable}}});
}

/// Fields "name: type" in order, all nullable.
inline data::SchemaPtr Columns(std::vector<std::pair<std::string, data::LogicalTypePtr>> fields) {
  auto schema = std::make_shared<data::Schema>();
  for (auto& [name, type] : fields) {
    schema->fields.push_back(data::Field{.name = name, .type = type});
  }
  return schema;
}

/// The value `text` reads as (DebugString of the cell), or "error: <message>".
inline std::string ParseText(data::LogicalTypePtr type, std::string_view text,
                             const TextOptions& options = {}) {
  auto parser = ValueParser::Make(options);
  if (!parser.has_value()) return "make error: " + parser.error().message();
  data::BatchBuilder builder(OneColumn(std::move(type)), 1);
  Status status = parser->AppendText(text, builder.column(0));
  if (!status.has_value()) return "error: " + status.error().message();
  auto batch = builder.Finish();
  if (!batch.has_value()) return "finish error: " + batch.error().message();
  return data::DebugString(batch->column(0), 0);
}

/// The value the JSON text `json` reads as, or "error: <message>".
inline std::string ParseJson(data::LogicalTypePtr type, std::string_view json,
                             const TextOptions& options = {}) {
  auto parser = ValueParser::Make(options);
  if (!parser.has_value()) return "make error: " + parser.error().message();
  JsonDocument document;
  Status parsed = document.Parse(json);
  if (!parsed.has_value()) return "json error: " + parsed.error().message();
  data::BatchBuilder builder(OneColumn(std::move(type)), 1);
  Status status = parser->AppendJson(document.root(), builder.column(0));
  if (!status.has_value()) return "error: " + status.error().message();
  auto batch = builder.Finish();
  if (!batch.has_value()) return "finish error: " + batch.error().message();
  return data::DebugString(batch->column(0), 0);
}

/// Every row of a batch, one per line.
inline std::string Rows(const data::Batch& batch) {
  std::string out;
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    out += data::DebugString(batch, row) + "\n";
  }
  return out;
}

/// Bytes held in memory, returned at most `max_read` at a time (to cut records anywhere).
class TrickleInputStream final : public InputStream {
 public:
  TrickleInputStream(std::string data, size_t max_read)
      : data_(std::move(data)), max_read_(max_read) {}

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out) override {
    size_t n = std::min({out.size(), max_read_, data_.size() - pos_});
    std::memcpy(out.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t max_read_;
  size_t pos_ = 0;
};

/// What a reader produced: the rows, their lines, records and texts, the errors.
struct ReadResult {
  std::string rows;
  std::vector<int64_t> lines;
  std::vector<int64_t> records;
  std::vector<std::string> texts;
  std::vector<std::vector<uint8_t>> unset;
  std::vector<RecordError> errors;
  size_t consumed = 0;
  std::string error;  // the Read error that ended it, if any
};

/// Reads everything from `reader` into batches of its schema, `max_records` at a time.
inline ReadResult ReadAllRecords(RecordReader& reader, data::SchemaPtr schema,
                                 size_t max_records = 1000) {
  ReadResult result;
  data::BatchBuilder builder(schema, 16);
  RecordInfo info;
  for (;;) {
    Result<size_t> n = reader.Read(builder, max_records, info, result.errors);
    if (!n.has_value()) {
      result.error = n.error().ToString();
      break;
    }
    result.consumed += *n;
    if (*n == 0) break;
  }
  auto batch = builder.Finish();
  if (!batch.has_value()) {
    result.error += "finish: " + batch.error().message();
    return result;
  }
  result.rows = Rows(*batch);
  result.lines = info.lines;
  result.records = info.records;
  for (size_t i = 0; i < info.size(); ++i) result.texts.emplace_back(info.Text(i));
  result.unset = info.unset;
  return result;
}

inline std::string ErrorsToString(const std::vector<RecordError>& errors) {
  std::string out;
  for (const RecordError& e : errors) {
    out += e.source + ":" + std::to_string(e.line) + " #" + std::to_string(e.record) + " [" +
           e.field + "] " + e.reason + " <" + e.text + ">\n";
  }
  return out;
}

}  // namespace cqlbulk::formats::testing
