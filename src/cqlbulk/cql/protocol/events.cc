// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/events.h"

#include <array>
#include <string>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {
namespace {

constexpr std::array<std::string_view, 3> kChangeTypes = {"CREATED", "UPDATED", "DROPPED"};
constexpr std::array<std::string_view, 5> kTargets = {"KEYSPACE", "TABLE", "TYPE", "FUNCTION",
                                                      "AGGREGATE"};
constexpr std::array<std::string_view, 3> kTopologyChanges = {"NEW_NODE", "REMOVED_NODE",
                                                              "MOVED_NODE"};
constexpr std::array<std::string_view, 2> kStatusChanges = {"UP", "DOWN"};

constexpr std::string_view kTopologyChange = "TOPOLOGY_CHANGE";
constexpr std::string_view kStatusChange = "STATUS_CHANGE";
constexpr std::string_view kSchemaChange = "SCHEMA_CHANGE";

/// Reads a [string] that must be one of `names`; returns its index.
template <size_t N>
Result<size_t> ReadName(ProtocolReader& in, const std::array<std::string_view, N>& names,
                        std::string_view what) {
  CQLBULK_ASSIGN_OR_RETURN(std::string_view s, in.ReadString());
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) {
      return i;
    }
  }
  return in.Malformed("unknown " + std::string(what) + " \"" + std::string(s) + "\"");
}

}  // namespace

std::string_view SchemaChangeTypeName(SchemaChangeType type) {
  return kChangeTypes[static_cast<size_t>(type)];
}

std::string_view SchemaChangeTargetName(SchemaChangeTarget target) {
  return kTargets[static_cast<size_t>(target)];
}

Result<SchemaChange> ReadSchemaChange(ProtocolReader& in) {
  SchemaChange c;
  CQLBULK_ASSIGN_OR_RETURN(size_t type, ReadName(in, kChangeTypes, "schema change type"));
  CQLBULK_ASSIGN_OR_RETURN(size_t target, ReadName(in, kTargets, "schema change target"));
  c.type = static_cast<SchemaChangeType>(type);
  c.target = static_cast<SchemaChangeTarget>(target);
  CQLBULK_ASSIGN_OR_RETURN(std::string_view ks, in.ReadString());
  c.keyspace = std::string(ks);
  if (c.target != SchemaChangeTarget::kKeyspace) {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view name, in.ReadString());
    c.name = std::string(name);
  }
  if (c.target == SchemaChangeTarget::kFunction || c.target == SchemaChangeTarget::kAggregate) {
    CQLBULK_ASSIGN_OR_RETURN(c.argument_types, in.ReadStringList());
  }
  return c;
}

void WriteSchemaChange(ProtocolWriter& out, const SchemaChange& c) {
  out.WriteString(SchemaChangeTypeName(c.type));
  out.WriteString(SchemaChangeTargetName(c.target));
  out.WriteString(c.keyspace);
  if (c.target != SchemaChangeTarget::kKeyspace) {
    out.WriteString(c.name);
  }
  if (c.target == SchemaChangeTarget::kFunction || c.target == SchemaChangeTarget::kAggregate) {
    out.WriteStringList(c.argument_types);
  }
}

std::string_view EventResponse::type() const noexcept {
  switch (event.index()) {
    case 0:
      return kTopologyChange;
    case 1:
      return kStatusChange;
    default:
      return kSchemaChange;
  }
}

Result<EventResponse> ReadEvent(ProtocolReader& in) {
  CQLBULK_ASSIGN_OR_RETURN(std::string_view type, in.ReadString());
  if (type == kTopologyChange) {
    TopologyChangeEvent e;
    CQLBULK_ASSIGN_OR_RETURN(size_t change, ReadName(in, kTopologyChanges, "topology change"));
    e.change = static_cast<TopologyChangeType>(change);
    CQLBULK_ASSIGN_OR_RETURN(e.address, in.ReadInet());
    return EventResponse{e};
  }
  if (type == kStatusChange) {
    StatusChangeEvent e;
    CQLBULK_ASSIGN_OR_RETURN(size_t change, ReadName(in, kStatusChanges, "status change"));
    e.change = static_cast<StatusChangeType>(change);
    CQLBULK_ASSIGN_OR_RETURN(e.address, in.ReadInet());
    return EventResponse{e};
  }
  if (type == kSchemaChange) {
    CQLBULK_ASSIGN_OR_RETURN(SchemaChange c, ReadSchemaChange(in));
    return EventResponse{SchemaChangeEvent{std::move(c)}};
  }
  return in.Malformed("unknown event type \"" + std::string(type) + "\"");
}

void WriteEvent(ProtocolWriter& out, const EventResponse& event) {
  out.WriteString(event.type());
  if (const auto* t = std::get_if<TopologyChangeEvent>(&event.event)) {
    out.WriteString(kTopologyChanges[static_cast<size_t>(t->change)]);
    out.WriteInet(t->address);
  } else if (const auto* s = std::get_if<StatusChangeEvent>(&event.event)) {
    out.WriteString(kStatusChanges[static_cast<size_t>(s->change)]);
    out.WriteInet(s->address);
  } else {
    WriteSchemaChange(out, std::get<SchemaChangeEvent>(event.event).change);
  }
}

}  // namespace cqlbulk::cql
