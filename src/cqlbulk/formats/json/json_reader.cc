// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/json/json_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::formats {

namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Member positions whose keys are remembered between objects.
constexpr size_t kMaxCachedMembers = 256;

}  // namespace

JsonReader::JsonReader(InputStream& in, std::string source_name, data::SchemaPtr target,
                       std::vector<std::string> source_fields, MissingField missing,
                       ValueParser parser)
    : buffer_(in),
      source_name_(std::move(source_name)),
      target_(std::move(target)),
      source_fields_(std::move(source_fields)),
      missing_(missing),
      parser_(std::move(parser)) {
  for (size_t i = 0; i < source_fields_.size(); ++i) {
    auto existing = std::find_if(keys_.begin(), keys_.end(),
                                 [&](const Key& key) { return key.name == source_fields_[i]; });
    if (existing == keys_.end()) {
      keys_.push_back(Key{source_fields_[i], {i}});
    } else {
      existing->targets.push_back(i);
    }
  }
  for (size_t k = 0; k < keys_.size(); ++k) {
    key_index_.emplace(keys_[k].name, static_cast<int32_t>(k));
  }
  values_.assign(source_fields_.size(), nullptr);
  unset_.assign(source_fields_.size(), 0);
}

Result<std::unique_ptr<JsonReader>> JsonReader::Make(InputStream& in, std::string source_name,
                                                     data::SchemaPtr target,
                                                     std::vector<std::string> source_fields,
                                                     const TextOptions& options,
                                                     MissingField missing) {
  if (target == nullptr || source_fields.size() != target->num_fields()) {
    return InvalidArgument("JSON reader: " + std::to_string(source_fields.size()) +
                           " source fields for " +
                           std::to_string(target == nullptr ? 0 : target->num_fields()) +
                           " target fields");
  }
  CQLBULK_ASSIGN_OR_RETURN(ValueParser parser, ValueParser::Make(options));
  return std::unique_ptr<JsonReader>(new JsonReader(in, std::move(source_name), std::move(target),
                                                    std::move(source_fields), missing,
                                                    std::move(parser)));
}

Status JsonReader::Refill() {
  size_t pending = buffer_.size() - pos_;
  if (pending > kMaxRecordBytes) {
    return Corrupt(source_name_ + ": the record at line " + std::to_string(line_ + 1) +
                   " is longer than " + std::to_string(kMaxRecordBytes >> 20) + " MiB");
  }
  CQLBULK_RETURN_IF_ERROR(buffer_.Refill(pos_));
  pos_ = 0;
  return OkStatus();
}

bool JsonReader::SkipSpace() {
  const char* base = buffer_.data();
  const char* end = base + buffer_.size();
  const char* p = base + pos_;
  while (p != end && IsJsonSpace(*p)) {
    if (*p == '\n') ++line_;
    ++p;
  }
  pos_ = static_cast<size_t>(p - base);
  return p != end;
}

void JsonReader::SetRecord(size_t begin, size_t end, size_t next, int64_t lines,
                           const char* problem) {
  record_begin_ = begin;
  record_end_ = end;
  record_next_ = next;
  record_lines_ = lines;
  record_problem_ = problem;
  record_start_line_ = line_ + 1;
}

