// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/cql/types/value.h"

namespace cqlbulk::cql {

/// gtest prints Values as CQL-like literals.
inline void PrintTo(const Value& v, std::ostream* os) { *os << v.ToString(); }

namespace testing {

/// Resolves UDTs from a name -> type map (keyspace ignored).
class UdtRegistry {
 public:
  /// Registers UDTs from the golden files' {"udt_ab": [["a", "int"], ["b", "text"]]}.
  void AddFromJson(const std::string& keyspace, const nlohmann::json& udts) {
    for (const auto& [name, fields] : udts.items()) {
      std::vector<std::string> names;
      std::vector<DataTypePtr> types;
      for (const auto& f : fields) {
        names.push_back(f[0].get<std::string>());
        auto t = ParseCqlType(f[1].get<std::string>(), Resolver());
        types.push_back(t ? *t : nullptr);
      }
      types_[name] = DataType::Udt(keyspace, name, std::move(names), std::move(types));
    }
  }

  UdtResolver Resolver() const {
    return [this](std::string_view, std::string_view name) -> DataTypePtr {
      auto it = types_.find(std::string(name));
      return it == types_.end() ? nullptr : it->second;
    };
  }

 private:
  std::map<std::string, DataTypePtr> types_;
};

}  // namespace testing
}  // namespace cqlbulk::cql
