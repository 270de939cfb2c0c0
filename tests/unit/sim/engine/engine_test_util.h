// SPDX-License-Identifier: Apache-2.0
// Drives a cqlsim Engine through Handle with real requests and decodes its replies.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/cql/protocol/error_response.h"
#include "cqlbulk/cql/protocol/requests.h"
#include "cqlbulk/cql/types/value.h"
#include "cqlbulk/sim/engine/engine.h"
#include "cqlbulk/sim/model/topology.h"

namespace cqlbulk::sim::testing {

/// \brief `num_nodes` nodes 127.0.0.1.. in one data center with random vnode tokens.
TopologyPtr MakeTestTopology(uint32_t num_nodes, uint32_t num_vnodes, uint64_t seed = 42,
                             uint32_t num_datacenters = 1);

/// \brief A decoded Rows result.
struct Rows {
  std::vector<std::string> names;
  std::vector<cql::DataTypePtr> types;
  std::vector<std::vector<std::optional<Bytes>>> cells;
  std::optional<Bytes> paging_state;
  bool no_metadata = false;
  std::optional<Bytes> new_metadata_id;

  size_t size() const { return cells.size(); }
  /// Cell (row, column) decoded with its column type (null for a null cell).
  cql::Value Value(size_t row, size_t column) const;
  /// Cell decoded, rendered as text ("null" for null).
  std::string Text(size_t row, size_t column) const;
  /// Every row rendered "a|b|c".
  std::vector<std::string> Lines() const;
};

/// \brief An engine, a session and a fake clock.
class EngineFixture {
 public:
  explicit EngineFixture(uint32_t num_nodes = 1, uint32_t num_vnodes = 4,
                         CompactionPolicy compaction = {});

  Engine& engine() { return *engine_; }
  Session& session() { return session_; }
  int64_t& now_millis() { return now_millis_; }
  void AdvanceSeconds(int64_t seconds) { now_millis_ += seconds * 1000; }

  Reply Handle(const cql::Request& request, ring::HostIndex coordinator = 0);
  Reply Query(const std::string& cql, std::vector<cql::BoundValue> values = {},
              cql::Consistency consistency = cql::Consistency::kOne);
  Reply QueryWith(const std::string& cql, cql::QueryParameters params, ring::HostIndex coordinator = 0);

  /// Runs `cql` and fails the test unless it succeeds (any non-ERROR reply).
  void Exec(const std::string& cql, std::vector<cql::BoundValue> values = {});
  /// Runs `cql`, expecting Rows.
  Rows Select(const std::string& cql, std::vector<cql::BoundValue> values = {});
  /// Runs `cql` page by page (`page_size` rows) to the end, calling `between_pages` after each
  /// page; returns every page's rows (names and types of the first).
  Rows SelectPaged(const std::string& cql, int32_t page_size,
                   const std::function<void()>& between_pages = {});

  /// PREPARE, expecting a Prepared result.
  cql::PreparedResult Prepare(const std::string& cql);
  Reply Execute(const Bytes& id, std::vector<cql::BoundValue> values,
                cql::Consistency consistency = cql::Consistency::kOne,
                std::optional<int32_t> page_size = std::nullopt,
                std::optional<Bytes> paging_state = std::nullopt);

 private:
  std::unique_ptr<Engine> engine_;
  Session session_;
  int64_t now_millis_ = 1'700'000'000'000;
};

/// The ERROR of a reply, or nullopt.
std::optional<cql::ErrorResponse> ErrorOf(const Reply& reply);
/// The RESULT of a reply that is a Response (Void, SetKeyspace, Prepared, SchemaChange).
std::optional<cql::ResultResponse> ResultOf(const Reply& reply);
/// Decodes a Rows reply; fails the test if it is not one.
Rows RowsOf(const Reply& reply, int protocol_version = 4);
/// Short description of a reply for assertion messages.
std::string Describe(const Reply& reply);

/// Bound values (short names for the many statements the engine tests write).
cql::BoundValue Int(int32_t v);
cql::BoundValue Bigint(int64_t v);
cql::BoundValue Text(const std::string& v);
cql::BoundValue Encoded(const cql::DataType& type, const cql::Value& v);

}  // namespace cqlbulk::sim::testing