JsonReader::Scan JsonReader::ScanRecord() {
  for (;;) {
    switch (state_) {
      case State::kStart: {
        if (!bom_checked_) {
          if (buffer_.size() - pos_ < 3 && !buffer_.eof()) return Scan::kNeedMore;
          bom_checked_ = true;
          if (buffer_.size() - pos_ >= 3 &&
              std::memcmp(buffer_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) {
            pos_ += 3;
          }
        }
        if (!SkipSpace()) return buffer_.eof() ? Scan::kEnd : Scan::kNeedMore;
        if (buffer_.data()[pos_] == '[') {
          ++pos_;
          state_ = State::kArrayOpen;
        } else {
          state_ = State::kLines;
        }
        continue;
      }
      case State::kLines:
        return ScanLine();
      default: {
        Scan scan = ScanArray();
        if (scan == Scan::kAgain) {
          continue;  // after ']': more input is read from the start again
        }
        return scan;
      }
    }
  }
}

JsonReader::Scan JsonReader::ScanLine() {
  for (;;) {
    const char* base = buffer_.data();
    const char* end = base + buffer_.size();
    const char* p = base + pos_;
    if (p == end) return buffer_.eof() ? Scan::kEnd : Scan::kNeedMore;
    const auto* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* line_end = end;
    const char* next = end;
    int64_t lines = 0;
    if (newline == nullptr) {
      if (!buffer_.eof()) return Scan::kNeedMore;
    } else {
      line_end = newline;
      next = newline + 1;
      lines = 1;
    }
    const char* text_end = line_end;
    if (text_end != p && text_end[-1] == '\r') --text_end;
    const char* q = p;
    while (q != text_end && IsJsonSpace(*q)) ++q;
    if (q == text_end) {  // a blank line
      line_ += lines;
      pos_ = static_cast<size_t>(next - base);
      continue;
    }
    SetRecord(pos_, static_cast<size_t>(text_end - base), static_cast<size_t>(next - base), lines,
              nullptr);
    return Scan::kRecord;
  }
}

JsonReader::Scan JsonReader::ScanArray() {
  constexpr const char* kNotClosed = "the JSON array is not closed (no ']' at the end)";
  for (;;) {
    if (!SkipSpace()) {
      if (!buffer_.eof()) return Scan::kNeedMore;
      SetRecord(pos_, pos_, pos_, 0, kNotClosed);
      state_ = State::kStart;
      return Scan::kRecord;
    }
    const char* base = buffer_.data();
    const char* end = base + buffer_.size();
    const char* p = base + pos_;
    switch (state_) {
      case State::kArrayOpen:
        if (*p == ']') {
          ++pos_;
          state_ = State::kStart;
          return Scan::kAgain;
        }
        state_ = State::kArrayValue;
        continue;
      case State::kArrayAfterValue:
        if (*p == ',') {
          ++pos_;
          state_ = State::kArrayValue;
        } else if (*p == ']') {
          ++pos_;
          state_ = State::kStart;
          return Scan::kAgain;
        } else {
          missing_comma_ = true;
          state_ = State::kArrayValue;
        }
        continue;
      default:
        break;
    }
    // A value: find where it ends (strings, nesting), counting its lines.
    const char* start = p;
    int64_t newlines = 0;
    bool complete = false;
    if (*p == '{' || *p == '[' || *p == '"') {
      int depth = 0;
      bool in_string = false;
      while (p != end) {
        char c = *p++;
        if (c == '\n') ++newlines;
        if (in_string) {
          if (c == '\\') {
            if (p == end) break;
            if (*p == '\n') ++newlines;
            ++p;
          } else if (c == '"') {
            in_string = false;
            if (depth == 0) {
              complete = true;
              break;
            }
          }
        } else if (c == '"') {
          in_string = true;
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            complete = true;
            break;
          }
        }
      }
    } else {
      while (p != end && *p != ',' && *p != ']' && *p != '}' && !IsJsonSpace(*p)) ++p;
      complete = p != end;
      if (p == start) {
        ++p;  // a stray '}' : take it as the (bad) value, so the scan moves on
        complete = true;
      }
    }
    if (!complete) {
      if (!buffer_.eof()) return Scan::kNeedMore;
      p = end;
    }
    const char* problem = missing_comma_ ? "expected ',' or ']' before this value" : nullptr;
    if (!complete && problem == nullptr) problem = kNotClosed;
    missing_comma_ = false;
    SetRecord(static_cast<size_t>(start - base), static_cast<size_t>(p - base),
              static_cast<size_t>(p - base), newlines, problem);
    state_ = complete ? State::kArrayAfterValue : State::kStart;
    return Scan::kRecord;
  }
}

