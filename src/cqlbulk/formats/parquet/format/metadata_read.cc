// SPDX-License-Identifier: Apache-2.0
// ParseFileMetaData and ParsePageHeader: the structs of parquet.thrift from the Thrift compact
// protocol. Unknown fields are skipped, unknown enum values kept; a missing required field or
// a known field of another wire type is kCorrupt, with the struct, field and byte offset.
#include <cstdint>
#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/format/metadata.h"
#include "cqlbulk/formats/parquet/format/thrift_compact.h"
#include "cqlbulk/formats/parquet/format/thrift_struct_internal.h"

namespace cqlbulk::formats::parquet {
namespace {

using namespace internal;  // NOLINT: the struct-reading vocabulary of this file
using Kind = LogicalTypeAnnotation::Kind;

// ---------------------------------------------------------------------------------------------
// What errors call each struct and its fields (indexed by field id), and which it requires.

constexpr std::string_view kStatisticsFields[] = {
    "",          "max",       "min",         "null_count", "distinct_count",
    "max_value", "min_value", "is_max_value_exact", "is_min_value_exact", "nan_count"};
constexpr StructInfo kStatistics{"Statistics", kStatisticsFields};

constexpr std::string_view kLogicalTypeFields[] = {
    "",     "STRING",    "MAP",     "LIST", "ENUM", "DECIMAL", "DATE", "TIME",
    "TIMESTAMP", "",     "INTEGER", "UNKNOWN", "JSON", "BSON", "UUID", "FLOAT16"};
constexpr StructInfo kLogicalType{"LogicalType", kLogicalTypeFields};

constexpr std::string_view kDecimalTypeFields[] = {"", "scale", "precision"};
constexpr StructInfo kDecimalType{"DecimalType", kDecimalTypeFields, Bits({1, 2})};

constexpr std::string_view kTimeTypeFields[] = {"", "isAdjustedToUTC", "unit"};
constexpr StructInfo kTimeType{"TimeType", kTimeTypeFields, Bits({1, 2})};
constexpr StructInfo kTimestampType{"TimestampType", kTimeTypeFields, Bits({1, 2})};

constexpr std::string_view kTimeUnitFields[] = {"", "MILLIS", "MICROS", "NANOS"};
constexpr StructInfo kTimeUnit{"TimeUnit", kTimeUnitFields};

constexpr std::string_view kIntTypeFields[] = {"", "bitWidth", "isSigned"};
constexpr StructInfo kIntType{"IntType", kIntTypeFields, Bits({1, 2})};

constexpr std::string_view kSchemaElementFields[] = {
    "",          "type",      "type_length", "repetition_type", "name",       "num_children",
    "converted_type", "scale", "precision",  "field_id",        "logicalType"};
constexpr StructInfo kSchemaElement{"SchemaElement", kSchemaElementFields, Bits({4})};

constexpr std::string_view kKeyValueFields[] = {"", "key", "value"};
constexpr StructInfo kKeyValue{"KeyValue", kKeyValueFields, Bits({1})};

constexpr std::string_view kPageEncodingStatsFields[] = {"", "page_type", "encoding", "count"};
constexpr StructInfo kPageEncodingStats{"PageEncodingStats", kPageEncodingStatsFields,
                                        Bits({1, 2, 3})};

constexpr std::string_view kColumnMetaDataFields[] = {
    "",
    "type",
    "encodings",
    "path_in_schema",
    "codec",
    "num_values",
    "total_uncompressed_size",
    "total_compressed_size",
    "key_value_metadata",
    "data_page_offset",
    "index_page_offset",
    "dictionary_page_offset",
    "statistics",
    "encoding_stats",
    "bloom_filter_offset",
    "bloom_filter_length"};
constexpr StructInfo kColumnMetaData{"ColumnMetaData", kColumnMetaDataFields,
                                     Bits({1, 2, 3, 4, 5, 6, 7, 9})};

constexpr std::string_view kColumnChunkFields[] = {
    "",          "file_path",           "file_offset",         "meta_data",
    "offset_index_offset", "offset_index_length", "column_index_offset", "column_index_length"};
constexpr StructInfo kColumnChunk{"ColumnChunk", kColumnChunkFields, Bits({2})};

constexpr std::string_view kRowGroupFields[] = {
    "",           "columns",     "total_byte_size",       "num_rows",
    "sorting_columns", "file_offset", "total_compressed_size", "ordinal"};
constexpr StructInfo kRowGroup{"RowGroup", kRowGroupFields, Bits({1, 2, 3})};

constexpr std::string_view kColumnOrderFields[] = {"", "TYPE_ORDER", "IEEE_754_TOTAL_ORDER",
                                                   "INT96_TIMESTAMP_ORDER"};
constexpr StructInfo kColumnOrder{"ColumnOrder", kColumnOrderFields};

constexpr std::string_view kFileMetaDataFields[] = {
    "",           "version",            "schema",     "num_rows",
    "row_groups", "key_value_metadata", "created_by", "column_orders"};
constexpr StructInfo kFileMetaData{"FileMetaData", kFileMetaDataFields, Bits({1, 2, 3, 4})};

constexpr std::string_view kDataPageHeaderFields[] = {
    "", "num_values", "encoding", "definition_level_encoding", "repetition_level_encoding",
    "statistics"};
constexpr StructInfo kDataPageHeader{"DataPageHeader", kDataPageHeaderFields,
                                     Bits({1, 2, 3, 4})};

constexpr std::string_view kDictionaryPageHeaderFields[] = {"", "num_values", "encoding",
                                                            "is_sorted"};
constexpr StructInfo kDictionaryPageHeader{"DictionaryPageHeader", kDictionaryPageHeaderFields,
                                           Bits({1, 2})};

constexpr std::string_view kDataPageHeaderV2Fields[] = {
    "",         "num_values",
    "num_nulls", "num_rows",
    "encoding", "definition_levels_byte_length",
    "repetition_levels_byte_length", "is_compressed",
    "statistics"};
constexpr StructInfo kDataPageHeaderV2{"DataPageHeaderV2", kDataPageHeaderV2Fields,
                                       Bits({1, 2, 3, 4, 5, 6})};

constexpr std::string_view kPageHeaderFields[] = {
    "",          "type",             "uncompressed_page_size", "compressed_page_size",
    "crc",       "data_page_header", "index_page_header",      "dictionary_page_header",
    "data_page_header_v2"};
constexpr StructInfo kPageHeader{"PageHeader", kPageHeaderFields, Bits({1, 2, 3})};

// The fewest bytes an element of a struct list takes: its required fields and the stop.
constexpr size_t kMinSchemaElementBytes = 3;      // name (header, length 0), stop
constexpr size_t kMinKeyValueBytes = 3;           // key, stop
constexpr size_t kMinPageEncodingStatsBytes = 7;  // three i32 fields, stop
constexpr size_t kMinColumnChunkBytes = 3;        // file_offset, stop
constexpr size_t kMinRowGroupBytes = 7;           // columns, total_byte_size, num_rows, stop

// ---------------------------------------------------------------------------------------------
// Structs

Status ReadStatistics(CompactReader& r, Statistics& out) {
  return ReadStruct(r, kStatistics, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.max);
      case 2:
        return Read(r, f, out.min);
      case 3:
        return Read(r, f, out.null_count);
      case 4:
        return Read(r, f, out.distinct_count);
      case 5:
        return Read(r, f, out.max_value);
      case 6:
        return Read(r, f, out.min_value);
      case 7:
        return Read(r, f, out.is_max_value_exact);
      case 8:
        return Read(r, f, out.is_min_value_exact);
      case 9:
        return Read(r, f, out.nan_count);
      default:
        return r.Skip(f.type);
    }
  });
}

