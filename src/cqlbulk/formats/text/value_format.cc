// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/text/value_format.h"

#include <cmath>
#include <cstring>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/text/digits_internal.h"

namespace cqlbulk::formats {

using data::Column;
using data::TypeKind;
using namespace internal;  // NOLINT(google-build-using-namespace): this folder's digit writers

namespace {

Result<int32_t> ParseTimeZone(std::string_view zone) {
  if (zone == "UTC" || zone == "Z") {
    return 0;
  }
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digit(zone[1]) &&
      digit(zone[2]) && zone[3] == ':' && digit(zone[4]) && digit(zone[5])) {
    int hours = (zone[1] - '0') * 10 + (zone[2] - '0');
    int minutes = (zone[4] - '0') * 10 + (zone[5] - '0');
    if (minutes <= 59 && hours * 60 + minutes <= 18 * 60) {
      int total = hours * 60 + minutes;
      return zone[0] == '-' ? -total : total;
    }
  }
  return InvalidArgument("invalid time_zone '" + std::string(zone) +
                         "': expected UTC, Z, +hh:mm or -hh:mm (at most 18:00)");
}

/// Replaces out[start, end) by its JSON string body (a rare path: reuses a per-thread
/// scratch string).
void EscapeTail(std::string& out, size_t start) {
  thread_local std::string scratch;
  scratch.assign(out, start, std::string::npos);
  out.resize(start);
  AppendWritten(out, JsonStringBound(scratch.size()),
                [](char* p) { return WriteJsonStringBody(p, scratch); });
}

char* Copy(char* p, const char* text, size_t n) {
  std::memcpy(p, text, n);
  return p + n;
}

}  // namespace

Result<ValueFormatter> ValueFormatter::Make(const TextOptions& options) {
  ValueFormatter formatter;
  formatter.options_ = options;
  CQLBULK_ASSIGN_OR_RETURN(formatter.offset_minutes_, ParseTimeZone(options.time_zone));
  const std::string& format = options.timestamp_format;
  if (format == "iso") {
    return formatter;
  }
  formatter.iso_ = false;
  auto bad = [&format](std::string why) {
    return InvalidArgument("invalid timestamp_format '" + format + "': " + std::move(why));
  };
  if (format.empty()) {
    return bad("empty (use \"iso\" or a pattern such as \"%Y-%m-%d %H:%M:%S\")");
  }
  size_t bound = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%') {
      formatter.pattern_.push_back({Piece::kLiteral, c});
      auto u = static_cast<unsigned char>(c);
      formatter.pattern_needs_escape_ |= c == '"' || c == '\\' || u < 0x20 || u >= 0x80;
      bound += 1;
      continue;
    }
    if (i + 1 == format.size()) {
      return bad("a lone '%' at its end");
    }
    char d = format[++i];
    Piece piece;
    switch (d) {
      case 'Y': piece = Piece::kYear; bound += 12; break;  // "-292275055"
      case 'm': piece = Piece::kMonth; bound += 2; break;
      case 'd': piece = Piece::kDay; bound += 2; break;
      case 'H': piece = Piece::kHour; bound += 2; break;
      case 'M': piece = Piece::kMinute; bound += 2; break;
      case 'S': piece = Piece::kSecond; bound += 2; break;
      case 'f': piece = Piece::kMillis; bound += 3; break;
      case 'z': piece = Piece::kOffset; bound += 5; break;
      case '%': piece = Piece::kLiteral; bound += 1; break;
      case 'E':
        if (i + 1 < format.size() && format[i + 1] == 'z') {
          ++i;
          piece = Piece::kOffsetColon;
          bound += 6;
          break;
        }
        return bad("unknown directive '%E' (only %Ez)");
      default:
        return bad("unknown directive '%" + std::string(1, d) +
                   "' (known: %Y %m %d %H %M %S %f %z %Ez %%)");
    }
    formatter.pattern_.push_back({piece, '%'});
  }
  formatter.timestamp_bound_ = bound;
  return formatter;
}

