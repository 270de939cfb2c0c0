// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/table/commit.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/metadata/manifest_list.h"
#include "cqlbulk/iceberg/metadata/snapshot_summary.h"

namespace cqlbulk::iceberg {
namespace {

/// Metadata files a table's metadata-log keeps (Java's write.metadata.previous-versions-max).
constexpr size_t kMaxMetadataLog = 100;

/// A partition tuple as text, to count distinct ones.
std::string PartitionKey(const std::vector<Literal>& values) {
  std::string key;
  for (const Literal& v : values) {
    key += std::to_string(static_cast<int>(v.kind)) + ":";
    switch (v.kind) {
      case Literal::Kind::kNull: break;
      case Literal::Kind::kBoolean: key += v.boolean ? "1" : "0"; break;
      case Literal::Kind::kInt: key += std::to_string(v.int_value); break;
      case Literal::Kind::kLong: key += std::to_string(v.long_value); break;
      case Literal::Kind::kFloat: key += std::to_string(v.float_value); break;
      case Literal::Kind::kDouble: key += std::to_string(v.double_value); break;
      case Literal::Kind::kBytes: key += std::to_string(v.bytes.size()) + ":" + v.bytes; break;
    }
    key += ";";
  }
  return key;
}

void RemoveQuietly(const std::string& location) {
  if (Result<std::string> path = LocalPath(location); path.has_value()) ::unlink(path->c_str());
}

/// The snapshot in the current snapshot's history whose summary has key = value, or nullptr.
const Snapshot* FindCommitted(const TableMetadata& metadata,
                              const std::pair<std::string, std::string>& key) {
  std::set<int64_t> seen;
  for (const Snapshot* s = metadata.CurrentSnapshot(); s != nullptr && seen.insert(s->snapshot_id).second;
       s = s->parent_snapshot_id ? metadata.SnapshotById(*s->parent_snapshot_id) : nullptr) {
    auto it = s->summary.find(key.first);
    if (it != s->summary.end() && it->second == key.second) return s;
  }
  return nullptr;
}

/// What one attempt wrote besides the metadata file (removed again when the attempt loses).
struct AttemptFiles {
  std::vector<std::string> locations;
  void RemoveAll() {
    for (const std::string& l : locations) RemoveQuietly(l);
    locations.clear();
  }
};

/// The manifests of an overwrite's base: delete manifests kept, every live data file of the
/// data manifests written again as DELETED (one manifest per partition spec).
Result<std::vector<ManifestFile>> OverwriteManifests(const TableMetadata& base,
                                                     const std::vector<ManifestFile>& manifests,
                                                     int64_t snapshot_id,
                                                     const std::string& prefix,
                                                     std::vector<DataFile>& deleted,
                                                     AttemptFiles& written) {
  std::vector<ManifestFile> out;
  std::map<int32_t, std::vector<ManifestEntry>> by_spec;
  for (const ManifestFile& m : manifests) {
    if (m.content == ManifestContent::kDeletes) {
      out.push_back(m);
      continue;
    }
    CQLBULK_ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, ReadManifest(m.manifest_path, &m));
    for (ManifestEntry& e : entries) {
      if (e.status == ManifestEntryStatus::kDeleted) continue;
      e.status = ManifestEntryStatus::kDeleted;
      e.snapshot_id = snapshot_id;
      deleted.push_back(e.data_file);
      by_spec[m.partition_spec_id].push_back(std::move(e));
    }
  }
  int n = 0;
  for (auto& [spec_id, entries] : by_spec) {
    const PartitionSpec* spec = base.SpecById(spec_id);
    if (spec == nullptr) {
      return Corrupt("a manifest of the table names partition spec " + std::to_string(spec_id) +
                     ", which its metadata does not have");
    }
    std::string location = prefix + "-d" + std::to_string(n++) + ".avro";
    ManifestWriterOptions options{
        .schema = *base.CurrentSchema(), .spec = *spec, .snapshot_id = snapshot_id};
    written.locations.push_back(location);
    CQLBULK_ASSIGN_OR_RETURN(ManifestFile manifest,
                             WriteManifest(location, std::move(options), std::move(entries)));
    out.insert(out.begin(), std::move(manifest));
  }
  return out;
}

void BackOff(const CommitOptions& options, int attempt) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  auto ceiling = options.min_backoff * (int64_t{1} << std::min(attempt, 16));
  ceiling = std::min<std::chrono::milliseconds>(ceiling, options.max_backoff);
  std::uniform_int_distribution<int64_t> pick(options.min_backoff.count(),
                                              std::max(options.min_backoff, ceiling).count());
  std::this_thread::sleep_for(std::chrono::milliseconds(pick(random)));
}

}  // namespace

