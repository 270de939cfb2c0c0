// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"

namespace cqlbulk::ring {

/// \brief The replica placement algorithms cqlbulk implements.
enum class ReplicationClass : uint8_t {
  kSimple,           ///< org.apache.cassandra.locator.SimpleStrategy
  kNetworkTopology,  ///< org.apache.cassandra.locator.NetworkTopologyStrategy
};

/// \brief A keyspace's replication settings, as system_schema.keyspaces stores them.
class ReplicationStrategy {
 public:
  static ReplicationStrategy Simple(uint32_t replication_factor);
  /// Replication factor per data center; data centers not named get none.
  static ReplicationStrategy NetworkTopology(std::map<std::string, uint32_t> factors);

  /// \brief From the `replication` map of system_schema.keyspaces, e.g.
  /// {class: org.apache.cassandra.locator.SimpleStrategy, replication_factor: 2} or
  /// {class: NetworkTopologyStrategy, dc1: 3, dc2: 2}.
  ///
  /// Class names may be short or fully qualified. For NetworkTopologyStrategy, a
  /// `replication_factor` option is the factor of every data center not named (what Cassandra
  /// 4.0 expands it to). kInvalidArgument naming the problem for a missing or unknown class,
  /// a missing, non-numeric or out-of-range factor, or an option the class does not take;
  /// kUnimplemented for LocalStrategy, EverywhereStrategy and transient factors ("3/1").
  static Result<ReplicationStrategy> FromOptions(const std::map<std::string, std::string>& options);

  /// \brief Parses the map in its one-string CQL form, e.g.
  /// "{'class': 'SimpleStrategy', 'replication_factor': 2}"; values may be quoted or bare.
  ///
  /// kInvalidArgument on a syntax error or a repeated key, then as FromOptions.
  static Result<ReplicationStrategy> Parse(std::string_view text);

  ReplicationClass replication_class() const noexcept { return class_; }
  /// SimpleStrategy's factor (0 for NetworkTopologyStrategy).
  uint32_t replication_factor() const noexcept { return replication_factor_; }
  /// NetworkTopologyStrategy's factors of the data centers it names (empty for Simple).
  const std::map<std::string, uint32_t>& datacenter_factors() const noexcept { return factors_; }
  /// NetworkTopologyStrategy's factor for data centers it does not name, if it has one.
  std::optional<uint32_t> default_datacenter_factor() const noexcept { return default_factor_; }

  /// \brief The factor NetworkTopologyStrategy applies to data center `datacenter`.
  uint32_t FactorFor(std::string_view datacenter) const;

  /// \brief The map as system_schema.keyspaces shows it: fully qualified class first, then
  /// the options ("{'class': 'org.apache.cassandra.locator.SimpleStrategy',
  /// 'replication_factor': '2'}"). Parse() reads it back.
  std::string ToString() const;

  friend bool operator==(const ReplicationStrategy&, const ReplicationStrategy&) = default;

 private:
  ReplicationStrategy() = default;

  ReplicationClass class_ = ReplicationClass::kSimple;
  uint32_t replication_factor_ = 0;
  std::map<std::string, uint32_t> factors_;
  std::optional<uint32_t> default_factor_;
};

}  // namespace cqlbulk::ring
