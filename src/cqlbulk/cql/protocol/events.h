// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/notation.h"

namespace cqlbulk::cql {

/// <change_type> of a schema change (§4.2.6).
enum class SchemaChangeType : uint8_t { kCreated, kUpdated, kDropped };
/// <target> of a schema change (§4.2.6).
enum class SchemaChangeTarget : uint8_t { kKeyspace, kTable, kType, kFunction, kAggregate };

std::string_view SchemaChangeTypeName(SchemaChangeType type);      ///< "CREATED", ...
std::string_view SchemaChangeTargetName(SchemaChangeTarget target);  ///< "KEYSPACE", ...

/// \brief <change_type><target><options>: the body of a SCHEMA_CHANGE event and of a
/// Schema_change result (§4.2.5.5).
struct SchemaChange {
  SchemaChangeType type = SchemaChangeType::kCreated;
  SchemaChangeTarget target = SchemaChangeTarget::kKeyspace;
  std::string keyspace;
  /// Table, type, function or aggregate name; empty for KEYSPACE.
  std::string name;
  /// FUNCTION and AGGREGATE only: argument types as CQL types.
  std::vector<std::string> argument_types;
  friend bool operator==(const SchemaChange&, const SchemaChange&) = default;
};

Result<SchemaChange> ReadSchemaChange(ProtocolReader& in);
void WriteSchemaChange(ProtocolWriter& out, const SchemaChange& change);

/// TOPOLOGY_CHANGE: "NEW_NODE", "REMOVED_NODE" (and "MOVED_NODE", sent by older servers).
enum class TopologyChangeType : uint8_t { kNewNode, kRemovedNode, kMovedNode };
/// STATUS_CHANGE: "UP" or "DOWN".
enum class StatusChangeType : uint8_t { kUp, kDown };

struct TopologyChangeEvent {
  TopologyChangeType change = TopologyChangeType::kNewNode;
  InetAddress address;
  friend bool operator==(const TopologyChangeEvent&, const TopologyChangeEvent&) = default;
};

struct StatusChangeEvent {
  StatusChangeType change = StatusChangeType::kUp;
  InetAddress address;
  friend bool operator==(const StatusChangeEvent&, const StatusChangeEvent&) = default;
};

struct SchemaChangeEvent {
  SchemaChange change;
  friend bool operator==(const SchemaChangeEvent&, const SchemaChangeEvent&) = default;
};

/// \brief EVENT (§4.2.6); always on stream -1.
struct EventResponse {
  std::variant<TopologyChangeEvent, StatusChangeEvent, SchemaChangeEvent> event;

  /// "TOPOLOGY_CHANGE", "STATUS_CHANGE" or "SCHEMA_CHANGE".
  std::string_view type() const noexcept;
  friend bool operator==(const EventResponse&, const EventResponse&) = default;
};

/// kProtocol for an unknown event type, change type or target.
Result<EventResponse> ReadEvent(ProtocolReader& in);
void WriteEvent(ProtocolWriter& out, const EventResponse& event);

}  // namespace cqlbulk::cql
