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

/// The structures of apache/parquet-format src/main/thrift/parquet.thrift that cqlbulk writes
/// and reads: the footer (FileMetaData) and page headers, with their Thrift compact encoding.
///
/// Enums keep whatever int a file holds: a value a newer writer added (a new Encoding, a new
/// codec) parses, and the reader decides later what to do with it (the *Name functions say
/// "UNKNOWN"). Fields that cqlbulk does not model are skipped when reading.
namespace cqlbulk::formats::parquet {

enum class PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

/// FieldRepetitionType (a newer writer's VECTOR = 3 parses as its raw value).
enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,
};

enum class PageType : int32_t { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };

enum class TimeUnit : uint8_t { kMillis, kMicros, kNanos };

/// \brief The sort order of a leaf column's statistics (the ColumnOrder union; the values are
/// its field ids). kUnrecognized: a union member cqlbulk does not know (or none); it is
/// written back as an empty union, which readers take as "unknown order".
enum class ColumnOrder : uint8_t {
  kUnrecognized = 0,
  kTypeDefined = 1,
  kIeee754TotalOrder = 2,
  kInt96Timestamp = 3,
};

/// \brief The LogicalType union of parquet.thrift (kNone: absent).
///
/// Only the members of the kind are meaningful (the others stay at their defaults, and ==
/// ignores them). kUnknown is the spec's UNKNOWN (a column of nulls only). kUnrecognized is a
/// union member cqlbulk does not model (VARIANT, GEOMETRY, GEOGRAPHY, VECTOR, anything newer,
/// or a TIME/TIMESTAMP with a unit other than the three): `unrecognized_id` holds the member's
/// field id; Serialize writes no logicalType for it.
struct LogicalTypeAnnotation {
  enum class Kind : uint8_t {
    kNone,
    kString,
    kMap,
    kList,
    kEnum,
    kDecimal,
    kDate,
    kTime,
    kTimestamp,
    kInteger,
    kUnknown,
    kJson,
    kBson,
    kUuid,
    kFloat16,
    kUnrecognized,
  };
  Kind kind = Kind::kNone;
  int32_t scale = 0, precision = 0;        // decimal
  bool is_adjusted_to_utc = false;         // time, timestamp
  TimeUnit unit = TimeUnit::kMillis;       // time, timestamp
  int8_t bit_width = 0;                    // integer: 8, 16, 32 or 64
  bool is_signed = true;                   // integer
  int16_t unrecognized_id = 0;             // unrecognized

  static LogicalTypeAnnotation Of(Kind kind) { return {.kind = kind}; }
  static LogicalTypeAnnotation Decimal(int32_t precision, int32_t scale) {
    return {.kind = Kind::kDecimal, .scale = scale, .precision = precision};
  }
  static LogicalTypeAnnotation Time(bool is_adjusted_to_utc, TimeUnit unit) {
    return {.kind = Kind::kTime, .is_adjusted_to_utc = is_adjusted_to_utc, .unit = unit};
  }
  static LogicalTypeAnnotation Timestamp(bool is_adjusted_to_utc, TimeUnit unit) {
    return {.kind = Kind::kTimestamp, .is_adjusted_to_utc = is_adjusted_to_utc, .unit = unit};
  }
  static LogicalTypeAnnotation Integer(int8_t bit_width, bool is_signed) {
    return {.kind = Kind::kInteger, .bit_width = bit_width, .is_signed = is_signed};
  }

  friend bool operator==(const LogicalTypeAnnotation& a, const LogicalTypeAnnotation& b);
};

struct SchemaElement {
  std::optional<PhysicalType> type{};  ///< set for leaves only
  std::optional<int32_t> type_length{};
  std::optional<Repetition> repetition_type{};  ///< unset for the root only
  std::string name{};
  std::optional<int32_t> num_children{};  ///< set for groups only
  std::optional<ConvertedType> converted_type{};
  std::optional<int32_t> scale{}, precision{}, field_id{};
  LogicalTypeAnnotation logical_type{};

  friend bool operator==(const SchemaElement&, const SchemaElement&) = default;
};

/// \brief Column chunk or page statistics; min/max values are PLAIN without a length prefix.
struct Statistics {
  std::optional<std::string> max{}, min{};  ///< legacy fields 1 and 2 (signed order)
  std::optional<int64_t> null_count{}, distinct_count{};
  std::optional<std::string> max_value{}, min_value{};
  std::optional<bool> is_max_value_exact{}, is_min_value_exact{};
  std::optional<int64_t> nan_count{};

  friend bool operator==(const Statistics&, const Statistics&) = default;
};

struct KeyValue {
  std::string key{};
  std::optional<std::string> value{};

  friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

struct PageEncodingStats {
  PageType page_type = PageType::kDataPage;
  Encoding encoding = Encoding::kPlain;
  int32_t count = 0;

