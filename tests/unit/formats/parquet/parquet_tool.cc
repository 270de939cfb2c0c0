// SPDX-License-Identifier: Apache-2.0
// The test driver of parquet_interop_test.py: converts JSON lines to Parquet with our writer,
// for columns given as CQL types, so the referees (pyarrow, DuckDB, hyparquet) can read what
// we write.
//
//   parquet_tool write --columns 'id int not null; tags list<text>; a frozen<address>'
//       [--udt 'address=street text, zip int'] --input rows.jsonl --output out.parquet
//       [--codec snappy|gzip|zstd|lz4_raw|brotli|none] [--level N] [--page-v2]
//       [--no-dictionary] [--page-bytes N] [--dictionary-bytes N] [--row-group-rows N]
//       [--batch-rows N] [--decimal P,S] [--varint-decimal] [--micros]
//
// Prints one JSON line: rows, row groups, values changed.
//
//   parquet_tool read FILE [--columns a,b] [--batch-rows N]
//
// Prints each row our reader reads as a JSON object in a canonical form that
// parquet_interop_test.py also makes from pyarrow's values: integers as numbers, floats as
// numbers of 17 digits (NaN and infinities as strings), bytes and uuids as hex, dates as days,
// times as nanoseconds, timestamps as milliseconds, decimals as "unscaled:scale", big integers
// as strings, lists as arrays, maps as arrays of [key, value], structs as objects.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/json/json_reader.h"
#include "cqlbulk/formats/parquet/reader.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/formats/text/scalar_text.h"
#include "cqlbulk/ops/cql_data.h"

namespace cqlbulk {
namespace {

using formats::parquet::CompressionCodec;

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "parquet_tool: " << message << "\n";
  std::exit(2);
}

template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.has_value()) Fail(std::string(what) + ": " + r.error().ToString());
  return std::move(*r);
}

void Check(Status s, const char* what) {
  if (!s.has_value()) Fail(std::string(what) + ": " + s.error().ToString());
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t begin = 0;
  int depth = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] == '<') ++depth;
    if (i < s.size() && s[i] == '>') --depth;
    if (i == s.size() || (s[i] == sep && depth == 0)) {
      std::string part = Trim(s.substr(begin, i - begin));
      if (!part.empty()) out.push_back(part);
      begin = i + 1;
    }
  }
  return out;
}

/// "name type [not null]" → (name, type text, nullable).
std::tuple<std::string, std::string, bool> ParseColumn(std::string spec) {
  bool nullable = true;
  const std::string not_null = " not null";
  if (spec.size() > not_null.size() &&
      spec.compare(spec.size() - not_null.size(), not_null.size(), not_null) == 0) {
    nullable = false;
    spec = Trim(spec.substr(0, spec.size() - not_null.size()));
  }
  size_t space = spec.find(' ');
  if (space == std::string::npos) Fail("column '" + spec + "' has no type");
  return {spec.substr(0, space), Trim(spec.substr(space + 1)), nullable};
}

CompressionCodec ParseCodec(const std::string& name) {
  static const std::map<std::string, CompressionCodec> codecs = {
      {"none", CompressionCodec::kUncompressed}, {"snappy", CompressionCodec::kSnappy},
      {"gzip", CompressionCodec::kGzip},         {"zstd", CompressionCodec::kZstd},
      {"lz4_raw", CompressionCodec::kLz4Raw},    {"brotli", CompressionCodec::kBrotli}};
  auto it = codecs.find(name);
  if (it == codecs.end()) Fail("unknown codec " + name);
  return it->second;
}

