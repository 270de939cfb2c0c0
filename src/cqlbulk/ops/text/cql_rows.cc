// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/text/cql_rows.h"

#include <bit>
#include <cstring>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/text/json_parse.h"

namespace cqlbulk::ops {

using cql::TypeId;
using data::TypeKind;

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
  void AppendInt32(int32_t v) override { Put32(static_cast<uint32_t>(v)); }
  void AppendInt64(int64_t v) override { Put64(static_cast<uint64_t>(v)); }
  void AppendFloat32(float v) override { Put32(std::bit_cast<uint32_t>(v)); }
  void AppendFloat64(double v) override { Put64(std::bit_cast<uint64_t>(v)); }
  // CQL's date: days since the epoch, biased by 2^31.
  void AppendDate(int32_t days) override { Put32(static_cast<uint32_t>(days) ^ 0x80000000u); }
  void AppendTime(int64_t nanos) override { Put64(static_cast<uint64_t>(nanos)); }
  void AppendTimestamp(int64_t millis) override { Put64(static_cast<uint64_t>(millis)); }
  void AppendDuration(int32_t, int32_t, int64_t) override {
    // Takes refuses durations: never called.
    CQLBULK_CHECK(false, "CqlRowWriter takes no duration");
  }
  void AppendUuid(const uint8_t* bytes16) override { PutBytes(BytesView(bytes16, 16)); }
  void AppendBytes(BytesView bytes) override { PutBytes(bytes); }
  void AppendString(std::string_view s) override { PutBytes(AsBytes(s)); }
  void AppendDecimal(BytesView unscaled, int32_t scale) override {
    uint8_t* p = out->Grow(8 + unscaled.size());
    StoreBE32(p, static_cast<uint32_t>(4 + unscaled.size()));
    StoreBE32(p + 4, static_cast<uint32_t>(scale));
    std::memcpy(p + 8, unscaled.data(), unscaled.size());
  }

 private:
  void Put32(uint32_t v) {
    uint8_t* p = out->Grow(8);
    StoreBE32(p, 4);
    StoreBE32(p + 4, v);
  }
  void Put64(uint64_t v) {
    uint8_t* p = out->Grow(12);
    StoreBE32(p, 8);
    StoreBE64(p + 4, v);
  }
  // A record is at most formats::kMaxRecordBytes (256 MiB): its values fit an [int] length.
  void PutBytes(BytesView bytes) {
    uint8_t* p = out->Grow(4 + bytes.size());
    StoreBE32(p, static_cast<uint32_t>(bytes.size()));
    if (!bytes.empty()) std::memcpy(p + 4, bytes.data(), bytes.size());
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
                           formats::ValueParser parser, formats::MissingField missing)
    : schema_(std::move(schema)),
      source_fields_(std::move(source_fields)),
      parser_(std::move(parser)),
      missing_(missing),
      writer_(std::make_unique<ValueWriter>()) {}

CqlRowWriter::~CqlRowWriter() = default;

Result<std::unique_ptr<CqlRowWriter>> CqlRowWriter::Make(data::SchemaPtr schema,
                                                         std::vector<std::string> source_fields,
                                                         const formats::TextOptions& options,
                                                         formats::MissingField missing) {
  if (schema == nullptr || source_fields.size() != schema->num_fields()) {
    return InvalidArgument("CqlRowWriter: one source field per target field");
  }
  CQLBULK_ASSIGN_OR_RETURN(formats::ValueParser parser, formats::ValueParser::Make(options));
  return std::unique_ptr<CqlRowWriter>(
      new CqlRowWriter(std::move(schema), std::move(source_fields), std::move(parser), missing));
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
    Status status;
    if (text.state == State::kText) [[likely]] {
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
