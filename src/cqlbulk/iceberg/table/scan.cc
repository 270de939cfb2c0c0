// SPDX-License-Identifier: Apache-2.0
// Scan planning: from a snapshot's manifest list to the data files a filtered read needs.
#include "cqlbulk/iceberg/table/scan.h"

#include <map>

#include <nlohmann/json.hpp>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/iceberg/metadata/manifest_list.h"

namespace cqlbulk::iceberg {

Result<ScanPlan> PlanScan(const TableMetadata& metadata, const ScanOptions& options) {
  ScanPlan plan;
  const Schema* schema = metadata.CurrentSchema();
  if (schema == nullptr) return Corrupt("table " + options.table_name + " has no current schema");
  plan.schema = *schema;
  if (options.filter.empty()) {
    plan.filter.op = Expression::Op::kTrue;
  } else {
    CQLBULK_ASSIGN_OR_RETURN(plan.filter, ParseAndBindFilter(options.filter, *schema));
  }
  if (auto it = metadata.properties.find("schema.name-mapping.default");
      it != metadata.properties.end()) {
    nlohmann::json mapping = nlohmann::json::parse(it->second, nullptr, false);
    auto bad = [&](const std::string& what) {
      return Corrupt("table " + options.table_name +
                     ": property schema.name-mapping.default: " + what);
    };
    if (!mapping.is_array()) return bad("not a JSON array");
    for (const auto& field : mapping) {
      if (!field.is_object() || !field.contains("names") || !field["names"].is_array()) {
        return bad("an entry without 'names'");
      }
      if (!field.contains("field-id")) continue;  // a name with no id: not read
      if (!field["field-id"].is_number_integer()) return bad("a 'field-id' that is no integer");
      for (const auto& name : field["names"]) {
        if (!name.is_string()) return bad("a name that is no string");
        plan.name_mapping[name.get<std::string>()] = field["field-id"].get<int32_t>();
      }
    }
  }
  if (options.snapshot_id && options.as_of_ms) {
    return InvalidArgument("give a snapshot id or a time (--as-of), not both");
  }
  const Snapshot* snapshot = nullptr;
  if (options.snapshot_id) {
    snapshot = metadata.SnapshotById(*options.snapshot_id);
    if (snapshot == nullptr) {
      std::string ids;
      for (const Snapshot& s : metadata.snapshots) {
        ids += (ids.empty() ? "" : ", ") + std::to_string(s.snapshot_id);
      }
      return NotFound("table " + options.table_name + " has no snapshot " +
                      std::to_string(*options.snapshot_id) + " (its snapshots: " +
                      (ids.empty() ? "none" : ids) + ")");
    }
  } else if (options.as_of_ms) {
    Result<const Snapshot*> found = metadata.SnapshotAsOf(*options.as_of_ms);
    if (!found) {
      return Error(found.error().code(),
                   "table " + options.table_name + ": " + found.error().message());
    }
    snapshot = *found;
  } else {
    snapshot = metadata.CurrentSnapshot();
  }
  if (snapshot == nullptr) return plan;  // an empty table
  plan.snapshot_id = snapshot->snapshot_id;
  const std::string at =
      "table " + options.table_name + " at snapshot " + std::to_string(snapshot->snapshot_id);

  std::vector<ManifestFile> manifests;
  if (!snapshot->manifest_list.empty()) {
    Result<std::vector<ManifestFile>> list = ReadManifestList(snapshot->manifest_list);
    if (!list) return Error(list.error().code(), at + ": " + list.error().message());
    manifests = std::move(*list);
  } else {
    for (const std::string& path : snapshot->manifests) {  // v1 without a manifest list
      ManifestFile m;
      m.manifest_path = path;
      m.sequence_number = 0;
      manifests.push_back(std::move(m));
    }
  }

  // Delete files first: equality deletes refuse the snapshot before a data file is planned.
  struct DeleteFile {
    DataFile file;
    int32_t spec_id = 0;
    bool unpartitioned = false;
    int64_t sequence_number = 0;
  };
  std::vector<DeleteFile> position_deletes;
  int64_t equality_deletes = 0;
  for (const ManifestFile& m : manifests) {
    if (m.content != ManifestContent::kDeletes) continue;
    Result<std::vector<ManifestEntry>> entries = ReadManifest(m.manifest_path, &m);
    if (!entries) return Error(entries.error().code(), at + ": " + entries.error().message());
    const PartitionSpec* spec = metadata.SpecById(m.partition_spec_id);
    for (ManifestEntry& e : *entries) {
      if (e.status == ManifestEntryStatus::kDeleted) continue;
      if (e.data_file.content == DataFileContent::kEqualityDeletes) {
        ++equality_deletes;
        continue;
      }
      if (e.data_file.content != DataFileContent::kPositionDeletes) {
        return Corrupt(at + ": delete manifest " + m.manifest_path + " lists a data file, " +
                       e.data_file.file_path);
      }
      position_deletes.push_back({.file = std::move(e.data_file),
                                  .spec_id = m.partition_spec_id,
                                  .unpartitioned = spec == nullptr || spec->fields.empty(),
                                  .sequence_number = e.sequence_number.value_or(0)});
    }
  }
  if (equality_deletes > 0) {
    return Unimplemented(at + " has " + std::to_string(equality_deletes) +
                         " equality delete file(s) (merge-on-read deletes by value): cqlbulk "
                         "does not apply them yet, and never returns deleted rows; compact the "
                         "table (rewrite its data files) or read an older snapshot");
  }
  plan.position_delete_files = static_cast<int64_t>(position_deletes.size());

  std::map<int32_t, Expression> projections;  // by spec id
  for (const ManifestFile& m : manifests) {
    if (m.content != ManifestContent::kData) continue;
    ++plan.manifests;
    const PartitionSpec* spec = metadata.SpecById(m.partition_spec_id);
    if (spec == nullptr) {
      return Corrupt(at + ": manifest " + m.manifest_path + " has partition spec " +
                     std::to_string(m.partition_spec_id) + ", which the table does not have");
    }
    auto it = projections.find(spec->spec_id);
    if (it == projections.end()) {
      CQLBULK_ASSIGN_OR_RETURN(Expression projected,
                               ProjectInclusive(plan.filter, *spec, *schema));
      it = projections.emplace(spec->spec_id, std::move(projected)).first;
    }
    const Expression& projected = it->second;
    CQLBULK_ASSIGN_OR_RETURN(bool may_match, ManifestMayMatch(projected, m.partitions));
    if (!may_match) {
      ++plan.manifests_pruned;
      continue;
    }
    Result<std::vector<ManifestEntry>> entries = ReadManifest(m.manifest_path, &m);
    if (!entries) return Error(entries.error().code(), at + ": " + entries.error().message());
    for (ManifestEntry& e : *entries) {
      if (e.status == ManifestEntryStatus::kDeleted) continue;
      if (e.data_file.content != DataFileContent::kData) {
        return Corrupt(at + ": data manifest " + m.manifest_path + " lists a delete file, " +
                       e.data_file.file_path);
      }
      ++plan.files;
      Result<bool> in_partition = EvaluatePartition(projected, e.data_file.partition);
      if (!in_partition) {
        return Error(in_partition.error().code(), at + ": " + e.data_file.file_path + ": " +
                                                      in_partition.error().message());
      }
      if (!*in_partition) {
        ++plan.files_pruned_by_partition;
        continue;
      }
      Result<bool> by_metrics = MetricsMayMatch(plan.filter, e.data_file);
      if (!by_metrics) {
        return Error(by_metrics.error().code(), at + ": " + e.data_file.file_path + ": " +
                                                    by_metrics.error().message());
      }
      if (!*by_metrics) {
        ++plan.files_pruned_by_metrics;
        continue;
      }
      plan.records += e.data_file.record_count;
      ScanTask task{.file = std::move(e.data_file),
                    .spec_id = m.partition_spec_id,
                    .sequence_number = e.sequence_number.value_or(0),
                    .position_deletes = {}};
      for (const DeleteFile& d : position_deletes) {
        // A position delete applies to data files of its partition (or any, when it is
        // unpartitioned) whose data sequence number is not above its own.
        if (d.sequence_number < task.sequence_number) continue;
        if (!d.unpartitioned &&
            (d.spec_id != task.spec_id || d.file.partition != task.file.partition)) {
          continue;
        }
        task.position_deletes.push_back(d.file);
      }
      plan.tasks.push_back(std::move(task));
    }
  }
  return plan;
}

}  // namespace cqlbulk::iceberg
