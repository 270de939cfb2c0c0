// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/text/cql_rows.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

#include "cqlbulk/core/ascii.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/text/fast_parse.h"
#include "cqlbulk/formats/text/json_parse.h"

namespace cqlbulk::ops {

using cql::TypeId;
using data::TypeKind;

namespace {

// --- Fast paths: the common forms of a kind's text, written as its [value] at `p` ----------
// Each takes a subset of what ValueParser takes and gives what it gives (the differential
// test in tests/unit/ops/cql_rows_test.cc holds them to it); false for any other text, which
// then goes through ValueParser.

// [-] and 1 to `max_digits` digits (an int32 has 9 or fewer, an int64 18 or fewer: no
// overflow possible); no '+', blank or other character.
template <typename T, int kMaxDigits>
[[gnu::always_inline]] inline bool FastInteger(std::string_view s, T& out) {
  const char* p = s.data();
  const char* end = p + s.size();
  const bool negative = p != end && *p == '-';
  p += negative ? 1 : 0;
  if (p == end || end - p > kMaxDigits) return false;
  uint64_t v = 0;
  for (; p != end; ++p) {
    const unsigned d = static_cast<unsigned>(*p - '0');
    if (d > 9) return false;
    v = v * 10 + d;
  }
  out = static_cast<T>(negative ? 0 - v : v);
  return true;
}

// --- [value]s (an [int] length, then the bytes) appended to a buffer -----------------------

[[gnu::always_inline]] inline void Put32(data::Buffer& out, uint32_t v) {
  uint8_t* p = out.Grow(8);
  StoreBE32(p, 4);
  StoreBE32(p + 4, v);
}

[[gnu::always_inline]] inline void Put64(data::Buffer& out, uint64_t v) {
  uint8_t* p = out.Grow(12);
  StoreBE32(p, 8);
  StoreBE64(p + 4, v);
}

// A record is at most formats::kMaxRecordBytes (256 MiB): its values fit an [int] length.
[[gnu::always_inline]] inline void PutBytes(data::Buffer& out, BytesView bytes) {
  uint8_t* p = out.Grow(4 + bytes.size());
  StoreBE32(p, static_cast<uint32_t>(bytes.size()));
  if (!bytes.empty()) std::memcpy(p + 4, bytes.data(), bytes.size());
}

// A decimal: its scale, then its unscaled value's two's complement.
[[gnu::always_inline]] inline void PutDecimal(data::Buffer& out, BytesView unscaled,
                                               int32_t scale) {
  uint8_t* p = out.Grow(8 + unscaled.size());
  StoreBE32(p, static_cast<uint32_t>(4 + unscaled.size()));
  StoreBE32(p + 4, static_cast<uint32_t>(scale));
  std::memcpy(p + 8, unscaled.data(), unscaled.size());
}

}  // namespace

/// The ScalarSink ValueParser writes a field's value to: its [value] (an [int] length and the
/// bytes CellEncoder writes for the straight pair) at the end of a buffer.
class CqlRowWriter::ValueWriter final : public formats::ScalarSink {
 public:
  data::Buffer* out = nullptr;

