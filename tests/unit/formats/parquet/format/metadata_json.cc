// SPDX-License-Identifier: Apache-2.0
#include "metadata_json.h"

#include <array>
#include <stdexcept>
#include <string>

namespace cqlbulk::formats::parquet::testing {
namespace {

using nlohmann::json;
using Kind = LogicalTypeAnnotation::Kind;

constexpr std::array<std::string_view, 16> kKindNames = {
    "NONE", "STRING",  "MAP",     "LIST", "ENUM", "DECIMAL", "DATE",    "TIME",
    "TIMESTAMP", "INTEGER", "UNKNOWN", "JSON", "BSON", "UUID",    "FLOAT16", "UNRECOGNIZED"};
constexpr std::array<std::string_view, 4> kColumnOrderNames = {
    "UNRECOGNIZED", "TYPE_ORDER", "IEEE_754_TOTAL_ORDER", "INT96_TIMESTAMP_ORDER"};

// An enum as its name, or its int when parquet.thrift does not define it.
template <typename Enum>
json EnumToJson(Enum value, std::string_view (*name)(Enum)) {
  std::string_view text = name(value);
  if (text == "UNKNOWN") {
    return static_cast<int>(value);
  }
  return std::string(text);
}

template <typename Enum>
Enum EnumFromJson(const json& j, std::string_view (*name)(Enum)) {
  if (j.is_number_integer()) {
    return static_cast<Enum>(j.get<int>());
  }
  const auto text = j.get<std::string>();
  for (int i = 0; i < 64; ++i) {
    if (name(static_cast<Enum>(i)) == text) {
      return static_cast<Enum>(i);
    }
  }
  throw std::runtime_error("unknown enum name " + text);
}

template <typename T>
void Put(json& j, const char* key, const std::optional<T>& value) {
  if (value.has_value()) {
    j[key] = *value;
  }
}

template <typename T>
void Get(const json& j, const char* key, std::optional<T>& value) {
  if (j.contains(key)) {
    value = j.at(key).get<T>();
  }
}

void PutHex(json& j, const char* key, const std::optional<std::string>& value) {
  if (value.has_value()) {
    j[key] = ToHex(AsBytes(*value));
  }
}

void GetHex(const json& j, const char* key, std::optional<std::string>& value) {
  if (j.contains(key)) {
    Result<Bytes> bytes = FromHex(j.at(key).get<std::string>());
    if (!bytes.has_value()) {
      throw std::runtime_error(bytes.error().ToString());
    }
    value = std::string(AsChars(*bytes));
  }
}

json ToJson(const LogicalTypeAnnotation& t) {
  json j = {{"kind", kKindNames[static_cast<size_t>(t.kind)]}};
  switch (t.kind) {
    case Kind::kDecimal:
      j["precision"] = t.precision;
      j["scale"] = t.scale;
      break;
    case Kind::kTime:
    case Kind::kTimestamp:
      j["unit"] = TimeUnitName(t.unit);
      j["is_adjusted_to_utc"] = t.is_adjusted_to_utc;
      break;
    case Kind::kInteger:
      j["bit_width"] = t.bit_width;
      j["is_signed"] = t.is_signed;
      break;
    case Kind::kUnrecognized:
      j["id"] = t.unrecognized_id;
      break;
    default:
      break;
  }
  return j;
}

LogicalTypeAnnotation LogicalTypeFromJson(const json& j) {
  LogicalTypeAnnotation t;
  const auto kind = j.at("kind").get<std::string>();
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == kind) {
      t.kind = static_cast<Kind>(i);
    }
  }
  t.precision = j.value("precision", 0);
  t.scale = j.value("scale", 0);
  t.is_adjusted_to_utc = j.value("is_adjusted_to_utc", false);
  t.unit = EnumFromJson<TimeUnit>(j.value("unit", json("MILLIS")), TimeUnitName);
  t.bit_width = j.value("bit_width", int8_t{0});
  t.is_signed = j.value("is_signed", true);
  t.unrecognized_id = j.value("id", int16_t{0});
  return t;
}

