// SPDX-License-Identifier: Apache-2.0
// The option columns of system_schema.tables: a table's WITH options (CQL literal text)
// over Cassandra 4.0's defaults, normalised the way Cassandra stores them.
#include <map>
#include <optional>
#include <string>

#include "cqlbulk/cql/types/cql_literal.h"
#include "cqlbulk/sim/system_tables/system_tables_internal.h"

namespace cqlbulk::sim::internal {
namespace {

using OptionMap = std::map<std::string, std::string>;

constexpr std::string_view kCompactionPackage = "org.apache.cassandra.db.compaction.";
constexpr std::string_view kCompressionPackage = "org.apache.cassandra.io.compress.";

/// Cassandra 4.0's defaults, as CQL literals, for the columns a CREATE TABLE may leave out.
/// cdc has none: Cassandra leaves it null unless it is set.
const std::map<std::string_view, std::string_view>& Defaults() {
  static const std::map<std::string_view, std::string_view> defaults = {
      {"additional_write_policy", "'99p'"},
      {"bloom_filter_fp_chance", "0.01"},
      {"caching", "{'keys': 'ALL', 'rows_per_partition': 'NONE'}"},
      {"comment", "''"},
      {"compaction", "{'class': 'SizeTieredCompactionStrategy'}"},
      {"compression", "{'class': 'LZ4Compressor'}"},
      {"crc_check_chance", "1.0"},
      {"dclocal_read_repair_chance", "0.0"},
      {"default_time_to_live", "0"},
      {"extensions", "{}"},
      {"gc_grace_seconds", "864000"},
      {"max_index_interval", "2048"},
      {"memtable_flush_period_in_ms", "0"},
      {"min_index_interval", "128"},
      {"read_repair", "'BLOCKING'"},
      {"read_repair_chance", "0.0"},
      {"speculative_retry", "'99p'"},
  };
  return defaults;
}

void SkipSpaces(std::string_view text, size_t& pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n')) ++pos;
}

/// A 'quoted' string ('' escapes a quote) or a bare word (a number, true, an identifier).
std::optional<std::string> ParseMapTerm(std::string_view text, size_t& pos) {
  SkipSpaces(text, pos);
  std::string out;
  if (pos < text.size() && text[pos] == '\'') {
    for (++pos; pos < text.size(); ++pos) {
      if (text[pos] == '\'') {
        if (pos + 1 < text.size() && text[pos + 1] == '\'') {
          out += '\'';
          ++pos;
          continue;
        }
        ++pos;
        return out;
      }
      out += text[pos];
    }
    return std::nullopt;  // unterminated
  }
  while (pos < text.size() &&
         std::string_view(" \t\n,:}").find(text[pos]) == std::string_view::npos) {
    out += text[pos++];
  }
  if (out.empty()) return std::nullopt;
  return out;
}

/// A map option written loosely, as Cassandra accepts it: {'class': 'X', 'max_threshold': 32}.
std::optional<OptionMap> ParseOptionMap(std::string_view text) {
  size_t pos = 0;
  SkipSpaces(text, pos);
  if (pos >= text.size() || text[pos] != '{') return std::nullopt;
  ++pos;
  OptionMap out;
  SkipSpaces(text, pos);
  if (pos < text.size() && text[pos] == '}') return out;
  while (true) {
    std::optional<std::string> key = ParseMapTerm(text, pos);
    SkipSpaces(text, pos);
    if (!key.has_value() || pos >= text.size() || text[pos] != ':') return std::nullopt;
    ++pos;
    std::optional<std::string> value = ParseMapTerm(text, pos);
    if (!value.has_value()) return std::nullopt;
    out[*key] = *value;
    SkipSpaces(text, pos);
    if (pos < text.size() && text[pos] == ',') {
      ++pos;
      continue;
    }
    if (pos < text.size() && text[pos] == '}') return out;
    return std::nullopt;
  }
}

std::string Qualify(const std::string& class_name, std::string_view package) {
  if (class_name.find('.') != std::string::npos) return class_name;
  return std::string(package) + class_name;
}

void SetDefault(OptionMap& map, const std::string& key, const std::string& value) {
  map.emplace(key, value);  // keeps a value already there
}

/// CompactionParams.asMap(): the qualified class, its options, and both thresholds.
OptionMap NormalizeCompaction(OptionMap map) {
  SetDefault(map, "class", "SizeTieredCompactionStrategy");
  map["class"] = Qualify(map["class"], kCompactionPackage);
  SetDefault(map, "max_threshold", "32");
  SetDefault(map, "min_threshold", "4");
  return map;
}

/// CompressionParams.asMap(): {'enabled': 'false'} when disabled, else the qualified class
/// and the chunk length (legacy spellings renamed).
OptionMap NormalizeCompression(OptionMap map) {
  auto enabled = map.find("enabled");
  if (enabled != map.end() && enabled->second == "false") return {{"enabled", "false"}};
  if (enabled != map.end()) map.erase(enabled);
  if (auto legacy = map.find("sstable_compression"); legacy != map.end()) {
    SetDefault(map, "class", legacy->second);
    map.erase("sstable_compression");
  }
  if (auto legacy = map.find("chunk_length_kb"); legacy != map.end()) {
    SetDefault(map, "chunk_length_in_kb", legacy->second);
    map.erase("chunk_length_kb");
  }
  if (map.contains("class") && map["class"].empty()) return {{"enabled", "false"}};
  SetDefault(map, "class", "LZ4Compressor");
  map["class"] = Qualify(map["class"], kCompressionPackage);
  SetDefault(map, "chunk_length_in_kb", "16");
  return map;
}

OptionMap NormalizeCaching(OptionMap map) {
  SetDefault(map, "keys", "ALL");
  SetDefault(map, "rows_per_partition", "NONE");
  return map;
}

cql::Value MapValue(const OptionMap& map) {
  cql::Value::Entries entries;
  for (const auto& [key, value] : map) {
    entries.emplace_back(cql::Value::Text(key), cql::Value::Text(value));
  }
  return cql::Value::Map(std::move(entries));
}

std::optional<cql::Value> ParseMapOption(std::string_view column, std::string_view literal) {
  std::optional<OptionMap> map = ParseOptionMap(literal);
  if (!map.has_value()) return std::nullopt;
  if (column == "compaction") return MapValue(NormalizeCompaction(std::move(*map)));
  if (column == "compression") return MapValue(NormalizeCompression(std::move(*map)));
  if (column == "caching") return MapValue(NormalizeCaching(std::move(*map)));
  return MapValue(*map);
}

/// SpeculativeRetryPolicy's spelling: '99PERCENTILE' and '99.0percentile' print as '99p'.
cql::Value NormalizeRetryPolicy(cql::Value value) {
  std::string text = value.as_string();
  constexpr std::string_view kSuffix = "percentile";
  if (text.size() > kSuffix.size()) {
    std::string tail = text.substr(text.size() - kSuffix.size());
    for (char& c : tail) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (tail == kSuffix) {
      text = text.substr(0, text.size() - kSuffix.size());
      if (text.ends_with(".0")) text.resize(text.size() - 2);
      return cql::Value::Text(text + "p");
    }
  }
  return value;
}

std::optional<cql::Value> ParseOption(const ColumnSchema& column, std::string_view literal) {
  const cql::DataType& type = *column.type;
  if (type.id == cql::TypeId::kMap && type.params[1]->id == cql::TypeId::kVarchar) {
    return ParseMapOption(column.name, literal);
  }
  auto value = cql::ParseCqlLiteral(type, literal);
  if (!value.has_value() || value->is_null()) return std::nullopt;
  if (column.name == "speculative_retry" || column.name == "additional_write_policy") {
    return NormalizeRetryPolicy(std::move(*value));
  }
  return std::move(*value);
}

cql::Value Flags(const TableSchema& source) {
  cql::Value::Elements flags{cql::Value::Text("compound")};
  if (source.is_counter) flags.push_back(cql::Value::Text("counter"));
  return cql::Value::Set(std::move(flags));
}

}  // namespace

void SetTableOptions(const TableSchema& tables_table, const TableSchema& source, RowBuilder& row) {
  row.Set("id", cql::Value::Uuid(source.id)).Set("flags", Flags(source));
  const auto& defaults = Defaults();
  for (const ColumnSchema& column : tables_table.columns) {
    // Identity and flags come from the table itself, whatever its options say.
    if (!column.type || column.name == "keyspace_name" || column.name == "table_name" ||
        column.name == "id" || column.name == "flags") {
      continue;
    }
    std::optional<cql::Value> value;
    if (auto it = source.options.find(column.name); it != source.options.end()) {
      value = ParseOption(column, it->second);  // unparsable: the default, as if not given
    }
    if (!value.has_value()) {
      auto it = defaults.find(column.name);
      if (it == defaults.end()) continue;
      value = ParseOption(column, it->second);
    }
    if (value.has_value()) row.Set(column.name, std::move(*value));
  }
}

}  // namespace cqlbulk::sim::internal
