// SPDX-License-Identifier: Apache-2.0
// The tables of Cassandra 4.0's system keyspaces, as its system_schema.columns and
// system_schema.tables (and system_virtual_schema.*) list them.
#include "cqlbulk/sim/system_tables/system_tables_internal.h"

namespace cqlbulk::sim::internal {
namespace {

// Columns are "name type" in any order; the partition key and clustering columns (all ASC)
// are named in key order. The options not listed are the keyspace's (KeyspaceDef).
constexpr SystemTableDef kSystemTables[] = {
    {"system", "IndexInfo", "table_name", "index_name",
     "index_name text, table_name text, value blob", "built column indexes"},
    {"system", "available_ranges", "keyspace_name", "", "keyspace_name text, ranges set<blob>",
     "available keyspace/ranges during bootstrap/replace that are ready to be served"},
    {"system", "available_ranges_v2", "keyspace_name", "",
     "full_ranges set<blob>, keyspace_name text, transient_ranges set<blob>",
     "available keyspace/ranges during bootstrap/replace that are ready to be served"},
    {"system", "batches", "id", "", "id timeuuid, mutations list<blob>, version int",
     "batches awaiting replay", "{'class': 'SizeTieredCompactionStrategy', 'min_threshold': '2'}"},
    {"system", "built_views", "keyspace_name", "view_name",
     "keyspace_name text, status_replicated boolean, view_name text", "built views"},
    {"system", "compaction_history", "id", "",
     "bytes_in bigint, bytes_out bigint, columnfamily_name text,"
     "compacted_at timestamp, id uuid, keyspace_name text,"
     "rows_merged map<int, bigint>",
     "week-long compaction history", "", 604800},
    {"system", "local", "key", "",
     "bootstrapped text, broadcast_address inet, broadcast_port int,"
     "cluster_name text, cql_version text, data_center text,"
     "gossip_generation int, host_id uuid, key text, listen_address inet,"
     "listen_port int, native_protocol_version text, partitioner text,"
     "rack text, release_version text, rpc_address inet, rpc_port int,"
     "schema_version uuid, tokens set<text>, truncated_at map<uuid, blob>",
     "information about the local node"},
    {"system", "paxos", "row_key", "cf_id",
     "cf_id uuid, in_progress_ballot timeuuid, most_recent_commit blob,"
     "most_recent_commit_at timeuuid, most_recent_commit_version int,"
     "proposal blob, proposal_ballot timeuuid, proposal_version int,"
     "row_key blob",
     "in-progress paxos proposals", "{'class': 'LeveledCompactionStrategy'}"},
    {"system", "peer_events", "peer", "", "hints_dropped map<uuid, int>, peer inet",
     "events related to peers"},
    {"system", "peer_events_v2", "peer", "peer_port",
     "hints_dropped map<uuid, int>, peer inet, peer_port int", "events related to peers"},
    {"system", "peers", "peer", "",
     "data_center text, host_id uuid, peer inet, preferred_ip inet,"
     "rack text, release_version text, rpc_address inet, schema_version uuid,"
     "tokens set<text>",
     "information about known peers in the cluster"},
    {"system", "peers_v2", "peer", "peer_port",
     "data_center text, host_id uuid, native_address inet, native_port int,"
     "peer inet, peer_port int, preferred_ip inet, preferred_port int,"
     "rack text, release_version text, schema_version uuid, tokens set<text>",
     "information about known peers in the cluster"},
    {"system", "prepared_statements", "prepared_id", "",
     "logged_keyspace text, prepared_id blob, query_string text", "prepared statements"},
    {"system", "repairs", "parent_id", "",
     "cfids set<uuid>, coordinator inet, coordinator_port int,"
     "last_update timestamp, parent_id timeuuid, participants set<inet>,"
     "participants_wp set<text>, ranges set<blob>, repaired_at timestamp,"
     "started_at timestamp, state int",
     "repairs"},
    {"system", "size_estimates", "keyspace_name", "table_name,range_start,range_end",
     "keyspace_name text, mean_partition_size bigint,"
     "partitions_count bigint, range_end text, range_start text,"
     "table_name text",
     "per-table primary range size estimates, table is deprecated in favor of table_estimates"},
    {"system", "sstable_activity", "keyspace_name,columnfamily_name,generation", "",
     "columnfamily_name text, generation int, keyspace_name text,"
     "rate_120m double, rate_15m double",
     "historic sstable read rates"},
    {"system", "table_estimates", "keyspace_name", "table_name,range_type,range_start,range_end",
     "keyspace_name text, mean_partition_size bigint,"
     "partitions_count bigint, range_end text, range_start text,"
     "range_type text, table_name text",
     "per-table range size estimates"},
    {"system", "transferred_ranges", "operation,keyspace_name", "peer",
     "keyspace_name text, operation text, peer inet, ranges set<blob>",
     "record of transferred ranges for streaming operation"},
    {"system", "transferred_ranges_v2", "operation,keyspace_name", "peer,peer_port",
     "keyspace_name text, operation text, peer inet, peer_port int,"
     "ranges set<blob>",
     "record of transferred ranges for streaming operation"},
    {"system", "view_builds_in_progress", "keyspace_name", "view_name,start_token,end_token",
     "end_token text, keys_built bigint, keyspace_name text, last_token text,"
     "start_token text, view_name text",
     "views builds current progress"},
    {"system_schema", "aggregates", "keyspace_name", "aggregate_name,argument_types",
     "aggregate_name text, argument_types frozen<list<text>>,"
     "final_func text, initcond text, keyspace_name text, return_type text,"
     "state_func text, state_type text",
     "user defined aggregate definitions"},
    {"system_schema", "columns", "keyspace_name", "table_name,column_name",
     "clustering_order text, column_name text, column_name_bytes blob,"
     "keyspace_name text, kind text, position int, table_name text,"
     "type text",
     "column definitions"},
    {"system_schema", "dropped_columns", "keyspace_name", "table_name,column_name",
     "column_name text, dropped_time timestamp, keyspace_name text,"
     "kind text, table_name text, type text",
     "dropped column registry"},
    {"system_schema", "functions", "keyspace_name", "function_name,argument_types",
     "argument_names frozen<list<text>>, argument_types frozen<list<text>>,"
     "body text, called_on_null_input boolean, function_name text,"
     "keyspace_name text, language text, return_type text",
     "user defined function definitions"},
    {"system_schema", "indexes", "keyspace_name", "table_name,index_name",
     "index_name text, keyspace_name text, kind text,"
     "options frozen<map<text, text>>, table_name text",
     "secondary index definitions"},
    {"system_schema", "keyspaces", "keyspace_name", "",
     "durable_writes boolean, keyspace_name text,"
     "replication frozen<map<text, text>>",
     "keyspace definitions"},
    {"system_schema", "tables", "keyspace_name", "table_name",
     "additional_write_policy text, bloom_filter_fp_chance double,"
     "caching frozen<map<text, text>>, cdc boolean, comment text,"
     "compaction frozen<map<text, text>>, compression frozen<map<text,"
     "text>>, crc_check_chance double, dclocal_read_repair_chance double,"
     "default_time_to_live int, extensions frozen<map<text, blob>>,"
     "flags frozen<set<text>>, gc_grace_seconds int, id uuid,"
     "keyspace_name text, max_index_interval int,"
     "memtable_flush_period_in_ms int, min_index_interval int,"
     "read_repair text, read_repair_chance double, speculative_retry text,"
     "table_name text",
     "table definitions"},
    {"system_schema", "triggers", "keyspace_name", "table_name,trigger_name",
     "keyspace_name text, options frozen<map<text, text>>, table_name text,"
     "trigger_name text",
     "trigger definitions"},
    {"system_schema", "types", "keyspace_name", "type_name",
     "field_names frozen<list<text>>, field_types frozen<list<text>>,"
     "keyspace_name text, type_name text",
     "user defined type definitions"},
    {"system_schema", "views", "keyspace_name", "view_name",
     "additional_write_policy text, base_table_id uuid, base_table_name text,"
     "bloom_filter_fp_chance double, caching frozen<map<text, text>>,"
     "cdc boolean, comment text, compaction frozen<map<text, text>>,"
     "compression frozen<map<text, text>>, crc_check_chance double,"
     "dclocal_read_repair_chance double, default_time_to_live int,"
     "extensions frozen<map<text, blob>>, gc_grace_seconds int, id uuid,"
     "include_all_columns boolean, keyspace_name text,"
     "max_index_interval int, memtable_flush_period_in_ms int,"
     "min_index_interval int, read_repair text, read_repair_chance double,"
     "speculative_retry text, view_name text, where_clause text",
     "view definitions"},
    {"system_auth", "network_permissions", "role", "", "dcs frozen<set<text>>, role text",
     "user network permissions"},
    {"system_auth", "resource_role_permissons_index", "resource", "role",
     "resource text, role text", "index of db roles with permissions granted on a resource"},
    {"system_auth", "role_members", "role", "member", "member text, role text",
     "role memberships lookup table"},
    {"system_auth", "role_permissions", "role", "resource",
     "permissions set<text>, resource text, role text", "permissions granted to db roles"},
    {"system_auth", "roles", "role", "",
     "can_login boolean, is_superuser boolean, member_of set<text>,"
     "role text, salted_hash text",
     "role definitions"},
    {"system_distributed", "parent_repair_history", "parent_id", "",
     "columnfamily_names set<text>, exception_message text,"
     "exception_stacktrace text, finished_at timestamp, keyspace_name text,"
     "options map<text, text>, parent_id timeuuid,"
     "requested_ranges set<text>, started_at timestamp,"
     "successful_ranges set<text>",
     "Repair history",
     "{'class': 'TimeWindowCompactionStrategy', 'compaction_window_size': '1', "
     "'compaction_window_unit': 'DAYS'}",
     2592000},
    {"system_distributed", "repair_history", "keyspace_name,columnfamily_name", "id",
     "columnfamily_name text, coordinator inet, coordinator_port int,"
     "exception_message text, exception_stacktrace text,"
     "finished_at timestamp, id timeuuid, keyspace_name text,"
     "parent_id timeuuid, participants set<inet>, participants_v2 set<text>,"
     "range_begin text, range_end text, started_at timestamp, status text",
     "Repair history",
     "{'class': 'TimeWindowCompactionStrategy', 'compaction_window_size': '1', "
     "'compaction_window_unit': 'DAYS'}",
     2592000},
    {"system_distributed", "view_build_status", "keyspace_name,view_name", "host_id",
     "host_id uuid, keyspace_name text, status text, view_name text",
     "Materialized View build status"},
    {"system_traces", "events", "session_id", "event_id",
     "activity text, event_id timeuuid, session_id uuid, source inet,"
     "source_elapsed int, source_port int, thread text",
     "tracing events"},
    {"system_traces", "sessions", "session_id", "",
     "client inet, command text, coordinator inet, coordinator_port int,"
     "duration int, parameters map<text, text>, request text,"
     "session_id uuid, started_at timestamp",
     "tracing sessions"},
};

constexpr SystemTableDef kVirtualTables[] = {
    {"system_views", "caches", "name", "",
     "capacity_bytes bigint, entry_count int, hit_count bigint,"
     "hit_ratio double, name text, recent_hit_rate_per_second bigint,"
     "recent_request_rate_per_second bigint, request_count bigint,"
     "size_bytes bigint",
     "system caches"},
    {"system_views", "clients", "address", "port",
     "address inet, connection_stage text, driver_name text,"
     "driver_version text, hostname text, port int, protocol_version int,"
     "request_count bigint, ssl_cipher_suite text, ssl_enabled boolean,"
     "ssl_protocol text, username text",
     "currently connected clients"},
    {"system_views", "coordinator_read_latency", "keyspace_name,table_name", "",
     "count bigint, keyspace_name text, max_ms double, p50th_ms double,"
     "p99th_ms double, per_second double, table_name text",
     ""},
    {"system_views", "coordinator_scan_latency", "keyspace_name,table_name", "",
     "count bigint, keyspace_name text, max_ms double, p50th_ms double,"
     "p99th_ms double, per_second double, table_name text",
     ""},
    {"system_views", "coordinator_write_latency", "keyspace_name,table_name", "",
     "count bigint, keyspace_name text, max_ms double, p50th_ms double,"
     "p99th_ms double, per_second double, table_name text",
     ""},
    {"system_views", "disk_usage", "keyspace_name,table_name", "",
     "keyspace_name text, mebibytes bigint, table_name text", ""},
    {"system_views", "internode_inbound", "address,port", "dc,rack",
     "address inet, corrupt_frames_recovered bigint,"
     "corrupt_frames_unrecovered bigint, dc text, error_bytes bigint,"
     "error_count bigint, expired_bytes bigint, expired_count bigint,"
     "port int, processed_bytes bigint, processed_count bigint, rack text,"
     "received_bytes bigint, received_count bigint, scheduled_bytes bigint,"
     "scheduled_count bigint, throttled_count bigint, throttled_nanos bigint,"
     "using_bytes bigint, using_reserve_bytes bigint",
     ""},
    {"system_views", "internode_outbound", "address,port", "dc,rack",
     "active_connections bigint, address inet, connection_attempts bigint,"
     "dc text, error_bytes bigint, error_count bigint, expired_bytes bigint,"
     "expired_count bigint, overload_bytes bigint, overload_count bigint,"
     "pending_bytes bigint, pending_count bigint, port int, rack text,"
     "sent_bytes bigint, sent_count bigint,"
     "successful_connection_attempts bigint, using_bytes bigint,"
     "using_reserve_bytes bigint",
     ""},
    {"system_views", "local_read_latency", "keyspace_name,table_name", "",
     "count bigint, keyspace_name text, max_ms double, p50th_ms double,"
     "p99th_ms double, per_second double, table_name text",
     ""},
    {"system_views", "local_scan_latency", "keyspace_name,table_name", "",
     "count bigint, keyspace_name text, max_ms double, p50th_ms double,"
     "p99th_ms double, per_second double, table_name text",
     ""},
    {"system_views", "local_write_latency", "keyspace_name,table_name", "",
     "count bigint, keyspace_name text, max_ms double, p50th_ms double,"
     "p99th_ms double, per_second double, table_name text",
     ""},
    {"system_views", "max_partition_size", "keyspace_name,table_name", "",
     "keyspace_name text, mebibytes bigint, table_name text", ""},
    {"system_views", "rows_per_read", "keyspace_name,table_name", "",
     "count bigint, keyspace_name text, max double, p50th double,"
     "p99th double, table_name text",
     ""},
    {"system_views", "settings", "name", "", "name text, value text", "current settings"},
    {"system_views", "sstable_tasks", "keyspace_name", "table_name,task_id",
     "completion_ratio double, keyspace_name text, kind text,"
     "progress bigint, table_name text, task_id uuid, total bigint,"
     "unit text",
     "current sstable tasks"},
    {"system_views", "system_properties", "name", "", "name text, value text",
     "Cassandra relevant system properties"},
    {"system_views", "thread_pools", "name", "",
     "active_tasks int, active_tasks_limit int, blocked_tasks bigint,"
     "blocked_tasks_all_time bigint, completed_tasks bigint, name text,"
     "pending_tasks int",
     ""},
    {"system_views", "tombstones_per_read", "keyspace_name,table_name", "",
     "count bigint, keyspace_name text, max double, p50th double,"
     "p99th double, table_name text",
     ""},
    {"system_virtual_schema", "columns", "keyspace_name", "table_name,column_name",
     "clustering_order text, column_name text, column_name_bytes blob,"
     "keyspace_name text, kind text, position int, table_name text,"
     "type text",
     "virtual column definitions"},
    {"system_virtual_schema", "keyspaces", "keyspace_name", "", "keyspace_name text",
     "virtual keyspace definitions"},
    {"system_virtual_schema", "tables", "keyspace_name", "table_name",
     "comment text, keyspace_name text, table_name text", "virtual table definitions"},
};

}  // namespace

std::span<const SystemTableDef> SystemTableDefs() { return kSystemTables; }
std::span<const SystemTableDef> VirtualTableDefs() { return kVirtualTables; }

}  // namespace cqlbulk::sim::internal