char* ValueFormatter::WriteTimestamp(char* p, int64_t millis) const {
  // Split first (floor division, without days * kMillisPerDay, which overflows at
  // INT64_MIN), then shift by the zone.
  int64_t days = millis / kMillisPerDay;
  int64_t ms_of_day = millis % kMillisPerDay;
  if (ms_of_day < 0) {
    ms_of_day += kMillisPerDay;
    --days;
  }
  ms_of_day += int64_t{offset_minutes_} * 60'000;
  if (ms_of_day < 0) {
    ms_of_day += kMillisPerDay;
    --days;
  } else if (ms_of_day >= kMillisPerDay) {
    ms_of_day -= kMillisPerDay;
    ++days;
  }
  const CivilDate date = FastCivilFromDays(days);
  const auto ms = static_cast<unsigned>(ms_of_day);
  const unsigned hour = ms / 3'600'000;
  const unsigned minute = ms / 60'000 % 60;
  const unsigned second = ms / 1000 % 60;
  const unsigned milli = ms % 1000;
  if (iso_) {
    // java.time.Instant.toString() (OffsetDateTime's ISO form away from UTC).
    p = WriteCivilDate(p, date);
    *p++ = 'T';
    p = Write2(p, hour);
    *p++ = ':';
    p = Write2(p, minute);
    *p++ = ':';
    p = Write2(p, second);
    if (milli != 0) {
      *p++ = '.';
      p = Write3(p, milli);
    }
    if (offset_minutes_ == 0) {
      *p++ = 'Z';
      return p;
    }
    return WriteOffset(p, offset_minutes_, true);
  }
  for (const PatternStep& step : pattern_) {
    switch (step.piece) {
      case Piece::kLiteral: *p++ = step.literal; break;
      case Piece::kYear: p = WriteYear(p, date.year); break;
      case Piece::kMonth: p = Write2(p, date.month); break;
      case Piece::kDay: p = Write2(p, date.day); break;
      case Piece::kHour: p = Write2(p, hour); break;
      case Piece::kMinute: p = Write2(p, minute); break;
      case Piece::kSecond: p = Write2(p, second); break;
      case Piece::kMillis: p = Write3(p, milli); break;
      case Piece::kOffset: p = WriteOffset(p, offset_minutes_, false); break;
      case Piece::kOffsetColon:
        if (offset_minutes_ == 0) {
          *p++ = 'Z';
        } else {
          p = WriteOffset(p, offset_minutes_, true);
        }
        break;
    }
  }
  return p;
}

void ValueFormatter::AppendTimestamp(int64_t millis, std::string& out) const {
  AppendWritten(out, timestamp_bound_, [&](char* p) { return WriteTimestamp(p, millis); });
}

size_t ValueFormatter::TextBound(const Column& column, size_t row) const noexcept {
  switch (column.kind()) {
    case TypeKind::kBoolean: return 5;
    case TypeKind::kInt8:
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64: return kMaxIntegerText;
    case TypeKind::kFloat32:
    case TypeKind::kFloat64: return kMaxFloatText;
    case TypeKind::kDecimal: return DecimalTextBound(column.Bytes(row).size());
    case TypeKind::kBigInteger: return BigIntegerTextBound(column.Bytes(row).size());
    case TypeKind::kString: return column.Bytes(row).size();
    case TypeKind::kBinary: return HexBlobBound(column.Bytes(row).size());  // >= base64's
    case TypeKind::kUuid: return kMaxUuidText;
    case TypeKind::kDate: return kMaxDateText;
    case TypeKind::kTime: return kMaxTimeText;
    case TypeKind::kTimestamp: return timestamp_bound_;
    case TypeKind::kDuration: return kMaxDurationText;
    case TypeKind::kInet: return InetTextBound(column.Bytes(row).size());
    default: return 0;  // nested
  }
}

// Readers take "0x" and hex digits as hex whatever the options say (as DataStax Bulk Loader
// does), so a blob whose base64 looks like that ("0xAB" is d3 10 01) is written in hex.
char* ValueFormatter::WriteBinary(char* p, BytesView bytes) const {
  if (options_.binary == BinaryEncoding::kHex) {
    return WriteHexBlob(p, bytes);
  }
  char* end = WriteBase64(p, bytes);
  if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) [[unlikely]] {
    bool all_hex = true;
    for (const char* c = p + 2; c < end && all_hex; ++c) {
      all_hex = (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f') || (*c >= 'A' && *c <= 'F');
    }
    if (all_hex) {
      return WriteHexBlob(p, bytes);
    }
  }
  return end;
}

