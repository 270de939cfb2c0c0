// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/formats/csv/csv_options.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/text/record.h"

namespace cqlbulk::ops {

/// \brief The text formats unload writes and load reads.
enum class FileFormat : uint8_t { kCsv, kJson };

/// "csv" or "json"; kInvalidArgument otherwise.
Result<FileFormat> ParseFileFormat(std::string_view name);
std::string_view FileFormatName(FileFormat format);
/// ".csv" or ".json".
std::string_view FileFormatExtension(FileFormat format);

/// \brief A writer of `format` on `out` (CSV options apply to CSV; `csv.text` to both).
Result<std::unique_ptr<formats::RecordWriter>> MakeRecordWriter(FileFormat format,
                                                                formats::OutputStream& out,
                                                                data::SchemaPtr schema,
                                                                const formats::CsvOptions& csv);

/// \brief A reader of `format` from `in` into batches of `target`; `source_fields[i]` feeds
/// target field i (see formats::CsvReader and formats::JsonReader).
Result<std::unique_ptr<formats::RecordReader>> MakeRecordReader(
    FileFormat format, formats::InputStream& in, std::string source_name, data::SchemaPtr target,
    std::vector<std::string> source_fields, const formats::CsvOptions& csv,
    formats::MissingField missing);

/// \brief The text options as one line ("delimiter=',' quote='\"' ... time_zone=UTC"): what a
/// checkpoint keeps, so a resumed run writes and reads its files as the run it continues did.
std::string DescribeTextOptions(FileFormat format, const formats::CsvOptions& csv);

/// \brief The CSV header line of `schema` (with its line end), as the CSV writer quotes it.
Result<std::string> CsvHeader(const data::SchemaPtr& schema, const formats::CsvOptions& csv);

}  // namespace cqlbulk::ops
