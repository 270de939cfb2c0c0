// SPDX-License-Identifier: Apache-2.0
// Serialize: FileMetaData and PageHeader in the Thrift compact protocol. Field ids are those of
// parquet.thrift; optional fields are written only when set (lists: when not empty).
#include <cstdint>
#include <limits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/format/metadata.h"
#include "cqlbulk/formats/parquet/format/thrift_compact.h"

namespace cqlbulk::formats::parquet {
namespace {

using Kind = LogicalTypeAnnotation::Kind;

uint32_t ListSize(size_t size) {
  CQLBULK_CHECK(size <= size_t{std::numeric_limits<int32_t>::max()}, "thrift list too long");
  return static_cast<uint32_t>(size);
}

template <typename Enum>
void WriteEnumField(CompactWriter& w, int16_t id, Enum value) {
  w.WriteI32Field(id, static_cast<int32_t>(value));
}

void WriteOptional(CompactWriter& w, int16_t id, const std::optional<int32_t>& value) {
  if (value.has_value()) {
    w.WriteI32Field(id, *value);
  }
}

void WriteOptional(CompactWriter& w, int16_t id, const std::optional<int64_t>& value) {
  if (value.has_value()) {
    w.WriteI64Field(id, *value);
  }
}

void WriteOptional(CompactWriter& w, int16_t id, const std::optional<std::string>& value) {
  if (value.has_value()) {
    w.WriteStringField(id, *value);
  }
}

void WriteOptional(CompactWriter& w, int16_t id, const std::optional<bool>& value) {
  if (value.has_value()) {
    w.WriteBoolField(id, *value);
  }
}

// An empty struct as a union member (StringType, MilliSeconds, TypeDefinedOrder, ...).
void WriteEmptyStructField(CompactWriter& w, int16_t id) {
  w.BeginStructField(id);
  w.EndStruct();
}

void WriteStatistics(CompactWriter& w, const Statistics& s) {
  w.BeginStruct();
  WriteOptional(w, 1, s.max);
  WriteOptional(w, 2, s.min);
  WriteOptional(w, 3, s.null_count);
  WriteOptional(w, 4, s.distinct_count);
  WriteOptional(w, 5, s.max_value);
  WriteOptional(w, 6, s.min_value);
  WriteOptional(w, 7, s.is_max_value_exact);
  WriteOptional(w, 8, s.is_min_value_exact);
  WriteOptional(w, 9, s.nan_count);
  w.EndStruct();
}

void WriteOptionalStatistics(CompactWriter& w, int16_t id, const std::optional<Statistics>& s) {
  if (s.has_value()) {
    w.WriteFieldHeader(ThriftType::kStruct, id);
    WriteStatistics(w, *s);
  }
}

// TimeType and TimestampType: {1: isAdjustedToUTC, 2: unit (union of empty structs)}.
void WriteTimeStruct(CompactWriter& w, int16_t id, const LogicalTypeAnnotation& type) {
  w.BeginStructField(id);
  w.WriteBoolField(1, type.is_adjusted_to_utc);
  w.BeginStructField(2);
  WriteEmptyStructField(w, static_cast<int16_t>(static_cast<int>(type.unit) + 1));
  w.EndStruct();
  w.EndStruct();
}

// The LogicalType union: one member, its field id per parquet.thrift.
void WriteLogicalType(CompactWriter& w, int16_t id, const LogicalTypeAnnotation& type) {
  if (type.kind == Kind::kNone || type.kind == Kind::kUnrecognized) {
    return;
  }
  w.BeginStructField(id);
  switch (type.kind) {
    case Kind::kString:
      WriteEmptyStructField(w, 1);
      break;
    case Kind::kMap:
      WriteEmptyStructField(w, 2);
      break;
    case Kind::kList:
      WriteEmptyStructField(w, 3);
      break;
    case Kind::kEnum:
      WriteEmptyStructField(w, 4);
      break;
    case Kind::kDecimal:
      w.BeginStructField(5);
      w.WriteI32Field(1, type.scale);
      w.WriteI32Field(2, type.precision);
      w.EndStruct();
      break;
    case Kind::kDate:
      WriteEmptyStructField(w, 6);
      break;
    case Kind::kTime:
      WriteTimeStruct(w, 7, type);
      break;
    case Kind::kTimestamp:
      WriteTimeStruct(w, 8, type);
      break;
    case Kind::kInteger:
      w.BeginStructField(10);
      w.WriteI8Field(1, type.bit_width);
      w.WriteBoolField(2, type.is_signed);
      w.EndStruct();
      break;
    case Kind::kUnknown:
      WriteEmptyStructField(w, 11);
      break;
    case Kind::kJson:
      WriteEmptyStructField(w, 12);
      break;
    case Kind::kBson:
      WriteEmptyStructField(w, 13);
      break;
    case Kind::kUuid:
      WriteEmptyStructField(w, 14);
      break;
    case Kind::kFloat16:
      WriteEmptyStructField(w, 15);
      break;
    case Kind::kNone:
    case Kind::kUnrecognized:
      break;
  }
  w.EndStruct();
}

void WriteSchemaElement(CompactWriter& w, const SchemaElement& e) {
  w.BeginStruct();
  if (e.type.has_value()) {
    WriteEnumField(w, 1, *e.type);
  }
  WriteOptional(w, 2, e.type_length);
  if (e.repetition_type.has_value()) {
    WriteEnumField(w, 3, *e.repetition_type);
  }
  w.WriteStringField(4, e.name);
  WriteOptional(w, 5, e.num_children);
  if (e.converted_type.has_value()) {
    WriteEnumField(w, 6, *e.converted_type);
  }
  WriteOptional(w, 7, e.scale);
  WriteOptional(w, 8, e.precision);
  WriteOptional(w, 9, e.field_id);
  WriteLogicalType(w, 10, e.logical_type);
  w.EndStruct();
}

void WriteKeyValues(CompactWriter& w, int16_t id, const std::vector<KeyValue>& key_values) {
  if (key_values.empty()) {
    return;
  }
  w.BeginListField(id, ThriftType::kStruct, ListSize(key_values.size()));
  for (const KeyValue& kv : key_values) {
    w.BeginStruct();
    w.WriteStringField(1, kv.key);
    WriteOptional(w, 2, kv.value);
    w.EndStruct();
  }
}

void WriteColumnMetaData(CompactWriter& w, const ColumnMetaData& m) {
  w.BeginStruct();
  WriteEnumField(w, 1, m.type);
  w.BeginListField(2, ThriftType::kI32, ListSize(m.encodings.size()));
  for (Encoding encoding : m.encodings) {
    w.WriteI32(static_cast<int32_t>(encoding));
  }
  w.BeginListField(3, ThriftType::kBinary, ListSize(m.path_in_schema.size()));
  for (const std::string& part : m.path_in_schema) {
    w.WriteString(part);
  }
  WriteEnumField(w, 4, m.codec);
  w.WriteI64Field(5, m.num_values);
  w.WriteI64Field(6, m.total_uncompressed_size);
  w.WriteI64Field(7, m.total_compressed_size);
  WriteKeyValues(w, 8, m.key_value_metadata);
  w.WriteI64Field(9, m.data_page_offset);
  WriteOptional(w, 10, m.index_page_offset);
  WriteOptional(w, 11, m.dictionary_page_offset);
  WriteOptionalStatistics(w, 12, m.statistics);
  if (!m.encoding_stats.empty()) {
    w.BeginListField(13, ThriftType::kStruct, ListSize(m.encoding_stats.size()));
    for (const PageEncodingStats& stats : m.encoding_stats) {
      w.BeginStruct();
      WriteEnumField(w, 1, stats.page_type);
      WriteEnumField(w, 2, stats.encoding);
      w.WriteI32Field(3, stats.count);
      w.EndStruct();
    }
  }
  WriteOptional(w, 14, m.bloom_filter_offset);
  WriteOptional(w, 15, m.bloom_filter_length);
  w.EndStruct();
}

void WriteColumnChunk(CompactWriter& w, const ColumnChunk& c) {
  w.BeginStruct();
  WriteOptional(w, 1, c.file_path);
  w.WriteI64Field(2, c.file_offset);
  if (c.meta_data.has_value()) {
    w.WriteFieldHeader(ThriftType::kStruct, 3);
    WriteColumnMetaData(w, *c.meta_data);
  }
  WriteOptional(w, 4, c.offset_index_offset);
  WriteOptional(w, 5, c.offset_index_length);
  WriteOptional(w, 6, c.column_index_offset);
  WriteOptional(w, 7, c.column_index_length);
  w.EndStruct();
}

void WriteRowGroup(CompactWriter& w, const RowGroup& g) {
  w.BeginStruct();
  w.BeginListField(1, ThriftType::kStruct, ListSize(g.columns.size()));
  for (const ColumnChunk& column : g.columns) {
    WriteColumnChunk(w, column);
  }
  w.WriteI64Field(2, g.total_byte_size);
  w.WriteI64Field(3, g.num_rows);
  WriteOptional(w, 5, g.file_offset);
  WriteOptional(w, 6, g.total_compressed_size);
  if (g.ordinal.has_value()) {
    w.WriteI16Field(7, *g.ordinal);
  }
  w.EndStruct();
}

void WriteDataPageHeader(CompactWriter& w, const DataPageHeader& h) {
  w.BeginStruct();
  w.WriteI32Field(1, h.num_values);
  WriteEnumField(w, 2, h.encoding);
  WriteEnumField(w, 3, h.definition_level_encoding);
  WriteEnumField(w, 4, h.repetition_level_encoding);
  WriteOptionalStatistics(w, 5, h.statistics);
  w.EndStruct();
}

void WriteDictionaryPageHeader(CompactWriter& w, const DictionaryPageHeader& h) {
  w.BeginStruct();
  w.WriteI32Field(1, h.num_values);
  WriteEnumField(w, 2, h.encoding);
  WriteOptional(w, 3, h.is_sorted);
  w.EndStruct();
}

void WriteDataPageHeaderV2(CompactWriter& w, const DataPageHeaderV2& h) {
  w.BeginStruct();
  w.WriteI32Field(1, h.num_values);
  w.WriteI32Field(2, h.num_nulls);
  w.WriteI32Field(3, h.num_rows);
  WriteEnumField(w, 4, h.encoding);
  w.WriteI32Field(5, h.definition_levels_byte_length);
  w.WriteI32Field(6, h.repetition_levels_byte_length);
  w.WriteBoolField(7, h.is_compressed);
  WriteOptionalStatistics(w, 8, h.statistics);
  w.EndStruct();
}

}  // namespace

void Serialize(const FileMetaData& metadata, data::Buffer& out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.WriteI32Field(1, metadata.version);
  w.BeginListField(2, ThriftType::kStruct, ListSize(metadata.schema.size()));
  for (const SchemaElement& element : metadata.schema) {
    WriteSchemaElement(w, element);
  }
  w.WriteI64Field(3, metadata.num_rows);
  w.BeginListField(4, ThriftType::kStruct, ListSize(metadata.row_groups.size()));
  for (const RowGroup& row_group : metadata.row_groups) {
    WriteRowGroup(w, row_group);
  }
  WriteKeyValues(w, 5, metadata.key_value_metadata);
  WriteOptional(w, 6, metadata.created_by);
  if (!metadata.column_orders.empty()) {
    w.BeginListField(7, ThriftType::kStruct, ListSize(metadata.column_orders.size()));
    for (ColumnOrder order : metadata.column_orders) {
      w.BeginStruct();
      if (order != ColumnOrder::kUnrecognized) {
        WriteEmptyStructField(w, static_cast<int16_t>(order));
      }
      w.EndStruct();
    }
  }
  w.EndStruct();
}

void Serialize(const PageHeader& header, data::Buffer& out) {
  CompactWriter w(out);
  w.BeginStruct();
  WriteEnumField(w, 1, header.type);
  w.WriteI32Field(2, header.uncompressed_page_size);
  w.WriteI32Field(3, header.compressed_page_size);
  WriteOptional(w, 4, header.crc);
  if (header.data_page_header.has_value()) {
    w.WriteFieldHeader(ThriftType::kStruct, 5);
    WriteDataPageHeader(w, *header.data_page_header);
  }
  if (header.dictionary_page_header.has_value()) {
    w.WriteFieldHeader(ThriftType::kStruct, 7);
    WriteDictionaryPageHeader(w, *header.dictionary_page_header);
  }
  if (header.data_page_header_v2.has_value()) {
    w.WriteFieldHeader(ThriftType::kStruct, 8);
    WriteDataPageHeaderV2(w, *header.data_page_header_v2);
  }
  w.EndStruct();
}

}  // namespace cqlbulk::formats::parquet