char* ValueFormatter::WriteText(const Column& column, size_t row, char* p) const {
  switch (column.kind()) {
    case TypeKind::kBoolean:
      return column.Boolean(row) ? Copy(p, "true", 4) : Copy(p, "false", 5);
    case TypeKind::kInt8: return WriteInteger(p, column.Int8(row));
    case TypeKind::kInt16: return WriteInteger(p, column.Int16(row));
    case TypeKind::kInt32: return WriteInteger(p, column.Int32(row));
    case TypeKind::kInt64: return WriteInteger(p, column.Int64(row));
    case TypeKind::kFloat32: return WriteFloat32(p, column.Float32(row));
    case TypeKind::kFloat64: return WriteFloat64(p, column.Float64(row));
    case TypeKind::kDecimal:
      return WriteDecimal(p, column.DecimalUnscaled(row), column.DecimalScale(row));
    case TypeKind::kBigInteger: return WriteBigInteger(p, column.Bytes(row));
    case TypeKind::kString: {
      BytesView bytes = column.Bytes(row);
      return bytes.empty() ? p : Copy(p, reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
    case TypeKind::kBinary: return WriteBinary(p, column.Bytes(row));
    case TypeKind::kUuid: return WriteUuid(p, column.UuidBytes(row).data());
    case TypeKind::kDate: return WriteDate(p, column.Date(row));
    case TypeKind::kTime: return WriteTime(p, column.Time(row));
    case TypeKind::kTimestamp: return WriteTimestamp(p, column.Timestamp(row));
    case TypeKind::kDuration: return WriteDuration(p, column.Duration(row));
    case TypeKind::kInet: return WriteInet(p, column.Bytes(row));
    default: CQLBULK_DCHECK(false, "WriteText of a nested column"); return p;
  }
}

size_t ValueFormatter::JsonBound(const Column& column, size_t row) const noexcept {
  if (column.IsNull(row)) {
    return 4;
  }
  switch (column.kind()) {
    case TypeKind::kString: return JsonStringBound(column.Bytes(row).size());
    case TypeKind::kTimestamp:
      return pattern_needs_escape_ ? JsonStringBound(timestamp_bound_) : timestamp_bound_ + 2;
    default:
      if (column.type()->is_nested()) {
        return 0;
      }
      return TextBound(column, row) + 2;  // quotes, or NaN as a string
  }
}

char* ValueFormatter::WriteJson(const Column& column, size_t row, char* p) const {
  if (column.IsNull(row)) {
    return Copy(p, "null", 4);
  }
  switch (column.kind()) {
    case TypeKind::kFloat32:
      if (std::isfinite(column.Float32(row))) {
        return WriteFloat32(p, column.Float32(row));
      }
      break;  // "NaN", "Infinity", "-Infinity" as strings
    case TypeKind::kFloat64:
      if (std::isfinite(column.Float64(row))) {
        return WriteFloat64(p, column.Float64(row));
      }
      break;
    case TypeKind::kString: return WriteJsonString(p, column.String(row));
    case TypeKind::kTimestamp:
      if (pattern_needs_escape_) [[unlikely]] {
        thread_local std::string scratch;
        scratch.clear();
        AppendTimestamp(column.Timestamp(row), scratch);
        return WriteJsonString(p, scratch);
      }
      *p++ = '"';
      p = WriteTimestamp(p, column.Timestamp(row));
      *p++ = '"';
      return p;
    case TypeKind::kBinary:
    case TypeKind::kUuid:
    case TypeKind::kDate:
    case TypeKind::kTime:
    case TypeKind::kDuration:
    case TypeKind::kInet: break;  // their text in quotes
    default: return WriteText(column, row, p);  // booleans and numbers
  }
  *p++ = '"';
  p = WriteText(column, row, p);
  *p++ = '"';
  return p;
}

void ValueFormatter::AppendText(const Column& column, size_t row, std::string& out) const {
  switch (column.kind()) {
    case TypeKind::kString: out.append(column.String(row)); return;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
    case TypeKind::kStruct:
    case TypeKind::kVector: AppendNestedJson(column, row, out); return;
    default:
      AppendWritten(out, TextBound(column, row),
                    [&](char* p) { return WriteText(column, row, p); });
  }
}

void ValueFormatter::AppendJson(const Column& column, size_t row, std::string& out) const {
  if (column.IsNull(row)) {
    out.append("null", 4);
  } else if (column.type()->is_nested()) {
    AppendNestedJson(column, row, out);
  } else {
    AppendWritten(out, JsonBound(column, row), [&](char* p) { return WriteJson(column, row, p); });
  }
}

void ValueFormatter::AppendKeyJson(const Column& keys, size_t row, std::string& out) const {
  if (keys.IsNull(row)) {  // map keys are not nullable: a bug upstream
    out.append("\"\"", 2);
    return;
  }
  const TypeKind kind = keys.kind();
  if (kind == TypeKind::kString) {
    return AppendJsonString(keys.String(row), out);
  }
  size_t start = out.size();
  out += '"';
  AppendText(keys, row, out);
  if (keys.type()->is_nested() || (kind == TypeKind::kTimestamp && pattern_needs_escape_)) {
    EscapeTail(out, start + 1);
  }
  out += '"';
}

void ValueFormatter::AppendNestedJson(const Column& column, size_t row, std::string& out) const {
  switch (column.kind()) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kVector: {
      auto [begin, end] = column.ElementRange(row);
      const Column& elements = column.child(0);
      out += '[';
      for (size_t i = begin; i < end; ++i) {
        if (i != begin) out += ',';
        AppendJson(elements, i, out);
      }
      out += ']';
      return;
    }
    case TypeKind::kMap: {
      auto [begin, end] = column.ElementRange(row);
      const Column& keys = column.map_keys();
      const Column& values = column.map_values();
      out += '{';
      for (size_t i = begin; i < end; ++i) {
        if (i != begin) out += ',';
        AppendKeyJson(keys, i, out);
        out += ':';
        AppendJson(values, i, out);
      }
      out += '}';
      return;
    }
    case TypeKind::kStruct: {
      // A tuple (no name) is an array of its fields, a UDT an object.
      const auto& fields = column.type()->fields();
      const bool is_tuple = column.type()->name().empty();
      out += is_tuple ? '[' : '{';
      for (size_t k = 0; k < fields.size(); ++k) {
        if (k != 0) out += ',';
        if (!is_tuple) {
          AppendJsonString(fields[k].name, out);
          out += ':';
        }
        AppendJson(column.child(k), row, out);
      }
      out += is_tuple ? ']' : '}';
      return;
    }
    default: CQLBULK_DCHECK(false, "AppendNestedJson of a scalar column"); return;
  }
}

}  // namespace cqlbulk::formats