int32_t JsonReader::FindKey(size_t member, std::string_view key) {
  if (member < member_keys_.size()) {
    int32_t cached = member_keys_[member];
    if (cached >= 0 ? keys_[static_cast<size_t>(cached)].name == key
                    : member_names_[member] == key) {
      return cached;
    }
  }
  auto it = key_index_.find(key);
  int32_t found = it == key_index_.end() ? -1 : it->second;
  if (member < kMaxCachedMembers) {
    if (member >= member_keys_.size()) {
      member_keys_.resize(member + 1, -1);
      member_names_.resize(member + 1);
    }
    member_keys_[member] = found;
    if (found < 0) {
      member_names_[member].assign(key);
    }
  }
  return found;
}

void JsonReader::AddError(std::vector<RecordError>& errors, std::string field,
                          std::string reason) {
  RecordError& error = errors.emplace_back();
  error.source = source_name_;
  error.line = record_start_line_;
  error.record = records_consumed_;
  error.field = std::move(field);
  error.text.assign(buffer_.data() + record_begin_, record_end_ - record_begin_);
  error.reason = std::move(reason);
}

void JsonReader::ConvertRecord(data::BatchBuilder& builder, RecordInfo& info,
                               std::vector<RecordError>& errors) {
  ++records_consumed_;
  if (record_problem_ != nullptr) [[unlikely]] {
    AddError(errors, {}, record_problem_);
    return;
  }
  std::string_view text(buffer_.data() + record_begin_, record_end_ - record_begin_);
  Status parsed = document_.Parse(text);
  if (!parsed.has_value()) [[unlikely]] {
    AddError(errors, {}, std::move(parsed).error().message());
    return;
  }
  JsonValue root = document_.root();
  if (root.type() != JsonType::kObject) [[unlikely]] {
    AddError(errors, {}, "not a JSON object");
    return;
  }
  std::fill(values_.begin(), values_.end(), nullptr);
  size_t member = 0;
  for (JsonMember m : root.members()) {
    int32_t key = FindKey(member++, m.key);
    if (key < 0) {
      continue;
    }
    for (size_t target : keys_[static_cast<size_t>(key)].targets) {
      if (values_[target] != nullptr) [[unlikely]] {
        AddError(errors, std::string(m.key), "key " + QuoteForError(m.key) + " twice");
        return;
      }
      values_[target] = m.value.node();
    }
  }
  size_t rows_before = builder.num_rows();
  for (size_t i = 0; i < values_.size(); ++i) {
    data::ColumnBuilder& column = builder.column(i);
    Status status;
    if (values_[i] == nullptr) [[unlikely]] {
      bool unset = false;
      status = AppendMissingField(column, missing_, source_fields_[i], unset);
      unset_[i] = unset ? 1 : 0;
    } else {
      unset_[i] = 0;
      status = parser_.AppendJson(JsonValue(values_[i]), column);
    }
    if (!status.has_value()) [[unlikely]] {
      builder.Truncate(rows_before);
      AddError(errors, source_fields_[i], std::move(status).error().message());
      return;
    }
  }
  AddRecordInfo(info, record_start_line_, records_consumed_, text, unset_);
}

Result<size_t> JsonReader::Read(data::BatchBuilder& builder, size_t max_records,
                                RecordInfo& info, std::vector<RecordError>& errors) {
  if (pending_error_.has_value()) {
    return *pending_error_;
  }
  if (builder.num_columns() != values_.size()) {
    return InvalidArgument("JSON reader: the builder has " +
                           std::to_string(builder.num_columns()) + " columns, the target schema " +
                           std::to_string(values_.size()));
  }
  size_t consumed = 0;
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
    ConvertRecord(builder, info, errors);
    line_ += record_lines_;
    pos_ = record_next_;
    ++consumed;
  }
  return consumed;
}

}  // namespace cqlbulk::formats