json ToJson(const Statistics& s) {
  json j = json::object();
  PutHex(j, "max", s.max);
  PutHex(j, "min", s.min);
  Put(j, "null_count", s.null_count);
  Put(j, "distinct_count", s.distinct_count);
  PutHex(j, "max_value", s.max_value);
  PutHex(j, "min_value", s.min_value);
  Put(j, "is_max_value_exact", s.is_max_value_exact);
  Put(j, "is_min_value_exact", s.is_min_value_exact);
  Put(j, "nan_count", s.nan_count);
  return j;
}

Statistics StatisticsFromJson(const json& j) {
  Statistics s;
  GetHex(j, "max", s.max);
  GetHex(j, "min", s.min);
  Get(j, "null_count", s.null_count);
  Get(j, "distinct_count", s.distinct_count);
  GetHex(j, "max_value", s.max_value);
  GetHex(j, "min_value", s.min_value);
  Get(j, "is_max_value_exact", s.is_max_value_exact);
  Get(j, "is_min_value_exact", s.is_min_value_exact);
  Get(j, "nan_count", s.nan_count);
  return s;
}

json ToJson(const std::vector<KeyValue>& key_values) {
  json j = json::array();
  for (const KeyValue& kv : key_values) {
    json entry = {{"key", kv.key}};
    Put(entry, "value", kv.value);
    j.push_back(std::move(entry));
  }
  return j;
}

std::vector<KeyValue> KeyValuesFromJson(const json& j) {
  std::vector<KeyValue> out;
  for (const json& entry : j) {
    KeyValue kv{.key = entry.at("key").get<std::string>()};
    Get(entry, "value", kv.value);
    out.push_back(std::move(kv));
  }
  return out;
}

json ToJson(const SchemaElement& e) {
  json j = {{"name", e.name}};
  if (e.type.has_value()) {
    j["type"] = EnumToJson(*e.type, PhysicalTypeName);
  }
  Put(j, "type_length", e.type_length);
  if (e.repetition_type.has_value()) {
    j["repetition_type"] = EnumToJson(*e.repetition_type, RepetitionName);
  }
  Put(j, "num_children", e.num_children);
  if (e.converted_type.has_value()) {
    j["converted_type"] = EnumToJson(*e.converted_type, ConvertedTypeName);
  }
  Put(j, "scale", e.scale);
  Put(j, "precision", e.precision);
  Put(j, "field_id", e.field_id);
  if (e.logical_type.kind != Kind::kNone) {
    j["logical_type"] = ToJson(e.logical_type);
  }
  return j;
}

SchemaElement SchemaElementFromJson(const json& j) {
  SchemaElement e{.name = j.at("name").get<std::string>()};
  if (j.contains("type")) {
    e.type = EnumFromJson<PhysicalType>(j["type"], PhysicalTypeName);
  }
  Get(j, "type_length", e.type_length);
  if (j.contains("repetition_type")) {
    e.repetition_type = EnumFromJson<Repetition>(j["repetition_type"], RepetitionName);
  }
  Get(j, "num_children", e.num_children);
  if (j.contains("converted_type")) {
    e.converted_type = EnumFromJson<ConvertedType>(j["converted_type"], ConvertedTypeName);
  }
  Get(j, "scale", e.scale);
  Get(j, "precision", e.precision);
  Get(j, "field_id", e.field_id);
  if (j.contains("logical_type")) {
    e.logical_type = LogicalTypeFromJson(j["logical_type"]);
  }
  return e;
}

