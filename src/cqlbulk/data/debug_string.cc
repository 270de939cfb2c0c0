// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/debug_string.h"

#include <cstdio>

#include "cqlbulk/core/time.h"

namespace cqlbulk::data {

namespace {

// A two's-complement big-endian integer as decimal when it fits 64 bits, else as hex.
std::string SignedBytesToString(BytesView bytes) {
  if (bytes.empty()) {
    return "0";
  }
  if (bytes.size() > 8) {
    return "0x" + ToHex(bytes);
  }
  uint64_t v = (bytes[0] & 0x80) ? ~uint64_t{0} : 0;
  for (uint8_t b : bytes) {
    v = (v << 8) | b;
  }
  return std::to_string(static_cast<int64_t>(v));
}

std::string InetToString(BytesView bytes) {
  std::string out;
  if (bytes.size() == 4) {
    for (size_t i = 0; i < 4; ++i) {
      out += (i == 0 ? "" : ".") + std::to_string(bytes[i]);
    }
    return out;
  }
  if (bytes.size() != 16) {
    return "0x" + ToHex(bytes);
  }
  char group[8];
  for (size_t i = 0; i < 16; i += 2) {
    std::snprintf(group, sizeof(group), "%x", (bytes[i] << 8) | bytes[i + 1]);
    out += (i == 0 ? "" : ":") + std::string(group);
  }
  return out;
}

std::string Children(const Column& child, std::pair<size_t, size_t> range) {
  std::string out;
  for (size_t i = range.first; i < range.second; ++i) {
    out += (i == range.first ? "" : ", ") + DebugString(child, i);
  }
  return out;
}

}  // namespace

std::string DebugString(const Column& column, size_t row) {
  if (column.IsNull(row)) {
    return "null";
  }
  switch (column.kind()) {
    case TypeKind::kBoolean:
      return column.Boolean(row) ? "true" : "false";
    case TypeKind::kInt8:
      return std::to_string(column.Int8(row));
    case TypeKind::kInt16:
      return std::to_string(column.Int16(row));
    case TypeKind::kInt32:
      return std::to_string(column.Int32(row));
    case TypeKind::kInt64:
      return std::to_string(column.Int64(row));
    case TypeKind::kFloat32: {
      char text[32];
      std::snprintf(text, sizeof(text), "%.9g", double{column.Float32(row)});
      return text;
    }
    case TypeKind::kFloat64: {
      char text[32];
      std::snprintf(text, sizeof(text), "%.17g", column.Float64(row));
      return text;
    }
    case TypeKind::kDecimal:
      return SignedBytesToString(column.DecimalUnscaled(row)) + "E" +
             std::to_string(-column.DecimalScale(row));
    case TypeKind::kBigInteger:
      return SignedBytesToString(column.Bytes(row));
    case TypeKind::kString:
      return "'" + std::string(column.String(row)) + "'";
    case TypeKind::kBinary:
      return "0x" + ToHex(column.Bytes(row));
    case TypeKind::kUuid:
      return column.Uuid(row).ToString();
    case TypeKind::kDate:
      return FormatDate(column.Date(row));
    case TypeKind::kTime:
      return FormatTimeOfDay(column.Time(row));
    case TypeKind::kTimestamp:
      return FormatTimestamp(column.Timestamp(row));
    case TypeKind::kDuration: {
      DurationValue d = column.Duration(row);
      return std::to_string(d.months) + "mo" + std::to_string(d.days) + "d" +
             std::to_string(d.nanos) + "ns";
    }
    case TypeKind::kInet:
      return InetToString(column.Bytes(row));
    case TypeKind::kList:
    case TypeKind::kVector:
      return "[" + Children(column.child(), column.ElementRange(row)) + "]";
    case TypeKind::kSet:
      return "{" + Children(column.child(), column.ElementRange(row)) + "}";
    case TypeKind::kMap: {
      auto [begin, end] = column.ElementRange(row);
      std::string out = "{";
      for (size_t i = begin; i < end; ++i) {
        out += (i == begin ? "" : ", ") + DebugString(column.map_keys(), i) + ": " +
               DebugString(column.map_values(), i);
      }
      return out + "}";
    }
    case TypeKind::kStruct: {
      std::string out = "{";
      const auto& fields = column.type()->fields();
      for (size_t i = 0; i < fields.size(); ++i) {
        out += (i == 0 ? "" : ", ") + fields[i].name + ": " + DebugString(column.child(i), row);
      }
      return out + "}";
    }
  }
  return "?";
}

std::string DebugString(const Batch& batch, size_t row) {
  std::string out = "(";
  for (size_t i = 0; i < batch.num_columns(); ++i) {
    out += (i == 0 ? "" : ", ") + DebugString(batch.column(i), row);
  }
  return out + ")";
}

}  // namespace cqlbulk::data
