// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/replication.h"

#include <charconv>
#include <system_error>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::ring {
namespace {

constexpr std::string_view kLocatorPackage = "org.apache.cassandra.locator.";
constexpr std::string_view kFactorKey = "replication_factor";
// Far above any real cluster; keeps a typo like "30000000000" from reaching the placement loop.
constexpr uint32_t kMaxFactor = 1000;

Result<uint32_t> ParseFactor(std::string_view key, std::string_view text) {
  if (text.find('/') != std::string_view::npos) {
    return Unimplemented("transient replication ('" + std::string(key) + "': '" +
                         std::string(text) + "') is not supported");
  }
  uint32_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > kMaxFactor) {
    return InvalidArgument("replication factor '" + std::string(key) + "' must be an integer in " +
                           "0.." + std::to_string(kMaxFactor) + ", not '" + std::string(text) +
                           "'");
  }
  return value;
}

// A small reader for "{'k': 'v', 'k2': 2}": quoted ('' escapes a quote) or bare values.
class MapParser {
 public:
  explicit MapParser(std::string_view text) : text_(text) {}

  Result<std::map<std::string, std::string>> Parse() {
    std::map<std::string, std::string> options;
    CQLBULK_RETURN_IF_ERROR(Expect('{'));
    SkipSpaces();
    if (Peek() == '}') {
      ++pos_;
      return Finish(std::move(options));
    }
    while (true) {
      CQLBULK_ASSIGN_OR_RETURN(std::string key, ReadWord());
      CQLBULK_RETURN_IF_ERROR(Expect(':'));
      CQLBULK_ASSIGN_OR_RETURN(std::string value, ReadWord());
      if (!options.emplace(key, std::move(value)).second) {
        return InvalidArgument("replication option '" + key + "' appears twice");
      }
      SkipSpaces();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      CQLBULK_RETURN_IF_ERROR(Expect('}'));
      return Finish(std::move(options));
    }
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void SkipSpaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  Error SyntaxError(std::string_view what) const {
    return InvalidArgument("replication map: " + std::string(what) + " at offset " +
                           std::to_string(pos_) + " of \"" + std::string(text_) + "\"");
  }

  Status Expect(char c) {
    SkipSpaces();
    if (Peek() != c) {
      return SyntaxError(std::string("expected '") + c + "'");
    }
    ++pos_;
    return OkStatus();
  }

  Result<std::string> ReadWord() {
    SkipSpaces();
    const char quote = Peek();
    if (quote == '\'' || quote == '"') {
      std::string word;
      for (++pos_; pos_ < text_.size(); ++pos_) {
        if (text_[pos_] != quote) {
          word.push_back(text_[pos_]);
        } else if (pos_ + 1 < text_.size() && text_[pos_ + 1] == quote) {
          word.push_back(quote);
          ++pos_;
        } else {
          ++pos_;
          return word;
        }
      }
      return SyntaxError("unterminated string");
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ':' && text_[pos_] != '}' &&
           text_[pos_] != ' ') {
      ++pos_;
    }
    if (pos_ == start) {
      return SyntaxError("expected a key or value");
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  Result<std::map<std::string, std::string>> Finish(std::map<std::string, std::string> options) {
    SkipSpaces();
    if (pos_ != text_.size()) {
      return SyntaxError("unexpected text after '}'");
    }
    return options;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

ReplicationStrategy ReplicationStrategy::Simple(uint32_t replication_factor) {
  ReplicationStrategy s;
  s.class_ = ReplicationClass::kSimple;
  s.replication_factor_ = replication_factor;
  return s;
}

ReplicationStrategy ReplicationStrategy::NetworkTopology(std::map<std::string, uint32_t> factors) {
  ReplicationStrategy s;
  s.class_ = ReplicationClass::kNetworkTopology;
  s.factors_ = std::move(factors);
  return s;
}

Result<ReplicationStrategy> ReplicationStrategy::FromOptions(
    const std::map<std::string, std::string>& options) {
  auto class_it = options.find("class");
  if (class_it == options.end()) {
    return InvalidArgument("replication options have no 'class'");
  }
  std::string_view name = class_it->second;
  if (name.starts_with(kLocatorPackage)) {
    name.remove_prefix(kLocatorPackage.size());
  }
  if (name == "SimpleStrategy") {
    auto factor_it = options.find(std::string(kFactorKey));
    if (factor_it == options.end()) {
      return InvalidArgument("SimpleStrategy needs a 'replication_factor'");
    }
    for (const auto& [key, value] : options) {
      if (key != "class" && key != kFactorKey) {
        return InvalidArgument("SimpleStrategy does not take option '" + key + "'");
      }
    }
    CQLBULK_ASSIGN_OR_RETURN(uint32_t factor, ParseFactor(kFactorKey, factor_it->second));
    return Simple(factor);
  }
  if (name == "NetworkTopologyStrategy") {
    ReplicationStrategy s = NetworkTopology({});
    for (const auto& [key, value] : options) {
      if (key == "class") {
        continue;
      }
      if (key.empty()) {
        return InvalidArgument("NetworkTopologyStrategy has an empty data center name");
      }
      CQLBULK_ASSIGN_OR_RETURN(uint32_t factor, ParseFactor(key, value));
      if (key == kFactorKey) {
        s.default_factor_ = factor;
      } else {
        s.factors_.emplace(key, factor);
      }
    }
    return s;
  }
  if (name == "LocalStrategy" || name == "EverywhereStrategy") {
    return Unimplemented("replication class '" + class_it->second + "' is not supported");
  }
  return InvalidArgument("unknown replication class '" + class_it->second + "'");
}

Result<ReplicationStrategy> ReplicationStrategy::Parse(std::string_view text) {
  CQLBULK_ASSIGN_OR_RETURN(auto options, MapParser(text).Parse());
  return FromOptions(options);
}

uint32_t ReplicationStrategy::FactorFor(std::string_view datacenter) const {
  auto it = factors_.find(std::string(datacenter));
  if (it != factors_.end()) {
    return it->second;
  }
  return default_factor_.value_or(0);
}

std::string ReplicationStrategy::ToString() const {
  if (class_ == ReplicationClass::kSimple) {
    return "{'class': 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '" +
           std::to_string(replication_factor_) + "'}";
  }
  std::string text = "{'class': 'org.apache.cassandra.locator.NetworkTopologyStrategy'";
  auto append = [&text](std::string_view key, uint32_t factor) {
    std::string quoted;
    for (char c : key) {
      quoted += c;
      if (c == '\'') {
        quoted += c;
      }
    }
    text += ", '" + quoted + "': '" + std::to_string(factor) + "'";
  };
  for (const auto& [dc, factor] : factors_) {
    append(dc, factor);
  }
  if (default_factor_) {
    append(kFactorKey, *default_factor_);
  }
  return text + "}";
}

}  // namespace cqlbulk::ring