Status CheckSchemaFits(const Schema& schema, const Schema& written) {
  for (const NestedField& f : written.fields) {
    const NestedField* t = schema.FindField(f.id);
    if (t == nullptr) {
      return InvalidArgument("the table's current schema (id " + std::to_string(schema.schema_id) +
                             ") has no field " + std::to_string(f.id) + " ('" + f.name +
                             "') any more, which the files were written with");
    }
    if (!(*t->type == *f.type)) {
      return InvalidArgument("field " + std::to_string(f.id) + " ('" + t->name +
                             "') of the table's current schema is a " + t->type->ToString() +
                             ", the files hold a " + f.type->ToString());
    }
    if (t->required && !f.required) {
      return InvalidArgument("field " + std::to_string(f.id) + " ('" + t->name +
                             "') of the table is required, the files may hold nulls in it");
    }
  }
  return {};
}

std::map<std::string, std::string> OverwriteSummary(const Snapshot* parent,
                                                    const std::vector<DataFile>& added,
                                                    const std::vector<DataFile>& deleted) {
  std::map<std::string, std::string> summary = AppendSummary(nullptr, added);
  summary["operation"] = "overwrite";
  std::set<std::string> partitions;
  for (const DataFile& f : added) partitions.insert(PartitionKey(f.partition));
  int64_t records = 0, size = 0;
  for (const DataFile& f : deleted) {
    partitions.insert(PartitionKey(f.partition));
    records += f.record_count;
    size += f.file_size_in_bytes;
  }
  if (!deleted.empty()) {
    summary["deleted-data-files"] = std::to_string(deleted.size());
    summary["deleted-records"] = std::to_string(records);
    summary["removed-files-size"] = std::to_string(size);
  }
  summary["changed-partition-count"] = std::to_string(partitions.size());
  // The base's delete files stay (they apply to no remaining file).
  if (parent != nullptr) {
    for (const char* key :
         {"total-delete-files", "total-position-deletes", "total-equality-deletes"}) {
      auto it = parent->summary.find(key);
      if (it != parent->summary.end()) summary[key] = it->second;
    }
  }
  return summary;
}