// The TimeUnit union: `member` = the field id of its member (1 MILLIS, 2 MICROS, 3 NANOS,
// others unknown; 0: none).
Status ReadTimeUnit(CompactReader& r, int16_t& member) {
  member = 0;
  return ReadStruct(r, kTimeUnit, [&](const Field& f) -> Status {
    member = f.id;
    return f.id >= 1 && f.id <= 3 ? SkipStruct(r, f) : r.Skip(f.type);
  });
}

// TimeType or TimestampType into `out` (whose kind is set); a unit other than the three makes
// the type kUnrecognized.
Status ReadTimeType(CompactReader& r, const StructInfo& info, int16_t union_id,
                    LogicalTypeAnnotation& out) {
  int16_t unit = 0;
  CQLBULK_RETURN_IF_ERROR(ReadStruct(r, info, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.is_adjusted_to_utc);
      case 2:
        CQLBULK_RETURN_IF_ERROR(Expect(r, f, ThriftType::kStruct));
        return ReadTimeUnit(r, unit);
      default:
        return r.Skip(f.type);
    }
  }));
  if (unit >= 1 && unit <= 3) {
    out.unit = static_cast<TimeUnit>(unit - 1);
  } else {
    out = {.kind = Kind::kUnrecognized, .unrecognized_id = union_id};
  }
  return OkStatus();
}

