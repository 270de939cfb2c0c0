// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/formats/csv/csv_options.h"
#include "cqlbulk/formats/io/compression.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/formats/text/record.h"

namespace cqlbulk::ops {

/// \brief The file formats unload writes and load reads; kIceberg is an Iceberg table (Parquet
/// data files committed through a catalog: ops/iceberg/catalog.h).
enum class FileFormat : uint8_t { kCsv, kJson, kParquet, kIceberg };

/// "csv", "json", "parquet" or "iceberg"; kInvalidArgument otherwise.
Result<FileFormat> ParseFileFormat(std::string_view name);
std::string_view FileFormatName(FileFormat format);
/// ".csv", ".json" or ".parquet" (Iceberg's data files too).
std::string_view FileFormatExtension(FileFormat format);

/// \brief A writer of a text `format` on `out` (CSV options apply to CSV; `csv.text` to both).
Result<std::unique_ptr<formats::RecordWriter>> MakeRecordWriter(FileFormat format,
                                                                formats::OutputStream& out,
                                                                data::SchemaPtr schema,
                                                                const formats::CsvOptions& csv);

/// \brief A reader of a text `format` from `in` into batches of `target`; `source_fields[i]`
/// feeds target field i (see formats::CsvReader and formats::JsonReader). Parquet files are
/// read at random offsets: formats::parquet::ParquetRecordReader reads them.
Result<std::unique_ptr<formats::RecordReader>> MakeRecordReader(
    FileFormat format, formats::InputStream& in, std::string source_name, data::SchemaPtr target,
    std::vector<std::string> source_fields, const formats::CsvOptions& csv,
    formats::MissingField missing);

/// \brief The Parquet page codec of a `--compression` name: none, snappy, gzip, zstd, lz4
/// (LZ4_RAW), brotli; kInvalidArgument naming the accepted ones for anything else (bzip2 and
/// xz, which Parquet has not).
Result<formats::parquet::CompressionCodec> ParseParquetCodec(std::string_view name);

/// \brief Parquet's writer options as one line ("codec=SNAPPY decimal=text ..."), for the
/// checkpoint as DescribeTextOptions.
std::string DescribeParquetOptions(const formats::parquet::WriterOptions& options);

/// \brief The text options as one line ("delimiter=',' quote='\"' ... time_zone=UTC"): what a
/// checkpoint keeps, so a resumed run writes and reads its files as the run it continues did.
std::string DescribeTextOptions(FileFormat format, const formats::CsvOptions& csv);

/// \brief The CSV header line of `schema` (with its line end), as the CSV writer quotes it.
Result<std::string> CsvHeader(const data::SchemaPtr& schema, const formats::CsvOptions& csv);

}  // namespace cqlbulk::ops
