// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/file_format.h"

#include <string_view>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/csv/csv_reader.h"
#include "cqlbulk/formats/csv/csv_writer.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/formats/json/json_reader.h"
#include "cqlbulk/formats/json/json_writer.h"

namespace cqlbulk::ops {

Result<FileFormat> ParseFileFormat(std::string_view name) {
  if (name == "csv") return FileFormat::kCsv;
  if (name == "json") return FileFormat::kJson;
  if (name == "parquet") return FileFormat::kParquet;
  if (name == "iceberg") return FileFormat::kIceberg;
  return InvalidArgument("unknown format '" + std::string(name) +
                         "' (csv, json, parquet or iceberg)");
}

std::string_view FileFormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kCsv: return "csv";
    case FileFormat::kJson: return "json";
    case FileFormat::kParquet: return "parquet";
    case FileFormat::kIceberg: return "iceberg";
  }
  return "?";
}

std::string_view FileFormatExtension(FileFormat format) {
  switch (format) {
    case FileFormat::kCsv: return ".csv";
    case FileFormat::kJson: return ".json";
    case FileFormat::kParquet:
    case FileFormat::kIceberg: return ".parquet";
  }
  return "";
}

Result<formats::parquet::CompressionCodec> ParseParquetCodec(std::string_view name) {
  using formats::parquet::CompressionCodec;
  static constexpr std::pair<std::string_view, CompressionCodec> kCodecs[] = {
      {"none", CompressionCodec::kUncompressed}, {"snappy", CompressionCodec::kSnappy},
      {"gzip", CompressionCodec::kGzip},         {"zstd", CompressionCodec::kZstd},
      {"lz4", CompressionCodec::kLz4Raw},        {"brotli", CompressionCodec::kBrotli},
  };
  for (const auto& [codec_name, codec] : kCodecs) {
    if (codec_name == name) return codec;
  }
  return InvalidArgument("Parquet pages have no '" + std::string(name) +
                         "' codec (none, snappy, gzip, zstd, lz4 or brotli)");
}

Result<std::unique_ptr<formats::RecordWriter>> MakeRecordWriter(FileFormat format,
                                                                formats::OutputStream& out,
                                                                data::SchemaPtr schema,
                                                                const formats::CsvOptions& csv) {
  if (format == FileFormat::kParquet || format == FileFormat::kIceberg) {
    return InvalidArgument("Parquet is not written as text records");
  }
  if (format == FileFormat::kCsv) {
    CQLBULK_ASSIGN_OR_RETURN(auto writer, formats::CsvWriter::Make(out, std::move(schema), csv));
    return std::unique_ptr<formats::RecordWriter>(std::move(writer));
  }
  formats::JsonOptions json;
  json.text = csv.text;
  CQLBULK_ASSIGN_OR_RETURN(auto writer, formats::JsonWriter::Make(out, std::move(schema), json));
  return std::unique_ptr<formats::RecordWriter>(std::move(writer));
}

Result<std::unique_ptr<formats::RecordReader>> MakeRecordReader(
    FileFormat format, formats::InputStream& in, std::string source_name, data::SchemaPtr target,
    std::vector<std::string> source_fields, const formats::CsvOptions& csv,
    formats::MissingField missing) {
  if (format == FileFormat::kParquet || format == FileFormat::kIceberg) {
    return InvalidArgument("Parquet is read by ParquetRecordReader, from a file");
  }
  if (format == FileFormat::kCsv) {
    CQLBULK_ASSIGN_OR_RETURN(auto reader,
                             formats::CsvReader::Make(in, std::move(source_name), std::move(target),
                                                      std::move(source_fields), csv, missing));
    return std::unique_ptr<formats::RecordReader>(std::move(reader));
  }
  CQLBULK_ASSIGN_OR_RETURN(auto reader,
                           formats::JsonReader::Make(in, std::move(source_name), std::move(target),
                                                     std::move(source_fields), csv.text, missing));
  return std::unique_ptr<formats::RecordReader>(std::move(reader));
}

std::string DescribeParquetOptions(const formats::parquet::WriterOptions& options) {
  const formats::parquet::TypeMapping& m = options.mapping;
  std::string out = "codec=" + std::string(formats::parquet::CompressionCodecName(options.codec));
  if (options.compression_level) out += " level=" + std::to_string(*options.compression_level);
  out += " decimal=" + (m.decimal_precision ? std::to_string(*m.decimal_precision) + "," +
                                                  std::to_string(m.decimal_scale)
                                            : std::string("text"));
  out += std::string(" varint=") + (m.big_integer_as_decimal ? "decimal" : "text");
  out += " time=" + std::string(formats::parquet::TimeUnitName(m.time_unit));
  out += " timestamp=" + std::string(formats::parquet::TimeUnitName(m.timestamp_unit));
  return out;
}

std::string DescribeTextOptions(FileFormat format, const formats::CsvOptions& csv) {
  std::string out = "format=" + std::string(FileFormatName(format));
  if (format == FileFormat::kCsv) {
    out += " delimiter='" + std::string(1, csv.delimiter) + "' quote='" +
           std::string(1, csv.quote) + "' escape='" + std::string(1, csv.escape) +
           "' header=" + (csv.header ? "true" : "false") + " null_string='" +
           csv.text.null_string + "'";
  }
  out += std::string(" binary=") +
         (csv.text.binary == formats::BinaryEncoding::kBase64 ? "base64" : "hex") +
         " timestamp_format='" + csv.text.timestamp_format + "' time_zone=" +
         csv.text.time_zone;
  return out;
}

Result<std::string> CsvHeader(const data::SchemaPtr& schema, const formats::CsvOptions& csv) {
  formats::CsvOptions with_header = csv;
  with_header.header = true;
  Bytes text;
  formats::MemoryOutputStream out(&text);
  CQLBULK_ASSIGN_OR_RETURN(auto writer, formats::CsvWriter::Make(out, schema, with_header));
  data::BatchBuilder empty(schema, 0);
  CQLBULK_ASSIGN_OR_RETURN(data::Batch batch, empty.Finish());
  CQLBULK_RETURN_IF_ERROR(writer->Write(batch));
  CQLBULK_RETURN_IF_ERROR(writer->Flush());
  return std::string(AsChars(text));
}

}  // namespace cqlbulk::ops