json ToJson(const ColumnMetaData& m) {
  json j = {{"type", EnumToJson(m.type, PhysicalTypeName)},
            {"path_in_schema", m.path_in_schema},
            {"codec", EnumToJson(m.codec, CompressionCodecName)},
            {"num_values", m.num_values},
            {"total_uncompressed_size", m.total_uncompressed_size},
            {"total_compressed_size", m.total_compressed_size},
            {"data_page_offset", m.data_page_offset}};
  j["encodings"] = json::array();
  for (Encoding e : m.encodings) {
    j["encodings"].push_back(EnumToJson(e, EncodingName));
  }
  if (!m.key_value_metadata.empty()) {
    j["key_value_metadata"] = ToJson(m.key_value_metadata);
  }
  Put(j, "index_page_offset", m.index_page_offset);
  Put(j, "dictionary_page_offset", m.dictionary_page_offset);
  if (m.statistics.has_value()) {
    j["statistics"] = ToJson(*m.statistics);
  }
  if (!m.encoding_stats.empty()) {
    j["encoding_stats"] = json::array();
    for (const PageEncodingStats& s : m.encoding_stats) {
      j["encoding_stats"].push_back({{"page_type", EnumToJson(s.page_type, PageTypeName)},
                                     {"encoding", EnumToJson(s.encoding, EncodingName)},
                                     {"count", s.count}});
    }
  }
  Put(j, "bloom_filter_offset", m.bloom_filter_offset);
  Put(j, "bloom_filter_length", m.bloom_filter_length);
  return j;
}

ColumnMetaData ColumnMetaDataFromJson(const json& j) {
  ColumnMetaData m;
  m.type = EnumFromJson<PhysicalType>(j.at("type"), PhysicalTypeName);
  for (const json& e : j.at("encodings")) {
    m.encodings.push_back(EnumFromJson<Encoding>(e, EncodingName));
  }
  m.path_in_schema = j.at("path_in_schema").get<std::vector<std::string>>();
  m.codec = EnumFromJson<CompressionCodec>(j.at("codec"), CompressionCodecName);
  m.num_values = j.at("num_values").get<int64_t>();
  m.total_uncompressed_size = j.at("total_uncompressed_size").get<int64_t>();
  m.total_compressed_size = j.at("total_compressed_size").get<int64_t>();
  if (j.contains("key_value_metadata")) {
    m.key_value_metadata = KeyValuesFromJson(j["key_value_metadata"]);
  }
  m.data_page_offset = j.at("data_page_offset").get<int64_t>();
  Get(j, "index_page_offset", m.index_page_offset);
  Get(j, "dictionary_page_offset", m.dictionary_page_offset);
  if (j.contains("statistics")) {
    m.statistics = StatisticsFromJson(j["statistics"]);
  }
  if (j.contains("encoding_stats")) {
    for (const json& s : j["encoding_stats"]) {
      m.encoding_stats.push_back(
          {.page_type = EnumFromJson<PageType>(s.at("page_type"), PageTypeName),
           .encoding = EnumFromJson<Encoding>(s.at("encoding"), EncodingName),
           .count = s.at("count").get<int32_t>()});
    }
  }
  Get(j, "bloom_filter_offset", m.bloom_filter_offset);
  Get(j, "bloom_filter_length", m.bloom_filter_length);
  return m;
}

json ToJson(const RowGroup& g) {
  json j = {{"total_byte_size", g.total_byte_size}, {"num_rows", g.num_rows}};
  j["columns"] = json::array();
  for (const ColumnChunk& c : g.columns) {
    json column = {{"file_offset", c.file_offset}};
    Put(column, "file_path", c.file_path);
    if (c.meta_data.has_value()) {
      column["meta_data"] = ToJson(*c.meta_data);
    }
    Put(column, "offset_index_offset", c.offset_index_offset);
    Put(column, "offset_index_length", c.offset_index_length);
    Put(column, "column_index_offset", c.column_index_offset);
    Put(column, "column_index_length", c.column_index_length);
    j["columns"].push_back(std::move(column));
  }
  Put(j, "file_offset", g.file_offset);
  Put(j, "total_compressed_size", g.total_compressed_size);
  Put(j, "ordinal", g.ordinal);
  return j;
}

RowGroup RowGroupFromJson(const json& j) {
  RowGroup g;
  for (const json& column : j.at("columns")) {
    ColumnChunk c{.file_offset = column.at("file_offset").get<int64_t>()};
    Get(column, "file_path", c.file_path);
    if (column.contains("meta_data")) {
      c.meta_data = ColumnMetaDataFromJson(column["meta_data"]);
    }
    Get(column, "offset_index_offset", c.offset_index_offset);
    Get(column, "offset_index_length", c.offset_index_length);
    Get(column, "column_index_offset", c.column_index_offset);
    Get(column, "column_index_length", c.column_index_length);
    g.columns.push_back(std::move(c));
  }
  g.total_byte_size = j.at("total_byte_size").get<int64_t>();
  g.num_rows = j.at("num_rows").get<int64_t>();
  Get(j, "file_offset", g.file_offset);
  Get(j, "total_compressed_size", g.total_compressed_size);
  Get(j, "ordinal", g.ordinal);
  return g;
}

}  // namespace