  void AppendNull() override { StoreBE32(out->Grow(4), static_cast<uint32_t>(CqlRows::kNull)); }
  void AppendBoolean(bool v) override {
    uint8_t* p = out->Grow(5);
    StoreBE32(p, 1);
    p[4] = v ? 1 : 0;
  }
  void AppendInt8(int8_t v) override {
    uint8_t* p = out->Grow(5);
    StoreBE32(p, 1);
    p[4] = static_cast<uint8_t>(v);
  }
  void AppendInt16(int16_t v) override {
    uint8_t* p = out->Grow(6);
    StoreBE32(p, 2);
    StoreBE16(p + 4, static_cast<uint16_t>(v));
  }
  void AppendInt32(int32_t v) override { Put32(*out, static_cast<uint32_t>(v)); }
  void AppendInt64(int64_t v) override { Put64(*out, static_cast<uint64_t>(v)); }
  void AppendFloat32(float v) override { Put32(*out, std::bit_cast<uint32_t>(v)); }
  void AppendFloat64(double v) override { Put64(*out, std::bit_cast<uint64_t>(v)); }
  // CQL's date: days since the epoch, biased by 2^31.
  void AppendDate(int32_t days) override {
    Put32(*out, static_cast<uint32_t>(days) ^ 0x80000000u);
  }
  void AppendTime(int64_t nanos) override { Put64(*out, static_cast<uint64_t>(nanos)); }
  void AppendTimestamp(int64_t millis) override { Put64(*out, static_cast<uint64_t>(millis)); }
  void AppendDuration(int32_t, int32_t, int64_t) override {
    // Takes refuses durations: never called.
    CQLBULK_CHECK(false, "CqlRowWriter takes no duration");
  }
  void AppendUuid(const uint8_t* bytes16) override { PutBytes(*out, BytesView(bytes16, 16)); }
  void AppendBytes(BytesView bytes) override { PutBytes(*out, bytes); }
  void AppendString(std::string_view s) override { PutBytes(*out, AsBytes(s)); }
  void AppendDecimal(BytesView unscaled, int32_t scale) override {
    PutDecimal(*out, unscaled, scale);
  }
};

bool CqlRowWriter::Takes(const data::Field& field, const cql::DataType& target) {
  const data::LogicalType& type = *field.type;
  switch (type.kind()) {
    case TypeKind::kBoolean:
      return target.id == TypeId::kBoolean;
    case TypeKind::kInt8:
      return target.id == TypeId::kTinyint;
    case TypeKind::kInt16:
      return target.id == TypeId::kSmallint;
    case TypeKind::kInt32:
      return target.id == TypeId::kInt;
    case TypeKind::kInt64:
      return target.id == TypeId::kBigint && !type.is_counter();
    case TypeKind::kFloat32:
      return target.id == TypeId::kFloat;
    case TypeKind::kFloat64:
      return target.id == TypeId::kDouble;
    case TypeKind::kDecimal:
      return target.id == TypeId::kDecimal && !type.has_fixed_scale();
    case TypeKind::kBigInteger:
      return target.id == TypeId::kVarint;
    case TypeKind::kString:
      // The parser checks 7-bit text for an ascii field and UTF-8 for the others.
      return type.is_ascii() ? target.id == TypeId::kAscii : target.id == TypeId::kVarchar;
    case TypeKind::kBinary:
      return target.id == TypeId::kBlob;
    case TypeKind::kUuid:
      // A time-based field's parser checks the version a timeuuid column needs.
      return target.id == TypeId::kUuid ||
             (target.id == TypeId::kTimeuuid && type.is_time_based());
    case TypeKind::kDate:
      return target.id == TypeId::kDate;
    case TypeKind::kTime:
      return target.id == TypeId::kTime;
    case TypeKind::kTimestamp:
      return target.id == TypeId::kTimestamp;
    case TypeKind::kInet:
      return target.id == TypeId::kInet;
    default:
      return false;
  }
}

CqlRowWriter::CqlRowWriter(data::SchemaPtr schema, std::vector<std::string> source_fields,
                           formats::ValueParser parser, formats::MissingField missing,
                           bool iso_timestamps)
    : schema_(std::move(schema)),
      source_fields_(std::move(source_fields)),
      parser_(std::move(parser)),
      missing_(missing),
      writer_(std::make_unique<ValueWriter>()) {
  for (const data::Field& field : schema_->fields) {
    const data::LogicalType& type = *field.type;
    Fast fast = Fast::kNone;
    switch (type.kind()) {
      case TypeKind::kInt32:
        fast = Fast::kInt32;
        break;
      case TypeKind::kInt64:
        fast = Fast::kInt64;
        break;
      case TypeKind::kTimestamp:
        // With a timestamp pattern, the parser tries it before anything else.
        fast = iso_timestamps ? Fast::kTimestamp : Fast::kNone;
        break;
      case TypeKind::kDecimal:
        fast = type.has_fixed_scale() ? Fast::kNone : Fast::kDecimal;
        break;
      case TypeKind::kString:
        fast = type.is_ascii() ? Fast::kAscii : Fast::kVarchar;
        break;
      default:
        break;
    }
    fast_.push_back(fast);
    dates_.emplace_back();
  }
}

CqlRowWriter::~CqlRowWriter() = default;

Result<std::unique_ptr<CqlRowWriter>> CqlRowWriter::Make(data::SchemaPtr schema,
                                                         std::vector<std::string> source_fields,
                                                         const formats::TextOptions& options,
                                                         formats::MissingField missing) {
  if (schema == nullptr || source_fields.size() != schema->num_fields()) {
    return InvalidArgument("CqlRowWriter: one source field per target field");
  }
  CQLBULK_ASSIGN_OR_RETURN(formats::ValueParser parser, formats::ValueParser::Make(options));
  const bool iso = options.timestamp_format == "iso" || options.timestamp_format == "ISO";
  return std::unique_ptr<CqlRowWriter>(new CqlRowWriter(
      std::move(schema), std::move(source_fields), std::move(parser), missing, iso));
}

void CqlRowWriter::set_output(CqlRows* rows) noexcept {
  rows_ = rows;
  writer_->out = &rows->bytes_;
}

Status CqlRowWriter::Add(std::span<const formats::RecordField> fields, size_t& column) {
  using State = formats::RecordField::State;
  data::Buffer& bytes = rows_->bytes_;
  std::vector<uint32_t>& starts = rows_->starts_;
  const size_t bytes_before = bytes.size();
  const size_t starts_before = starts.size();
  const std::vector<data::Field>& schema_fields = schema_->fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    const formats::RecordField& text = fields[i];
    const data::Field& field = schema_fields[i];
    starts.push_back(static_cast<uint32_t>(bytes.size()));
    if (text.state == State::kText) [[likely]] {
      const std::string_view s = text.text;
      switch (fast_[i]) {
        case Fast::kNone:
          break;
        case Fast::kInt32: {
          int32_t v = 0;
          if (FastInteger<int32_t, 9>(s, v)) {
            Put32(bytes, static_cast<uint32_t>(v));
            continue;
          }
          break;
        }
        case Fast::kInt64: {
          int64_t v = 0;
          if (FastInteger<int64_t, 18>(s, v)) {
            Put64(bytes, static_cast<uint64_t>(v));
            continue;
          }
          break;
        }
        case Fast::kTimestamp: {
          int64_t millis = 0;
          if (formats::FastIsoTimestamp(s, millis, dates_[i])) {
            Put64(bytes, static_cast<uint64_t>(millis));
            continue;
          }
          break;
        }
        case Fast::kDecimal: {
          int64_t unscaled = 0;
          int32_t scale = 0;
          if (formats::FastDecimal(s, unscaled, scale)) {
            uint8_t be[8];
            const size_t start = formats::MinimalTwosComplement(unscaled, be);
            PutDecimal(bytes, BytesView(be + start, 8 - start), scale);
            continue;
          }
          break;
        }
        case Fast::kVarchar:
          // ASCII text (most text) is valid UTF-8: checked inline, without the call.
          if (IsAllAscii(reinterpret_cast<const uint8_t*>(s.data()), s.size()) ||
              !formats::FindInvalidUtf8(s).has_value()) {
            PutBytes(bytes, AsBytes(s));
            continue;
          }
          break;
        case Fast::kAscii:
          if (IsAllAscii(reinterpret_cast<const uint8_t*>(s.data()), s.size())) {
            PutBytes(bytes, AsBytes(s));
            continue;
          }
          break;
      }
    } else if (text.state == State::kNull && field.nullable) {
      StoreBE32(bytes.Grow(4), static_cast<uint32_t>(CqlRows::kNull));
      continue;
    }
    Status status;
    if (text.state == State::kText) {
      status = parser_.AppendText(text.text, field, *writer_);
    } else if (text.state == State::kNull) {
      status = formats::ValueParser::AppendNull(field, *writer_);
    } else if (missing_ == formats::MissingField::kError || !field.nullable) {
      // formats::AppendMissingField's rule and message.
      status = InvalidArgument("missing field " + formats::QuoteForError(source_fields_[i]));
    } else {
      const int32_t marker =
          missing_ == formats::MissingField::kUnset ? CqlRows::kUnset : CqlRows::kNull;
      StoreBE32(bytes.Grow(4), static_cast<uint32_t>(marker));
    }
    if (!status.has_value()) [[unlikely]] {
      bytes.Truncate(bytes_before);
      starts.resize(starts_before);
      column = i;
      return status;
    }
  }
  return OkStatus();
}

}  // namespace cqlbulk::ops