int Write(std::map<std::string, std::string>& flags) {
  std::map<std::string, cql::DataTypePtr> udts;
  if (flags.count("udt")) {
    for (const std::string& def : Split(flags["udt"], '/')) {
      size_t eq = def.find('=');
      std::vector<std::string> names;
      std::vector<cql::DataTypePtr> types;
      for (const std::string& f : Split(def.substr(eq + 1), ',')) {
        auto [name, type, nullable] = ParseColumn(f);
        names.push_back(name);
        types.push_back(Check(cql::ParseCqlType(type), "udt field type"));
      }
      std::string udt_name = def.substr(0, eq);
      udts[udt_name] = cql::DataType::Udt("ks", udt_name, names, types);
    }
  }
  cql::UdtResolver resolver = [&](std::string_view, std::string_view name) {
    auto it = udts.find(std::string(name));
    return it == udts.end() ? nullptr : it->second;
  };
  data::Schema schema;
  std::vector<std::string> names;
  for (const std::string& spec : Split(flags["columns"], ';')) {
    auto [name, type_text, nullable] = ParseColumn(spec);
    cql::DataTypePtr type = Check(cql::ParseCqlType(type_text, resolver), "column type");
    data::LogicalTypePtr logical = Check(ops::LogicalTypeOf(*type), "logical type");
    schema.fields.push_back(data::Field{name, logical, nullable});
    names.push_back(name);
  }
  auto schema_ptr = std::make_shared<const data::Schema>(schema);

  formats::parquet::WriterOptions options;
  if (flags.count("codec")) options.codec = ParseCodec(flags["codec"]);
  if (flags.count("level")) options.compression_level = std::stoi(flags["level"]);
  options.data_page_v2 = flags.count("page-v2") > 0;
  options.dictionary = flags.count("no-dictionary") == 0;
  if (flags.count("page-bytes")) options.data_page_bytes = std::stoul(flags["page-bytes"]);
  if (flags.count("dictionary-bytes")) {
    options.dictionary_page_bytes = std::stoul(flags["dictionary-bytes"]);
  }
  if (flags.count("row-group-rows")) options.row_group_rows = std::stoul(flags["row-group-rows"]);
  if (flags.count("decimal")) {
    std::vector<std::string> ps = Split(flags["decimal"], ',');
    options.mapping.decimal_precision = std::stoi(ps.at(0));
    options.mapping.decimal_scale = std::stoi(ps.at(1));
  }
  options.mapping.big_integer_as_decimal = flags.count("varint-decimal") > 0;
  if (flags.count("micros")) {
    options.mapping.time_unit = formats::parquet::TimeUnit::kMicros;
    options.mapping.timestamp_unit = formats::parquet::TimeUnit::kMicros;
  }
  options.key_value_metadata.push_back({"cqlbulk.test", std::string("parquet_tool")});
  size_t batch_rows = flags.count("batch-rows") ? std::stoul(flags["batch-rows"]) : 4096;

  auto in = Check(formats::FileInputStream::Open(flags["input"]), "input");
  auto reader = Check(formats::JsonReader::Make(*in, flags["input"], schema_ptr, names,
                                                formats::TextOptions{},
                                                formats::MissingField::kNull),
                      "reader");
  auto out = Check(formats::FileOutputStream::Open(flags["output"]), "output");
  auto writer = Check(formats::parquet::ParquetWriter::Make(schema_ptr, std::move(out), options),
                      "writer");
  data::BatchBuilder builder(schema_ptr, batch_rows);
  formats::RecordInfo info;
  std::vector<formats::RecordError> errors;
  while (true) {
    size_t n = Check(reader->Read(builder, batch_rows, info, errors), "read");
    if (!errors.empty()) Fail("bad input record: " + errors[0].reason);
    if (n == 0) break;
    data::Batch batch = Check(builder.Finish(), "batch");
    Check(writer->Write(batch), "write");
  }
  Check(writer->Close(), "close");
  std::cout << "{\"rows\":" << writer->rows_written()
            << ",\"row_groups\":" << writer->metadata()->row_groups.size()
            << ",\"values_changed\":" << writer->values_changed() << "}\n";
  return 0;
}

std::string Hex(BytesView b) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (uint8_t c : b) {
    s += digits[c >> 4];
    s += digits[c & 15];
  }
  return s;
}

std::string BigIntegerText(BytesView b) {
  std::string s(formats::BigIntegerTextBound(b.size()), '\0');
  s.resize(static_cast<size_t>(formats::WriteBigInteger(s.data(), b) - s.data()));
  return s;
}

nlohmann::json Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