json ToJson(const FileMetaData& m) {
  json j = {{"version", m.version}, {"num_rows", m.num_rows}};
  j["schema"] = json::array();
  for (const SchemaElement& e : m.schema) {
    j["schema"].push_back(ToJson(e));
  }
  j["row_groups"] = json::array();
  for (const RowGroup& g : m.row_groups) {
    j["row_groups"].push_back(ToJson(g));
  }
  if (!m.key_value_metadata.empty()) {
    j["key_value_metadata"] = ToJson(m.key_value_metadata);
  }
  Put(j, "created_by", m.created_by);
  if (!m.column_orders.empty()) {
    j["column_orders"] = json::array();
    for (ColumnOrder order : m.column_orders) {
      j["column_orders"].push_back(kColumnOrderNames[static_cast<size_t>(order)]);
    }
  }
  return j;
}

FileMetaData FileMetaDataFromJson(const json& j) {
  FileMetaData m;
  m.version = j.value("version", 2);
  m.num_rows = j.value("num_rows", int64_t{0});
  for (const json& e : j.at("schema")) {
    m.schema.push_back(SchemaElementFromJson(e));
  }
  if (j.contains("row_groups")) {
    for (const json& g : j["row_groups"]) {
      m.row_groups.push_back(RowGroupFromJson(g));
    }
  }
  if (j.contains("key_value_metadata")) {
    m.key_value_metadata = KeyValuesFromJson(j["key_value_metadata"]);
  }
  Get(j, "created_by", m.created_by);
  if (j.contains("column_orders")) {
    for (const json& order : j["column_orders"]) {
      for (size_t i = 0; i < kColumnOrderNames.size(); ++i) {
        if (kColumnOrderNames[i] == order.get<std::string>()) {
          m.column_orders.push_back(static_cast<ColumnOrder>(i));
        }
      }
    }
  }
  return m;
}

json ToJson(const PageHeader& h) {
  json j = {{"type", EnumToJson(h.type, PageTypeName)},
            {"uncompressed_page_size", h.uncompressed_page_size},
            {"compressed_page_size", h.compressed_page_size}};
  Put(j, "crc", h.crc);
  if (h.data_page_header.has_value()) {
    const DataPageHeader& d = *h.data_page_header;
    json& out = j["data_page_header"] = {
        {"num_values", d.num_values},
        {"encoding", EnumToJson(d.encoding, EncodingName)},
        {"definition_level_encoding", EnumToJson(d.definition_level_encoding, EncodingName)},
        {"repetition_level_encoding", EnumToJson(d.repetition_level_encoding, EncodingName)}};
    if (d.statistics.has_value()) {
      out["statistics"] = ToJson(*d.statistics);
    }
  }
  if (h.dictionary_page_header.has_value()) {
    const DictionaryPageHeader& d = *h.dictionary_page_header;
    json& out = j["dictionary_page_header"] = {{"num_values", d.num_values},
                                               {"encoding", EnumToJson(d.encoding, EncodingName)}};
    Put(out, "is_sorted", d.is_sorted);
  }
  if (h.data_page_header_v2.has_value()) {
    const DataPageHeaderV2& d = *h.data_page_header_v2;
    json& out = j["data_page_header_v2"] = {
        {"num_values", d.num_values},
        {"num_nulls", d.num_nulls},
        {"num_rows", d.num_rows},
        {"encoding", EnumToJson(d.encoding, EncodingName)},
        {"definition_levels_byte_length", d.definition_levels_byte_length},
        {"repetition_levels_byte_length", d.repetition_levels_byte_length},
        {"is_compressed", d.is_compressed}};
    if (d.statistics.has_value()) {
      out["statistics"] = ToJson(*d.statistics);
    }
  }
  return j;
}

}  // namespace cqlbulk::formats::parquet::testing
