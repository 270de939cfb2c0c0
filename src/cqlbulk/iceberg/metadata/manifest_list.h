// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/avro/container.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/iceberg/metadata/manifest.h"

namespace cqlbulk::iceberg {

/// The Avro schema JSON of a v2 manifest list's manifest_file records, every field id with it.
std::string ManifestListSchemaJson();

struct ManifestListWriterOptions {
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id{};
  /// The snapshot's sequence number: the manifests it adds (kUnassignedSequenceNumber) get it.
  int64_t sequence_number = 0;
  formats::avro::Codec codec = formats::avro::Codec::kDeflate;
};

/// \brief Writes a format v2 manifest list (spec, "Manifest Lists"): an Avro container of
/// manifest_file records, with the snapshot-id, parent-snapshot-id, sequence-number and
/// format-version metadata. Not thread-safe.
class ManifestListWriter {
 public:
  static Result<std::unique_ptr<ManifestListWriter>> Make(
      std::unique_ptr<formats::OutputStream> sink, ManifestListWriterOptions options);
  ~ManifestListWriter();

  /// \brief Adds a manifest; unassigned sequence numbers become the snapshot's.
  /// kInvalidArgument for a sequence number above the snapshot's.
  Status Add(ManifestFile manifest);
  Status Close();
  /// The file's size after Close().
  uint64_t bytes_written() const noexcept;

 private:
  ManifestListWriter(std::unique_ptr<formats::avro::ContainerWriter> writer,
                     ManifestListWriterOptions options);
  std::unique_ptr<formats::avro::ContainerWriter> writer_;
  ManifestListWriterOptions options_;
};

/// \brief Writes `manifests` as a new manifest list at `location` (a local path or file://
/// location; kAlreadyExists when the file exists).
Status WriteManifestList(const std::string& location, ManifestListWriterOptions options,
                         const std::vector<ManifestFile>& manifests);

/// \brief Reads a manifest list written by cqlbulk, PyIceberg or Java, v1 or v2 (fields found
/// by their ids; v1's missing content and sequence numbers are data and 0). `name` names the
/// file in errors (kCorrupt, naming the entry).
Result<std::vector<ManifestFile>> ReadManifestList(std::unique_ptr<formats::InputStream> source,
                                                   const std::string& name);
/// \brief The same for the local file at `path`.
Result<std::vector<ManifestFile>> ReadManifestList(const std::string& path);

}  // namespace cqlbulk::iceberg
