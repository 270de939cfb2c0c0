// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/engine/table_options.h"

#include <charconv>
#include <set>

#include "cqlbulk/sim/engine/engine_internal.h"

namespace cqlbulk::sim {
namespace {

constexpr const char* kStcs = "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy";

const std::set<std::string>& NumericOptions() {
  static const std::set<std::string> kOptions = {
      "bloom_filter_fp_chance", "crc_check_chance",        "default_time_to_live",
      "gc_grace_seconds",       "max_index_interval",      "memtable_flush_period_in_ms",
      "min_index_interval"};
  return kOptions;
}

const std::set<std::string>& StringOptions() {
  static const std::set<std::string> kOptions = {"comment", "speculative_retry",
                                                 "additional_write_policy", "read_repair"};
  return kOptions;
}

const std::set<std::string>& MapOptions() {
  static const std::set<std::string> kOptions = {"caching", "compaction", "compression",
                                                 "extensions"};
  return kOptions;
}

std::string Qualify(const std::string& cls, const std::string& package) {
  return cls.find('.') == std::string::npos ? package + cls : cls;
}

std::map<std::string, std::string> TermMap(const Term& term) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < term.keys.size() && i < term.elements.size(); ++i) {
    const Term& k = term.keys[i];
    const Term& v = term.elements[i];
    out[k.literal_kind == LiteralKind::kString ? k.string_value : k.text] =
        v.literal_kind == LiteralKind::kString ? v.string_value : v.text;
  }
  return out;
}

}  // namespace

std::string QuoteString(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}


std::string MapLiteral(const std::map<std::string, std::string>& map) {
  std::string out = "{";
  for (const auto& [k, v] : map) {
    if (out.size() > 1) out += ", ";
    out += QuoteString(k) + ": " + QuoteString(v);
  }
  return out + "}";
}

std::map<std::string, std::string> DefaultTableOptions() {
  return {
      {"additional_write_policy", "'99p'"},
      {"bloom_filter_fp_chance", "0.01"},
      {"caching", MapLiteral({{"keys", "ALL"}, {"rows_per_partition", "NONE"}})},
      {"cdc", "false"},
      {"comment", "''"},
      {"compaction",
       MapLiteral({{"class", kStcs}, {"max_threshold", "32"}, {"min_threshold", "4"}})},
      {"compression", MapLiteral({{"chunk_length_in_kb", "16"},
                                  {"class", "org.apache.cassandra.io.compress.LZ4Compressor"}})},
      {"crc_check_chance", "1.0"},
      {"default_time_to_live", "0"},
      {"extensions", "{}"},
      {"flags", "{'compound'}"},
      {"gc_grace_seconds", "864000"},
      {"max_index_interval", "2048"},
      {"memtable_flush_period_in_ms", "0"},
      {"min_index_interval", "128"},
      {"read_repair", "'BLOCKING'"},
      {"speculative_retry", "'99p'"},
  };
}

Result<std::map<std::string, std::string>> BuildTableOptions(
    const std::vector<Property>& properties) {
  std::map<std::string, std::string> options = DefaultTableOptions();
  for (const Property& p : properties) {
    const Term& v = p.value;
    if (p.name == "id") continue;
    if (NumericOptions().count(p.name) != 0) {
      if (v.literal_kind != LiteralKind::kInteger && v.literal_kind != LiteralKind::kFloat) {
        return internal::SyntaxError("Invalid value for property '" + p.name + "': '" + v.text + "'");
      }
      if (p.name == "default_time_to_live" || p.name == "gc_grace_seconds") {
        int64_t n = -1;
        auto r = std::from_chars(v.text.data(), v.text.data() + v.text.size(), n);
        if (r.ec != std::errc() || n < 0) {
          return internal::ConfigurationError(p.name + " must be greater than or equal to 0 (got " + v.text + ")");
        }
      }
      options[p.name] = v.text;
    } else if (StringOptions().count(p.name) != 0) {
      options[p.name] = QuoteString(v.literal_kind == LiteralKind::kString ? v.string_value : v.text);
    } else if (MapOptions().count(p.name) != 0) {
      if (v.kind != TermKind::kMap && v.kind != TermKind::kEmptyBraces) {
        return internal::SyntaxError("Invalid value for property '" + p.name + "'. It should be a map.");
      }
      std::map<std::string, std::string> map = TermMap(v);
      if (p.name == "compaction") {
        if (map.count("class") == 0) {
          return internal::ConfigurationError("Missing sub-option 'class' for the 'compaction' option.");
        }
        map["class"] = Qualify(map["class"], "org.apache.cassandra.db.compaction.");
        if (map["class"] == kStcs) {
          map.emplace("max_threshold", "32");
          map.emplace("min_threshold", "4");
        }
      } else if (p.name == "compression" && map.count("class") != 0) {
        map["class"] = Qualify(map["class"], "org.apache.cassandra.io.compress.");
        map.emplace("chunk_length_in_kb", "16");
      } else if (p.name == "caching") {
        map.emplace("keys", "ALL");
        map.emplace("rows_per_partition", "NONE");
      }
      options[p.name] = MapLiteral(map);
    } else if (p.name == "cdc") {
      options[p.name] = v.text == "true" || v.text == "TRUE" ? "true" : "false";
    } else {
      return internal::SyntaxError("Unknown property '" + p.name + "'");
    }
  }
  return options;
}

}  // namespace cqlbulk::sim
