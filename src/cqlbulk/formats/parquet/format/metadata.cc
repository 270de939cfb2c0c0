// SPDX-License-Identifier: Apache-2.0
// Names of the parquet.thrift enums and logical types (Serialize and Parse are in
// metadata_write.cc and metadata_read.cc).
#include "cqlbulk/formats/parquet/format/metadata.h"

#include <array>
#include <string>

namespace cqlbulk::formats::parquet {
namespace {

// The name of `value` in a table indexed by the enum's int, "UNKNOWN" outside it.
template <typename Enum, size_t N>
std::string_view NameIn(const std::array<std::string_view, N>& names, Enum value) {
  const auto index = static_cast<int64_t>(value);
  if (index < 0 || index >= static_cast<int64_t>(N) || names[static_cast<size_t>(index)].empty()) {
    return "UNKNOWN";
  }
  return names[static_cast<size_t>(index)];
}

constexpr std::array<std::string_view, 8> kPhysicalTypeNames = {
    "BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};

constexpr std::array<std::string_view, 22> kConvertedTypeNames = {
    "UTF8",        "MAP",          "MAP_KEY_VALUE",    "LIST",
    "ENUM",        "DECIMAL",      "DATE",             "TIME_MILLIS",
    "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8",
    "UINT_16",     "UINT_32",      "UINT_64",          "INT_8",
    "INT_16",      "INT_32",       "INT_64",           "JSON",
    "BSON",        "INTERVAL"};

constexpr std::array<std::string_view, 3> kRepetitionNames = {"REQUIRED", "OPTIONAL", "REPEATED"};

// 1 was GROUP_VAR_INT, never used.
constexpr std::array<std::string_view, 10> kEncodingNames = {
    "PLAIN",           "",  "PLAIN_DICTIONARY",        "RLE",
    "BIT_PACKED",      "DELTA_BINARY_PACKED",          "DELTA_LENGTH_BYTE_ARRAY",
    "DELTA_BYTE_ARRAY", "RLE_DICTIONARY",              "BYTE_STREAM_SPLIT"};

constexpr std::array<std::string_view, 8> kCodecNames = {
    "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};

constexpr std::array<std::string_view, 4> kPageTypeNames = {"DATA_PAGE", "INDEX_PAGE",
                                                            "DICTIONARY_PAGE", "DATA_PAGE_V2"};

constexpr std::array<std::string_view, 3> kTimeUnitNames = {"MILLIS", "MICROS", "NANOS"};

}  // namespace

std::string_view PhysicalTypeName(PhysicalType type) { return NameIn(kPhysicalTypeNames, type); }
std::string_view ConvertedTypeName(ConvertedType type) {
  return NameIn(kConvertedTypeNames, type);
}
std::string_view RepetitionName(Repetition repetition) {
  return NameIn(kRepetitionNames, repetition);
}
std::string_view EncodingName(Encoding encoding) { return NameIn(kEncodingNames, encoding); }
std::string_view CompressionCodecName(CompressionCodec codec) {
  return NameIn(kCodecNames, codec);
}
std::string_view PageTypeName(PageType type) { return NameIn(kPageTypeNames, type); }
std::string_view TimeUnitName(TimeUnit unit) { return NameIn(kTimeUnitNames, unit); }

bool operator==(const LogicalTypeAnnotation& a, const LogicalTypeAnnotation& b) {
  using Kind = LogicalTypeAnnotation::Kind;
  if (a.kind != b.kind) {
    return false;
  }
  switch (a.kind) {
    case Kind::kDecimal:
      return a.scale == b.scale && a.precision == b.precision;
    case Kind::kTime:
    case Kind::kTimestamp:
      return a.is_adjusted_to_utc == b.is_adjusted_to_utc && a.unit == b.unit;
    case Kind::kInteger:
      return a.bit_width == b.bit_width && a.is_signed == b.is_signed;
    case Kind::kUnrecognized:
      return a.unrecognized_id == b.unrecognized_id;
    default:
      return true;
  }
}

std::string LogicalTypeToString(const LogicalTypeAnnotation& type) {
  using Kind = LogicalTypeAnnotation::Kind;
  auto with = [](std::string_view name, const std::string& a, const std::string& b) {
    std::string out(name);
    return out.append("(").append(a).append(",").append(b).append(")");
  };
  auto boolean = [](bool v) { return std::string(v ? "true" : "false"); };
  switch (type.kind) {
    case Kind::kNone:
      return "NONE";
    case Kind::kString:
      return "STRING";
    case Kind::kMap:
      return "MAP";
    case Kind::kList:
      return "LIST";
    case Kind::kEnum:
      return "ENUM";
    case Kind::kDecimal:
      return with("DECIMAL", std::to_string(type.precision), std::to_string(type.scale));
    case Kind::kDate:
      return "DATE";
    case Kind::kTime:
      return with("TIME", std::string(TimeUnitName(type.unit)), boolean(type.is_adjusted_to_utc));
    case Kind::kTimestamp:
      return with("TIMESTAMP", std::string(TimeUnitName(type.unit)),
                  boolean(type.is_adjusted_to_utc));
    case Kind::kInteger:
      return with("INTEGER", std::to_string(type.bit_width), boolean(type.is_signed));
    case Kind::kUnknown:
      return "UNKNOWN";
    case Kind::kJson:
      return "JSON";
    case Kind::kBson:
      return "BSON";
    case Kind::kUuid:
      return "UUID";
    case Kind::kFloat16:
      return "FLOAT16";
    case Kind::kUnrecognized:
      return "UNRECOGNIZED(" + std::to_string(type.unrecognized_id) + ")";
  }
  return "NONE";
}

}  // namespace cqlbulk::formats::parquet