nlohmann::json Canonical(const data::Column& c, size_t row) {
  if (c.IsNull(row)) return nullptr;
  switch (c.kind()) {
    case data::TypeKind::kBoolean: return c.Boolean(row);
    case data::TypeKind::kInt8: return c.Int8(row);
    case data::TypeKind::kInt16: return c.Int16(row);
    case data::TypeKind::kInt32:
    case data::TypeKind::kDate: return c.Int32(row);
    case data::TypeKind::kInt64:
    case data::TypeKind::kTime:
    case data::TypeKind::kTimestamp: return c.Int64(row);
    case data::TypeKind::kFloat32: return Number(c.Float32(row));
    case data::TypeKind::kFloat64: return Number(c.Float64(row));
    case data::TypeKind::kString: return std::string(c.String(row));
    case data::TypeKind::kBinary:
    case data::TypeKind::kInet: return Hex(c.Bytes(row));
    case data::TypeKind::kUuid: return Hex(c.UuidBytes(row));
    case data::TypeKind::kBigInteger: return BigIntegerText(c.Bytes(row));
    case data::TypeKind::kDecimal:
      return BigIntegerText(c.DecimalUnscaled(row)) + ":" + std::to_string(c.DecimalScale(row));
    case data::TypeKind::kDuration: {
      data::DurationValue d = c.Duration(row);
      return nlohmann::json{{"months", d.months}, {"days", d.days}, {"nanoseconds", d.nanos}};
    }
    case data::TypeKind::kList:
    case data::TypeKind::kSet:
    case data::TypeKind::kVector: {
      nlohmann::json a = nlohmann::json::array();
      auto [b, e] = c.ElementRange(row);
      for (size_t i = b; i < e; ++i) a.push_back(Canonical(c.child(), i));
      return a;
    }
    case data::TypeKind::kMap: {
      nlohmann::json a = nlohmann::json::array();
      auto [b, e] = c.ElementRange(row);
      for (size_t i = b; i < e; ++i) {
        a.push_back(nlohmann::json::array({Canonical(c.map_keys(), i), Canonical(c.map_values(), i)}));
      }
      return a;
    }
    case data::TypeKind::kStruct: {
      nlohmann::json o = nlohmann::json::object();
      for (size_t i = 0; i < c.num_children(); ++i) {
        o[c.type()->fields()[i].name] = Canonical(c.child(i), row);
      }
      return o;
    }
  }
  return "?";
}

int Read(const std::string& path, std::map<std::string, std::string>& flags) {
  formats::parquet::ReaderOptions options;
  if (flags.count("columns")) options.columns = Split(flags["columns"], ',');
  if (flags.count("batch-rows")) options.batch_rows = std::stoul(flags["batch-rows"]);
  auto file = Check(formats::RandomAccessFile::Open(path), "open");
  auto reader = Check(formats::parquet::ParquetReader::Open(std::move(file), options), "reader");
  while (true) {
    std::optional<data::Batch> batch = Check(reader->Next(), "read");
    if (!batch) break;
    for (size_t row = 0; row < batch->num_rows(); ++row) {
      nlohmann::json o = nlohmann::json::object();
      for (size_t i = 0; i < batch->num_columns(); ++i) {
        o[batch->schema().fields[i].name] = Canonical(batch->column(i), row);
      }
      std::cout << o.dump() << "\n";
    }
  }
  return 0;
}

}  // namespace
}  // namespace cqlbulk

int main(int argc, char** argv) {
  if (argc < 2) cqlbulk::Fail("usage: parquet_tool write --columns ... --input F --output F");
  std::string command = argv[1];
  std::map<std::string, std::string> flags;
  std::string file;
  int first = 2;
  if (command == "read" && argc > 2) {
    file = argv[2];
    first = 3;
  }
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) cqlbulk::Fail("unexpected argument " + arg);
    std::string name = arg.substr(2);
    bool has_value = i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0;
    flags[name] = has_value ? argv[++i] : "";
  }
  if (command == "write") return cqlbulk::Write(flags);
  if (command == "read") return cqlbulk::Read(file, flags);
  cqlbulk::Fail("unknown command " + command);
}