  friend bool operator==(const PageEncodingStats&, const PageEncodingStats&) = default;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kBoolean;
  std::vector<Encoding> encodings{};
  std::vector<std::string> path_in_schema{};
  CompressionCodec codec = CompressionCodec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;  ///< of all pages, headers included
  int64_t total_compressed_size = 0;    ///< of all pages, headers included
  std::vector<KeyValue> key_value_metadata{};
  int64_t data_page_offset = 0;
  std::optional<int64_t> index_page_offset{}, dictionary_page_offset{};
  std::optional<Statistics> statistics{};
  std::vector<PageEncodingStats> encoding_stats{};
  std::optional<int64_t> bloom_filter_offset{};
  std::optional<int32_t> bloom_filter_length{};

  friend bool operator==(const ColumnMetaData&, const ColumnMetaData&) = default;
};

struct ColumnChunk {
  std::optional<std::string> file_path{};
  int64_t file_offset = 0;  ///< deprecated: 0 when no ColumnMetaData lies outside the footer
  std::optional<ColumnMetaData> meta_data{};
  std::optional<int64_t> offset_index_offset{};
  std::optional<int32_t> offset_index_length{};
  std::optional<int64_t> column_index_offset{};
  std::optional<int32_t> column_index_length{};

  friend bool operator==(const ColumnChunk&, const ColumnChunk&) = default;
};

struct RowGroup {
  std::vector<ColumnChunk> columns{};
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<int64_t> file_offset{}, total_compressed_size{};
  std::optional<int16_t> ordinal{};

  friend bool operator==(const RowGroup&, const RowGroup&) = default;
};

struct FileMetaData {
  int32_t version = 2;
  std::vector<SchemaElement> schema{};  ///< depth-first, the root first
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups{};
  std::vector<KeyValue> key_value_metadata{};
  std::optional<std::string> created_by{};
  /// One per leaf column, in schema order, or empty (no column_orders field). Files with
  /// min_value/max_value statistics should set it (kTypeDefined for each leaf).
  std::vector<ColumnOrder> column_orders{};

  friend bool operator==(const FileMetaData&, const FileMetaData&) = default;
};

struct DataPageHeader {
  int32_t num_values = 0;  ///< nulls included
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
  std::optional<Statistics> statistics{};

  friend bool operator==(const DataPageHeader&, const DataPageHeader&) = default;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  std::optional<bool> is_sorted{};

  friend bool operator==(const DictionaryPageHeader&, const DictionaryPageHeader&) = default;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0, num_nulls = 0, num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0, repetition_levels_byte_length = 0;
  bool is_compressed = true;  ///< absent on the wire reads as true
  std::optional<Statistics> statistics{};

  friend bool operator==(const DataPageHeaderV2&, const DataPageHeaderV2&) = default;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;  ///< header excluded
  int32_t compressed_page_size = 0;    ///< header excluded
  std::optional<int32_t> crc{};
  std::optional<DataPageHeader> data_page_header{};
  std::optional<DictionaryPageHeader> dictionary_page_header{};
  std::optional<DataPageHeaderV2> data_page_header_v2{};

  friend bool operator==(const PageHeader&, const PageHeader&) = default;
};

/// \brief Appends the compact encoding of `metadata` (the footer, without its length and
/// magic) to `out`.
void Serialize(const FileMetaData& metadata, data::Buffer& out);
/// \brief Appends the compact encoding of `header` to `out`.
void Serialize(const PageHeader& header, data::Buffer& out);

/// \brief Parses a footer: the FileMetaData bytes before the file's last 8 (length, "PAR1").
///
/// kCorrupt on bad Thrift, a missing required field or a field of the wrong type, with the
/// path and byte offset: "Parquet footer: FileMetaData.row_groups[2]: RowGroup.columns[0]:
/// ColumnChunk.meta_data: ColumnMetaData: required field 'codec' (4) is missing (struct at
/// byte 1234)". Trailing bytes after the struct are ignored.
Result<FileMetaData> ParseFileMetaData(BytesView footer);

/// \brief Parses the page header at the start of `bytes`; *header_size = its length in bytes.
///
/// kCorrupt as ParseFileMetaData, and when a size or count is negative or the header of the
/// page's type (data_page_header for DATA_PAGE, ...) is missing.
Result<PageHeader> ParsePageHeader(BytesView bytes, size_t* header_size);

/// Names as parquet.thrift spells them ("PLAIN", "RLE_DICTIONARY", "SNAPPY", "INT96",
/// "DATA_PAGE_V2", "UTF8", "REQUIRED"), "UNKNOWN" for values it does not define.
std::string_view PhysicalTypeName(PhysicalType type);
std::string_view ConvertedTypeName(ConvertedType type);
std::string_view RepetitionName(Repetition repetition);
std::string_view EncodingName(Encoding encoding);
std::string_view CompressionCodecName(CompressionCodec codec);
std::string_view PageTypeName(PageType type);
std::string_view TimeUnitName(TimeUnit unit);
/// "STRING", "DECIMAL(10,2)", "TIMESTAMP(MICROS,true)", "INTEGER(8,false)", "NONE",
/// "UNRECOGNIZED(17)".
std::string LogicalTypeToString(const LogicalTypeAnnotation& type);

}  // namespace cqlbulk::formats::parquet
