// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/text/record_input.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "cqlbulk/formats/text/json_parse.h"

namespace cqlbulk::formats {

InputBuffer::InputBuffer(InputStream& in, size_t chunk_bytes, char sentinel)
    : in_(in), chunk_bytes_(std::max<size_t>(chunk_bytes, 16)), sentinel_(sentinel) {
  capacity_ = chunk_bytes_;
  data_ = std::make_unique_for_overwrite<char[]>(capacity_ + 1);
  data_[0] = sentinel_;
}

Result<size_t> InputBuffer::Refill(size_t keep_from) {
  keep_from = std::min(keep_from, size_);
  size_t kept = size_ - keep_from;
  if (keep_from > 0) {
    std::memmove(data_.get(), data_.get() + keep_from, kept);
    offset_ += keep_from;
    size_ = kept;
  }
  if (capacity_ - size_ < chunk_bytes_ / 2) {
    size_t capacity = std::max(capacity_ * 2, size_ + chunk_bytes_);
    auto grown = std::make_unique_for_overwrite<char[]>(capacity + 1);
    std::memcpy(grown.get(), data_.get(), size_);
    data_ = std::move(grown);
    capacity_ = capacity;
  }
  size_t added = 0;
  if (!eof_) {
    auto out = std::span<uint8_t>(reinterpret_cast<uint8_t*>(data_.get() + size_), capacity_ - size_);
    Result<size_t> n = in_.Read(out);
    if (!n.has_value()) {
      data_[size_] = sentinel_;
      return std::move(n).error();
    }
    added = *n;
    eof_ = added == 0;
    size_ += added;
  }
  data_[size_] = sentinel_;
  return added;
}

Status AppendMissingField(data::ColumnBuilder& column, MissingField rule,
                          std::string_view source_field, bool& unset) {
  if (rule == MissingField::kError || !column.field().nullable) {
    return InvalidArgument("missing field " + QuoteForError(source_field));
  }
  column.AppendNull();
  unset = rule == MissingField::kUnset;
  return OkStatus();
}

void AddRecordInfo(RecordInfo& info, int64_t line, int64_t record, std::string_view text,
                   const std::vector<uint8_t>& unset) {
  size_t row = info.lines.size();
  AddSetRecordInfo(info, line, record, text);
  // Most records have every field, and most chunks no unset column: nothing more to note.
  if (info.unset.empty() &&
      std::all_of(unset.begin(), unset.end(), [](uint8_t u) { return u == 0; })) {
    return;
  }
  if (info.unset.size() < unset.size()) {
    info.unset.resize(unset.size());
  }
  for (size_t c = 0; c < unset.size(); ++c) {
    std::vector<uint8_t>& flags = info.unset[c];
    if (unset[c] != 0) {
      if (flags.size() < row) {
        flags.resize(row, 0);
      }
      flags.push_back(1);
    } else if (!flags.empty()) {
      flags.push_back(0);
    }
  }
}

void ReserveRecordInfo(RecordInfo& info, size_t rows, size_t text_bytes) {
  const size_t size = info.size();
  if (info.lines.capacity() < size + rows) {
    info.lines.reserve(size + rows);
    info.records.reserve(size + rows);
    info.text_end.reserve(size + rows);
  }
  if (info.text.capacity() < info.text.size() + text_bytes) {
    info.text.reserve(info.text.size() + text_bytes);
  }
}

}  // namespace cqlbulk::formats
