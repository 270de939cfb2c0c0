// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/avro/schema.h"
#include "cqlbulk/formats/avro/value.h"

namespace cqlbulk::formats::avro {

class Resolution;

/// \brief The branch of union node `union_id` that `value` is written as: a Union value's own
/// branch; for any other value the first branch of the value's kind (a Null the null branch,
/// a Long the long branch, a Record the first record branch...). kInvalidArgument when the
/// union has no such branch.
Result<size_t> ChooseBranch(const Schema& schema, NodeId union_id, const Value& value);

/// \brief Appends the binary encoding ("Binary Encoding") of `value`, a value of node `id`:
/// zigzag varints for ints and longs, length-prefixed bytes and strings, arrays and maps as
/// one block then the end block, unions by branch index (ChooseBranch).
///
/// kInvalidArgument when `value` is not a value of the node (a kind that is not the type's, a
/// record with another number of fields, a fixed of another size, an enum index or union
/// branch out of range, a string that is not UTF-8), naming the path (`data_file.
/// record_count: expected long, got int`); `out` is then as it was.
Status Encode(const Schema& schema, NodeId id, const Value& value, data::Buffer& out);
inline Status Encode(const Schema& schema, const Value& value, data::Buffer& out) {
  return Encode(schema, schema.root(), value, out);
}

/// \brief Reads binary-encoded values of a schema from bytes, one after the other.
///
/// Every read is checked against the bytes left; a length, count or index that the input
/// cannot hold, an int out of range, a string that is not UTF-8, or nesting deeper than
/// kMaxDepth is kCorrupt, naming the path in the value and the byte offset:
/// `manifest_entry.data_file.file_path: string of 1000 bytes passes the end of the input
/// (20 bytes left) at byte 345`. Values that take no bytes (nulls, empty records) are
/// counted: at most the input's size plus 4096 of them in all, so that no count makes the
/// decoder loop or allocate without bound. `data` and `schema` must outlive the decoder.
class Decoder {
 public:
  static constexpr int kMaxDepth = 256;

  Decoder(const Schema& schema, BytesView data) noexcept;

  /// The next value of the schema's root.
  Result<Value> Next() { return Decode(schema_->root()); }
  /// The next value of node `id`.
  Result<Value> Decode(NodeId id);
  /// \brief The next value, written with this decoder's schema, read as the reader's schema
  /// of `resolution` (made for this writer's schema; resolve.h). Beside kCorrupt, a value
  /// the reader's schema cannot hold (an enum symbol it lacks, a union branch it has no
  /// match for) is kInvalidArgument.
  Result<Value> Next(const Resolution& resolution);

  size_t position() const noexcept { return pos_; }
  size_t remaining() const noexcept { return data_.size() - pos_; }
  bool empty() const noexcept { return pos_ == data_.size(); }

  /// \brief Counts `n` values that take no bytes against the budget; kCorrupt past it.
  Status SpendZeroSize(uint64_t n, std::string_view what);

 private:
  struct PathStep {
    const std::string* field = nullptr;  // a record field, or
    std::string_view key;                // a map key (a view of the input), or
    int64_t index = -1;                  // an array item

    static PathStep Field(const std::string& name) { return {&name, {}, -1}; }
    static PathStep Key(std::string_view key) { return {nullptr, key, -1}; }
    static PathStep Index(int64_t index) { return {nullptr, {}, index}; }
  };

  Result<Value> Read(NodeId id);
  Result<Value> ReadResolved(uint32_t step);
  Result<Value> ReadRecord(const Node& n);
  Result<Value> ReadBlocks(const Node& n, std::optional<uint32_t> step);
  Result<int64_t> ReadLong();
  Result<int32_t> ReadInt();
  Result<std::string_view> ReadLengthPrefixed(std::string_view what);
  Result<BytesView> ReadFixedBytes(size_t n, std::string_view what);
  /// The item count of the next array or map block (0 at the end), checked against the input.
  Result<uint64_t> ReadBlockCount(size_t min_item_bytes);
  Status Enter();
  void Leave() noexcept { --depth_; }

  Error Corrupt(std::string_view what) const;
  Error Mismatch(std::string_view what) const;
  std::string Path() const;

  const Schema* schema_;
  const Resolution* resolution_ = nullptr;  // during Next(const Resolution&)
  BytesView data_;
  size_t pos_ = 0;
  uint64_t zero_size_budget_;
  int depth_ = 0;
  std::vector<PathStep> path_;
};

/// \brief Decodes one value of the schema's root that must fill `data` exactly.
Result<Value> Decode(const Schema& schema, BytesView data);

}  // namespace cqlbulk::formats::avro
