// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cli/file_flags.h"

#include <cstdint>
#include <fstream>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cli {
namespace {

Result<char> OneChar(std::string_view flag, const std::string& value) {
  if (value == "\\t") return '\t';
  if (value.size() != 1) {
    return InvalidArgument("--" + std::string(flag) + " takes one character, not '" + value + "'");
  }
  return value[0];
}

}  // namespace

void FileFlags::AddTo(FlagSet& flags, std::string compression_default) {
  compression = std::move(compression_default);
  flags.AddString("keyspace", "KS", "keyspace of the table", &keyspace, "k");
  flags.AddString("table", "T", "the table", &table, "t");
  flags.AddString("consistency", "CL", "consistency level (default LOCAL_ONE)", &consistency);
  flags.AddInt("max-rows-per-second", "N", "at most N rows a second", &max_rows_per_second, 1,
               INT64_MAX);
  flags.AddInt("max-bytes-per-second", "N", "at most N bytes a second (read or written)",
               &max_bytes_per_second, 1, INT64_MAX);
  flags.AddString("format", "F",
                  "csv (default), json (one object per line), parquet, or iceberg (a table: "
                  "--warehouse, --iceberg-table)",
                  &format_);
  flags.AddString("warehouse", "DIR",
                  "Iceberg: the warehouse directory (new tables go to <DIR>/<ns>.db/<table>)",
                  &iceberg.warehouse);
  flags.AddString("catalog", "URI",
                  "Iceberg: the SQL catalog, as PyIceberg's SqlCatalog takes it "
                  "(sqlite:///path.db, postgresql://user:pw@host/db; default: SQLite at "
                  "<warehouse>/catalog.db)",
                  &iceberg.catalog);
  flags.AddString("catalog-name", "NAME", "Iceberg: the catalog's name (default 'default')",
                  &iceberg.catalog_name);
  flags.AddString("iceberg-table", "NS.TABLE", "Iceberg: the table, namespace.table",
                  &iceberg.table);
  flags.AddString("url", "PATH", "the files: a directory, a file, a glob, or - for stdio", &url);
  flags.AddString("header", "BOOL", "CSV: a header line with the column names (default true)",
                  &header_);
  flags.AddString("delimiter", "C", "CSV field delimiter (default ','; \\t for tab)", &delimiter_);
  flags.AddString("quote", "C", "CSV quote character (default '\"')", &quote_);
  flags.AddString("escape", "C", "CSV escape of a quote inside quotes (default '\"': doubled)",
                  &escape_);
  flags.AddString("null-string", "S",
                  "CSV text of null (default empty: an empty field is null, \"\" is empty text)",
                  &null_string_);
  flags.AddString("binary", "ENC", "blobs as base64 (default) or hex (0x...)", &binary_);
  flags.AddString("timestamp-format", "PATTERN",
                  "iso (ISO-8601, default) or a strftime pattern (%Y %m %d %H %M %S %f %z %Ez)",
                  &timestamp_format_);
  flags.AddString("time-zone", "ZONE", "UTC (default) or an offset such as +02:00",
                  &time_zone_);
  flags.AddString("compression", "C",
                  "none, gzip, zstd, lz4, snappy, bzip2, xz" +
                      std::string(compression == "auto"
                                      ? ", or auto (default: by extension)"
                                      : " (default none); Parquet pages: none, snappy "
                                        "(default), gzip, zstd, lz4 or brotli"),
                  &compression);
  flags.AddString("log-dir", "DIR",
                  "the run's log directory (default: a new folder under ./logs)", &log_dir);
  flags.AddString("resume", "DIR", "continue the interrupted run with this log directory",
                  &resume);
  flags.AddString("summary-json", "FILE", "also write the summary as JSON to FILE",
                  &summary_json);
}

Status FileFlags::WriteSummary(const std::string& log_dir, const std::string& json) const {
  for (const std::string& path : {log_dir + "/summary.json", summary_json}) {
    if (path.empty()) continue;
    std::ofstream file(path, std::ios::trunc);
    file << json;
    file.close();
    if (!file) return IoError("cannot write the summary to " + path);
  }
  return {};
}

Result<ops::FileFormat> FileFlags::Format() const { return ops::ParseFileFormat(format_); }

Result<formats::CsvOptions> FileFlags::Csv() const {
  formats::CsvOptions csv;
  if (header_ != "true" && header_ != "false") {
    return InvalidArgument("--header takes true or false, not '" + header_ + "'");
  }
  csv.header = header_ == "true";
  CQLBULK_ASSIGN_OR_RETURN(csv.delimiter, OneChar("delimiter", delimiter_));
  CQLBULK_ASSIGN_OR_RETURN(csv.quote, OneChar("quote", quote_));
  CQLBULK_ASSIGN_OR_RETURN(csv.escape, OneChar("escape", escape_));
  csv.text.null_string = null_string_;
  if (binary_ == "base64") {
    csv.text.binary = formats::BinaryEncoding::kBase64;
  } else if (binary_ == "hex") {
    csv.text.binary = formats::BinaryEncoding::kHex;
  } else {
    return InvalidArgument("--binary takes base64 or hex, not '" + binary_ + "'");
  }
  csv.text.timestamp_format = timestamp_format_;
  csv.text.time_zone = time_zone_;
  return csv;
}

}  // namespace cqlbulk::cli
