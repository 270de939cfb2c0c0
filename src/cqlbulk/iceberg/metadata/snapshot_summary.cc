// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/snapshot_summary.h"

#include <charconv>
#include <cstring>
#include <optional>
#include <set>
#include <string_view>

namespace cqlbulk::iceberg {
namespace {

// A partition tuple as a string that orders and compares as the tuple does for equality.
std::string TupleKey(const std::vector<Literal>& tuple) {
  std::string key;
  for (const Literal& v : tuple) {
    key += static_cast<char>(v.kind);
    char raw[8] = {};
    switch (v.kind) {
      case Literal::Kind::kNull:
        break;
      case Literal::Kind::kBoolean:
        key += v.boolean ? '1' : '0';
        break;
      case Literal::Kind::kInt:
        std::memcpy(raw, &v.int_value, 4);
        key.append(raw, 4);
        break;
      case Literal::Kind::kLong:
        std::memcpy(raw, &v.long_value, 8);
        key.append(raw, 8);
        break;
      case Literal::Kind::kFloat:
        std::memcpy(raw, &v.float_value, 4);
        key.append(raw, 4);
        break;
      case Literal::Kind::kDouble:
        std::memcpy(raw, &v.double_value, 8);
        key.append(raw, 8);
        break;
      case Literal::Kind::kBytes:
        key += std::to_string(v.bytes.size());
        key += ':';
        key += v.bytes;
        break;
    }
  }
  return key;
}

std::optional<int64_t> ParentTotal(const Snapshot* parent, const std::string& key) {
  if (parent == nullptr) {
    return 0;
  }
  auto it = parent->summary.find(key);
  if (it == parent->summary.end()) {
    return std::nullopt;
  }
  int64_t value = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::map<std::string, std::string> AppendSummary(const Snapshot* parent,
                                                 const std::vector<DataFile>& added) {
  int64_t records = 0;
  int64_t size = 0;
  std::set<std::string> partitions;
  for (const DataFile& file : added) {
    records += file.record_count;
    size += file.file_size_in_bytes;
    partitions.insert(TupleKey(file.partition));
  }
  auto count = static_cast<int64_t>(added.size());
  std::map<std::string, std::string> summary = {
      {"operation", "append"},
      {"added-data-files", std::to_string(count)},
      {"added-records", std::to_string(records)},
      {"added-files-size", std::to_string(size)},
      {"changed-partition-count", std::to_string(partitions.size())},
  };
  auto total = [&](const std::string& key, int64_t add) {
    if (std::optional<int64_t> before = ParentTotal(parent, key)) {
      summary[key] = std::to_string(*before + add);
    }
  };
  total("total-data-files", count);
  total("total-records", records);
  total("total-files-size", size);
  total("total-delete-files", 0);
  total("total-position-deletes", 0);
  total("total-equality-deletes", 0);
  return summary;
}

}  // namespace cqlbulk::iceberg