Result<CommitResult> CommitFiles(Catalog& catalog, const TableIdentifier& id,
                                 const std::vector<DataFile>& files, const Schema& schema,
                                 const PartitionSpec& spec, const CommitOptions& options) {
  const int64_t snapshot_id = options.snapshot_id.value_or(NewSnapshotId());
  const std::string commit_uuid = NewUuid();
  std::vector<ManifestFile> new_manifests = options.manifests;
  for (int attempt = 1;; ++attempt) {
    // The base: the table as it is now, or a new one.
    TableMetadata metadata;
    std::string base_location;
    bool creating = false;
    Result<std::string> current = catalog.LoadTable(id);
    if (current.has_value()) {
      CQLBULK_ASSIGN_OR_RETURN(Table loaded, LoadTable(catalog, id));
      metadata = std::move(loaded.metadata);
      base_location = std::move(loaded.metadata_location);
    } else if (current.error().code() == ErrorCode::kNotFound && options.create) {
      creating = true;
      CQLBULK_ASSIGN_OR_RETURN(metadata, MakeNewTableMetadata(options.create->location,
                                                              options.create->schema,
                                                              options.create->spec,
                                                              options.create->properties));
    } else {
      return Unexpected(current.error());
    }
    if (!creating && options.once_key) {
      if (const Snapshot* done = FindCommitted(metadata, *options.once_key)) {
        CommitResult result;
        result.snapshot_id = done->snapshot_id;
        result.attempts = attempt;
        result.already_committed = true;
        result.table = Table{id, std::move(base_location), std::move(metadata)};
        return result;
      }
    }
    if (!creating && options.must_create) {
      return AlreadyExists("table " + id.ToString() + " already exists (metadata at " +
                           base_location + ")");
    }
    auto fits = [&]() -> Status {
      CQLBULK_RETURN_IF_ERROR(CheckSchemaFits(*metadata.CurrentSchema(), schema));
      const PartitionSpec* current = metadata.DefaultSpec();
      if (current->spec_id != spec.spec_id || current->fields != spec.fields) {
        return InvalidArgument("the table's default partition spec is now spec " +
                               std::to_string(current->spec_id) +
                               ", the files were partitioned by spec " +
                               std::to_string(spec.spec_id));
      }
      return {};
    };
    if (Status ok = fits(); !ok.has_value()) {
      return Error(ErrorCode::kInvalidArgument, "cannot commit to table " + id.ToString() +
                                                    ": " + ok.error().message());
    }

    // The new files' manifest, written once.
    if (new_manifests.empty()) {
      const std::string manifest_location =
          JoinLocation(metadata.location, "metadata/" + commit_uuid + "-m0.avro");
      CQLBULK_ASSIGN_OR_RETURN(std::string dir,
                               LocalPath(JoinLocation(metadata.location, "metadata")));
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      if (ec) return IoError("cannot create " + dir + ": " + ec.message());
      std::vector<ManifestEntry> entries;
      entries.reserve(files.size());
      for (const DataFile& f : files) {
        ManifestEntry entry;
        entry.data_file = f;
        entries.push_back(std::move(entry));
      }
      ManifestWriterOptions writer_options{
          .schema = schema, .spec = spec, .snapshot_id = snapshot_id};
      CQLBULK_ASSIGN_OR_RETURN(ManifestFile manifest, WriteManifest(manifest_location,
                                                                    std::move(writer_options),
                                                                    std::move(entries)));
      new_manifests.push_back(std::move(manifest));
    }

    AttemptFiles written;
    const Snapshot* parent = metadata.CurrentSnapshot();
    const int64_t sequence_number = metadata.last_sequence_number + 1;
    const std::string prefix = JoinLocation(
        metadata.location,
        "metadata/" + commit_uuid + "-" + std::to_string(attempt));
    std::vector<ManifestFile> manifests = new_manifests;
    std::vector<DataFile> deleted;
    if (parent != nullptr) {
      CQLBULK_ASSIGN_OR_RETURN(std::string list_path, LocalPath(parent->manifest_list));
      CQLBULK_ASSIGN_OR_RETURN(std::vector<ManifestFile> base, ReadManifestList(list_path));
      if (options.operation == CommitOperation::kAppend) {
        manifests.insert(manifests.end(), base.begin(), base.end());
      } else {
        CQLBULK_ASSIGN_OR_RETURN(
            std::vector<ManifestFile> kept,
            OverwriteManifests(metadata, base, snapshot_id, prefix, deleted, written));
        manifests.insert(manifests.end(), kept.begin(), kept.end());
      }
    }
    std::string list_location = JoinLocation(
        metadata.location, "metadata/snap-" + std::to_string(snapshot_id) + "-" +
                               std::to_string(attempt) + "-" + commit_uuid + ".avro");
    ManifestListWriterOptions list_options{
        .snapshot_id = snapshot_id,
        .parent_snapshot_id =
            parent ? std::optional<int64_t>(parent->snapshot_id) : std::nullopt,
        .sequence_number = sequence_number};
    written.locations.push_back(list_location);
    if (Status ok = WriteManifestList(list_location, list_options, manifests); !ok.has_value()) {
      written.RemoveAll();
      return Unexpected(ok.error());
    }

    Snapshot snapshot;
    snapshot.snapshot_id = snapshot_id;
    snapshot.parent_snapshot_id = list_options.parent_snapshot_id;
    snapshot.sequence_number = sequence_number;
    snapshot.timestamp_ms = std::max(NowMillis(), metadata.last_updated_ms + 1);
    snapshot.manifest_list = list_location;
    snapshot.schema_id = metadata.current_schema_id;
    snapshot.summary = options.operation == CommitOperation::kAppend
                           ? AppendSummary(parent, files)
                           : OverwriteSummary(parent, files, deleted);
    for (const auto& [key, value] : options.summary_properties) snapshot.summary[key] = value;
    const int64_t base_updated_ms = metadata.last_updated_ms;
    if (Status ok = AddSnapshot(metadata, std::move(snapshot)); !ok.has_value()) {
      written.RemoveAll();
      return Unexpected(ok.error());
    }
    std::string next_location;
    if (creating) {
      next_location = NextMetadataLocation(metadata);
    } else {
      metadata.metadata_log.push_back({base_location, base_updated_ms});
      if (metadata.metadata_log.size() > kMaxMetadataLog) {
        metadata.metadata_log.erase(
            metadata.metadata_log.begin(),
            metadata.metadata_log.end() - static_cast<std::ptrdiff_t>(kMaxMetadataLog));
      }
      next_location = NextMetadataLocation(metadata, base_location);
    }
    if (Status ok = WriteTableMetadata(metadata, next_location); !ok.has_value()) {
      written.RemoveAll();
      return Unexpected(ok.error());
    }
    written.locations.push_back(next_location);

    Status swapped;
    if (creating) {
      swapped = EnsureNamespace(catalog, id.ns);
      if (swapped.has_value()) swapped = catalog.CreateTable(id, next_location);
    } else {
      swapped = catalog.CommitTable(id, base_location, next_location);
    }
    if (swapped.has_value()) {
      CommitResult result;
      result.snapshot_id = snapshot_id;
      result.attempts = attempt;
      result.created = creating;
      result.table = Table{id, std::move(next_location), std::move(metadata)};
      return result;
    }
    const bool lost_race =
        swapped.error().code() == ErrorCode::kConflict ||
        (creating && swapped.error().code() == ErrorCode::kAlreadyExists && !options.must_create);
    if (!lost_race) {
      // The swap may have happened (a connection lost after it): the files stay.
      return Unexpected(swapped.error());
    }
    written.RemoveAll();
    if (attempt >= options.max_attempts) {
      return Error(ErrorCode::kConflict,
                   "cannot commit to table " + id.ToString() + ": lost the race to other "
                   "writers " + std::to_string(attempt) + " times (" + swapped.error().message() +
                   ")");
    }
    BackOff(options, attempt);
  }
}

}  // namespace cqlbulk::iceberg
