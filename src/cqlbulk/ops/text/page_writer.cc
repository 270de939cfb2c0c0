// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/text/page_writer.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "cqlbulk/cql/types/duration.h"
#include "cqlbulk/formats/text/scalar_text.h"

namespace cqlbulk::ops::text {

using cql::TypeId;
using Op = ScalarOp;

namespace {

char* CopyText(char* p, const char* text, size_t n) {
  std::memcpy(p, text, n);
  return p + n;
}

}  // namespace

bool ScalarOpOf(const cql::DataType& type, ScalarOp& op) {
  switch (type.id) {
    case TypeId::kBoolean: op = Op::kBoolean; return true;
    case TypeId::kTinyint: op = Op::kInt8; return true;
    case TypeId::kSmallint: op = Op::kInt16; return true;
    case TypeId::kInt: op = Op::kInt32; return true;
    case TypeId::kBigint:
    case TypeId::kCounter: op = Op::kInt64; return true;
    case TypeId::kTimestamp: op = Op::kTimestamp; return true;
    case TypeId::kFloat: op = Op::kFloat32; return true;
    case TypeId::kDouble: op = Op::kFloat64; return true;
    case TypeId::kVarchar: op = Op::kText; return true;
    case TypeId::kAscii: op = Op::kAscii; return true;
    case TypeId::kBlob: op = Op::kBlob; return true;
    case TypeId::kUuid: op = Op::kUuid; return true;
    case TypeId::kTimeuuid: op = Op::kTimeUuid; return true;
    case TypeId::kDate: op = Op::kDate; return true;
    case TypeId::kTime: op = Op::kTime; return true;
    case TypeId::kDuration: op = Op::kDuration; return true;
    case TypeId::kInet: op = Op::kInet; return true;
    case TypeId::kVarint: op = Op::kVarint; return true;
    case TypeId::kDecimal: op = Op::kDecimal; return true;
    default: return false;
  }
}

bool EmptyIsNull(Op op) {
  switch (op) {
    case Op::kBoolean:
    case Op::kInt32:
    case Op::kInt64:
    case Op::kTimestamp:
    case Op::kFloat32:
    case Op::kFloat64:
    case Op::kUuid:
    case Op::kTimeUuid:
    case Op::kInet:
    case Op::kVarint:
    case Op::kDecimal: return true;
    default: return false;
  }
}

Result<RowsPage> BeginPage(const cql::RowsResult& rows, size_t num_columns) {
  if (rows.metadata.columns_count < 0 ||
      static_cast<size_t>(rows.metadata.columns_count) != num_columns || rows.rows_count < 0) {
    return ProtocolError("a page of " + std::to_string(rows.metadata.columns_count) +
                         " columns for a writer of " + std::to_string(num_columns));
  }
  return RowsPage{rows.rows_content.data(),
                  rows.rows_content.data() + rows.rows_content.size(), rows.rows_count};
}

char* WriteScalarText(char* p, ScalarOp op, const uint8_t* cell, size_t n,
                      const formats::ValueFormatter& formatter) {
  switch (op) {
    case Op::kBoolean:
      if (n != 1) return nullptr;
      return cell[0] != 0 ? CopyText(p, "true", 4) : CopyText(p, "false", 5);
    case Op::kInt8:
      if (n != 1) return nullptr;
      return formats::WriteInteger(p, static_cast<int8_t>(cell[0]));
    case Op::kInt16:
      if (n != 2) return nullptr;
      return formats::WriteInteger(p, static_cast<int16_t>(LoadBE16(cell)));
    case Op::kInt32:
      if (n != 4) return nullptr;
      return formats::WriteInteger(p, static_cast<int32_t>(LoadBE32(cell)));
    case Op::kInt64:
      if (n != 8) return nullptr;
      return formats::WriteInteger(p, static_cast<int64_t>(LoadBE64(cell)));
    case Op::kTimestamp:
      if (n != 8) return nullptr;
      return formatter.WriteTimestamp(p, static_cast<int64_t>(LoadBE64(cell)));
    case Op::kFloat32:
      if (n != 4) return nullptr;
      return formats::WriteFloat32(p, std::bit_cast<float>(LoadBE32(cell)));
    case Op::kFloat64:
      if (n != 8) return nullptr;
      return formats::WriteFloat64(p, std::bit_cast<double>(LoadBE64(cell)));
    case Op::kBlob: return formatter.WriteBinary(p, BytesView(cell, n));
    case Op::kUuid:
      if (n != 16) return nullptr;
      return formats::WriteUuid(p, cell);
    case Op::kTimeUuid:
      if (n != 16 || (cell[6] >> 4) != 1) return nullptr;
      return formats::WriteUuid(p, cell);
    case Op::kDate:
      if (n != 4) return nullptr;
      // CQL's date is days + 2^31 as uint32: flipping the top bit gives signed days.
      return formats::WriteDate(p, static_cast<int32_t>(LoadBE32(cell) ^ 0x80000000u));
    case Op::kTime:
      if (n != 8) return nullptr;
      return formats::WriteTime(p, static_cast<int64_t>(LoadBE64(cell)));
    case Op::kDuration: {
      auto duration = cql::Duration::Decode(BytesView(cell, n));
      if (!duration) return nullptr;
      return formats::WriteDuration(
          p, data::DurationValue{duration->months, duration->days, duration->nanoseconds});
    }
    case Op::kInet:
      if (n != 4 && n != 16) return nullptr;
      return formats::WriteInet(p, BytesView(cell, n));
    case Op::kVarint: return formats::WriteBigInteger(p, BytesView(cell, n));
    case Op::kDecimal:
      if (n < 5) return nullptr;
      return formats::WriteDecimal(p, BytesView(cell + 4, n - 4),
                                   static_cast<int32_t>(LoadBE32(cell)));
    case Op::kText:
    case Op::kAscii: break;  // Write copies them
  }
  return nullptr;
}

char* TextBuffer::Grow(char* p, size_t bound) {
  const auto used = static_cast<size_t>(p - data_.get());
  const size_t capacity = std::max(capacity_ * 2, used + bound);
  auto bigger = std::make_unique<char[]>(capacity);
  std::memcpy(bigger.get(), data_.get(), used);
  data_ = std::move(bigger);
  capacity_ = capacity;
  return data_.get() + used;
}

}  // namespace cqlbulk::ops::text
