// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "cqlbulk/core/flags.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/ops/file_format.h"
#include "cqlbulk/ops/iceberg/catalog.h"

namespace cqlbulk::cli {

/// \brief The flags unload and load share: the table, consistency and rate limits, the files
/// (format, CSV dialect, text forms, compression) and the run's log directory, spelled as DSBulk
/// users expect.
class FileFlags {
 public:
  /// Adds -k/--keyspace, -t/--table, --consistency, --max-rows-per-second,
  /// --max-bytes-per-second, --format, --url, --header, --delimiter, --quote, --escape,
  /// --null-string, --binary, --timestamp-format, --time-zone, --compression, --log-dir,
  /// --resume and --summary-json; for Iceberg tables --warehouse, --catalog, --catalog-name
  /// and --iceberg-table. `compression_default` is "none" for unload, "auto" (from
  /// each file's name) for load.
  void AddTo(FlagSet& flags, std::string compression_default);

  /// The format and CSV options; kInvalidArgument naming the flag.
  Result<ops::FileFormat> Format() const;
  Result<formats::CsvOptions> Csv() const;

  /// Writes the run's summary to its log directory and, with --summary-json, to that file.
  Status WriteSummary(const std::string& log_dir, const std::string& json) const;

  std::string keyspace, table, consistency = "LOCAL_ONE";
  std::string url, compression, log_dir, resume, summary_json;
  int64_t max_rows_per_second = 0, max_bytes_per_second = 0;
  ops::IcebergTableOptions iceberg;

 private:
  std::string format_ = "csv", header_ = "true", delimiter_ = ",", quote_ = "\"", escape_ = "\"";
  std::string null_string_, binary_ = "base64", timestamp_format_ = "iso", time_zone_ = "UTC";
};

}  // namespace cqlbulk::cli