Status ReadDecimalType(CompactReader& r, LogicalTypeAnnotation& out) {
  return ReadStruct(r, kDecimalType, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.scale);
      case 2:
        return Read(r, f, out.precision);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadIntType(CompactReader& r, LogicalTypeAnnotation& out) {
  return ReadStruct(r, kIntType, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.bit_width);
      case 2:
        return Read(r, f, out.is_signed);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadLogicalType(CompactReader& r, LogicalTypeAnnotation& out) {
  out = {};
  return ReadStruct(r, kLogicalType, [&](const Field& f) -> Status {
    out = {};
    switch (f.id) {
      case 1:
        out.kind = Kind::kString;
        return SkipStruct(r, f);
      case 2:
        out.kind = Kind::kMap;
        return SkipStruct(r, f);
      case 3:
        out.kind = Kind::kList;
        return SkipStruct(r, f);
      case 4:
        out.kind = Kind::kEnum;
        return SkipStruct(r, f);
      case 5:
        out.kind = Kind::kDecimal;
        return ReadStructField(r, f, out, ReadDecimalType);
      case 6:
        out.kind = Kind::kDate;
        return SkipStruct(r, f);
      case 7:
      case 8: {
        out.kind = f.id == 7 ? Kind::kTime : Kind::kTimestamp;
        CQLBULK_RETURN_IF_ERROR(Expect(r, f, ThriftType::kStruct));
        return ReadTimeType(r, f.id == 7 ? kTimeType : kTimestampType, f.id, out);
      }
      case 10:
        out.kind = Kind::kInteger;
        return ReadStructField(r, f, out, ReadIntType);
      case 11:
        out.kind = Kind::kUnknown;
        return SkipStruct(r, f);
      case 12:
        out.kind = Kind::kJson;
        return SkipStruct(r, f);
      case 13:
        out.kind = Kind::kBson;
        return SkipStruct(r, f);
      case 14:
        out.kind = Kind::kUuid;
        return SkipStruct(r, f);
      case 15:
        out.kind = Kind::kFloat16;
        return SkipStruct(r, f);
      default:
        // VARIANT, GEOMETRY, GEOGRAPHY, VECTOR and whatever comes next.
        out.kind = Kind::kUnrecognized;
        out.unrecognized_id = f.id;
        return r.Skip(f.type);
    }
  });
}

Status ReadSchemaElement(CompactReader& r, SchemaElement& out) {
  return ReadStruct(r, kSchemaElement, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.type);
      case 2:
        return Read(r, f, out.type_length);
      case 3:
        return Read(r, f, out.repetition_type);
      case 4:
        return Read(r, f, out.name);
      case 5:
        return Read(r, f, out.num_children);
      case 6:
        return Read(r, f, out.converted_type);
      case 7:
        return Read(r, f, out.scale);
      case 8:
        return Read(r, f, out.precision);
      case 9:
        return Read(r, f, out.field_id);
      case 10:
        return ReadStructField(r, f, out.logical_type, ReadLogicalType);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadKeyValue(CompactReader& r, KeyValue& out) {
  return ReadStruct(r, kKeyValue, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.key);
      case 2:
        return Read(r, f, out.value);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadKeyValues(CompactReader& r, const Field& f, std::vector<KeyValue>& out) {
  return ReadList(r, f, ThriftType::kStruct, kMinKeyValueBytes, out, ReadKeyValue);
}

Status ReadPageEncodingStats(CompactReader& r, PageEncodingStats& out) {
  return ReadStruct(r, kPageEncodingStats, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.page_type);
      case 2:
        return Read(r, f, out.encoding);
      case 3:
        return Read(r, f, out.count);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadColumnMetaData(CompactReader& r, ColumnMetaData& out) {
  return ReadStruct(r, kColumnMetaData, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.type);
      case 2:
        return ReadList(r, f, ThriftType::kI32, 1, out.encodings, ReadI32Element);
      case 3:
        return ReadList(r, f, ThriftType::kBinary, 1, out.path_in_schema, ReadStringElement);
      case 4:
        return Read(r, f, out.codec);
      case 5:
        return Read(r, f, out.num_values);
      case 6:
        return Read(r, f, out.total_uncompressed_size);
      case 7:
        return Read(r, f, out.total_compressed_size);
      case 8:
        return ReadKeyValues(r, f, out.key_value_metadata);
      case 9:
        return Read(r, f, out.data_page_offset);
      case 10:
        return Read(r, f, out.index_page_offset);
      case 11:
        return Read(r, f, out.dictionary_page_offset);
      case 12:
        return ReadStructField(r, f, out.statistics, ReadStatistics);
      case 13:
        return ReadList(r, f, ThriftType::kStruct, kMinPageEncodingStatsBytes,
                        out.encoding_stats, ReadPageEncodingStats);
      case 14:
        return Read(r, f, out.bloom_filter_offset);
      case 15:
        return Read(r, f, out.bloom_filter_length);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadColumnChunk(CompactReader& r, ColumnChunk& out) {
  return ReadStruct(r, kColumnChunk, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.file_path);
      case 2:
        return Read(r, f, out.file_offset);
      case 3:
        return ReadStructField(r, f, out.meta_data, ReadColumnMetaData);
      case 4:
        return Read(r, f, out.offset_index_offset);
      case 5:
        return Read(r, f, out.offset_index_length);
      case 6:
        return Read(r, f, out.column_index_offset);
      case 7:
        return Read(r, f, out.column_index_length);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadRowGroup(CompactReader& r, RowGroup& out) {
  return ReadStruct(r, kRowGroup, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return ReadList(r, f, ThriftType::kStruct, kMinColumnChunkBytes, out.columns,
                        ReadColumnChunk);
      case 2:
        return Read(r, f, out.total_byte_size);
      case 3:
        return Read(r, f, out.num_rows);
      case 5:
        return Read(r, f, out.file_offset);
      case 6:
        return Read(r, f, out.total_compressed_size);
      case 7:
        return Read(r, f, out.ordinal);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadColumnOrder(CompactReader& r, ColumnOrder& out) {
  out = ColumnOrder::kUnrecognized;
  return ReadStruct(r, kColumnOrder, [&](const Field& f) -> Status {
    if (f.id >= 1 && f.id <= 3) {
      out = static_cast<ColumnOrder>(f.id);
      return SkipStruct(r, f);
    }
    out = ColumnOrder::kUnrecognized;
    return r.Skip(f.type);
  });
}

Status ReadFileMetaData(CompactReader& r, FileMetaData& out) {
  return ReadStruct(r, kFileMetaData, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.version);
      case 2:
        return ReadList(r, f, ThriftType::kStruct, kMinSchemaElementBytes, out.schema,
                        ReadSchemaElement);
      case 3:
        return Read(r, f, out.num_rows);
      case 4:
        return ReadList(r, f, ThriftType::kStruct, kMinRowGroupBytes, out.row_groups,
                        ReadRowGroup);
      case 5:
        return ReadKeyValues(r, f, out.key_value_metadata);
      case 6:
        return Read(r, f, out.created_by);
      case 7:
        return ReadList(r, f, ThriftType::kStruct, 1, out.column_orders, ReadColumnOrder);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadDataPageHeader(CompactReader& r, DataPageHeader& out) {
  return ReadStruct(r, kDataPageHeader, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.num_values);
      case 2:
        return Read(r, f, out.encoding);
      case 3:
        return Read(r, f, out.definition_level_encoding);
      case 4:
        return Read(r, f, out.repetition_level_encoding);
      case 5:
        return ReadStructField(r, f, out.statistics, ReadStatistics);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadDictionaryPageHeader(CompactReader& r, DictionaryPageHeader& out) {
  return ReadStruct(r, kDictionaryPageHeader, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.num_values);
      case 2:
        return Read(r, f, out.encoding);
      case 3:
        return Read(r, f, out.is_sorted);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadDataPageHeaderV2(CompactReader& r, DataPageHeaderV2& out) {
  return ReadStruct(r, kDataPageHeaderV2, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.num_values);
      case 2:
        return Read(r, f, out.num_nulls);
      case 3:
        return Read(r, f, out.num_rows);
      case 4:
        return Read(r, f, out.encoding);
      case 5:
        return Read(r, f, out.definition_levels_byte_length);
      case 6:
        return Read(r, f, out.repetition_levels_byte_length);
      case 7:
        return Read(r, f, out.is_compressed);
      case 8:
        return ReadStructField(r, f, out.statistics, ReadStatistics);
      default:
        return r.Skip(f.type);
    }
  });
}

Status ReadPageHeader(CompactReader& r, PageHeader& out) {
  return ReadStruct(r, kPageHeader, [&](const Field& f) -> Status {
    switch (f.id) {
      case 1:
        return Read(r, f, out.type);
      case 2:
        return Read(r, f, out.uncompressed_page_size);
      case 3:
        return Read(r, f, out.compressed_page_size);
      case 4:
        return Read(r, f, out.crc);
      case 5:
        return ReadStructField(r, f, out.data_page_header, ReadDataPageHeader);
      case 7:
        return ReadStructField(r, f, out.dictionary_page_header, ReadDictionaryPageHeader);
      case 8:
        return ReadStructField(r, f, out.data_page_header_v2, ReadDataPageHeaderV2);
      default:
        return r.Skip(f.type);  // 6: index_page_header (empty)
    }
  });
}

// The sizes and counts a page reader allocates or loops by, and the header its type needs.
Status CheckPageHeader(const PageHeader& h) {
  auto negative = [](std::string_view field, int32_t value) {
    return Corrupt("PageHeader." + std::string(field) + " is negative (" +
                   std::to_string(value) + ")");
  };
  if (h.uncompressed_page_size < 0) {
    return negative("uncompressed_page_size", h.uncompressed_page_size);
  }
  if (h.compressed_page_size < 0) {
    return negative("compressed_page_size", h.compressed_page_size);
  }
  auto missing = [&](std::string_view field) {
    return Corrupt("PageHeader of type " + std::string(PageTypeName(h.type)) + " has no " +
                   std::string(field));
  };
  switch (h.type) {
    case PageType::kDataPage:
      if (!h.data_page_header.has_value()) {
        return missing("data_page_header");
      }
      if (h.data_page_header->num_values < 0) {
        return negative("data_page_header.num_values", h.data_page_header->num_values);
      }
      break;
    case PageType::kDictionaryPage:
      if (!h.dictionary_page_header.has_value()) {
        return missing("dictionary_page_header");
      }
      if (h.dictionary_page_header->num_values < 0) {
        return negative("dictionary_page_header.num_values",
                        h.dictionary_page_header->num_values);
      }
      break;
    case PageType::kDataPageV2: {
      if (!h.data_page_header_v2.has_value()) {
        return missing("data_page_header_v2");
      }
      const DataPageHeaderV2& v2 = *h.data_page_header_v2;
      for (auto [field, value] : {std::pair{"num_values", v2.num_values},
                                  {"num_nulls", v2.num_nulls},
                                  {"num_rows", v2.num_rows},
                                  {"definition_levels_byte_length",
                                   v2.definition_levels_byte_length},
                                  {"repetition_levels_byte_length",
                                   v2.repetition_levels_byte_length}}) {
        if (value < 0) {
          return negative("data_page_header_v2." + std::string(field), value);
        }
      }
      break;
    }
    default:
      break;  // index pages and unknown types: the reader skips them by compressed size
  }
  return OkStatus();
}

}  // namespace

Result<FileMetaData> ParseFileMetaData(BytesView footer) {
  CompactReader r(footer);
  FileMetaData metadata;
  if (Status status = ReadFileMetaData(r, metadata); !status.has_value()) {
    return std::move(status).error().WithContext("Parquet footer");
  }
  return metadata;
}

Result<PageHeader> ParsePageHeader(BytesView bytes, size_t* header_size) {
  CompactReader r(bytes);
  PageHeader header;
  Status status = ReadPageHeader(r, header);
  if (status.has_value()) {
    status = CheckPageHeader(header);
  }
  if (!status.has_value()) {
    return std::move(status).error().WithContext("Parquet page header");
  }
  if (header_size != nullptr) {
    *header_size = r.position();
  }
  return header;
}

}  // namespace cqlbulk::formats::parquet
