// SPDX-License-Identifier: Apache-2.0
// The test driver of type_mapping_interop_test.py: maps columns given as CQL types to Iceberg
// (spec/type_mapping.h), writes JSON lines into a Parquet file with our writer in the mapped
// forms, and writes the Iceberg schema's JSON, so that the referees (pyarrow, PyIceberg) can
// check that the file is what the schema says.
//
//   iceberg_mapping_tool --columns 'id int; tags list<text>; a frozen<address>' --key id
//       [--udt 'address=street text, zip int'] [--time-as-time] [--decimal P,S]
//       [--varint-decimal] --input rows.jsonl --output out.parquet --schema-out schema.json
//       [--literals-out values.jsonl]
//
// --literals-out writes, per row, the Iceberg single-value form (hex) of each column of a
// primitive Iceberg type as spec/value_literal.h gives it (null for null), for the referee to
// compare with the values in the file.
// Prints one JSON line: rows, values changed, key columns that are not identifier fields.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/json/json_reader.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/iceberg/spec/json.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "cqlbulk/iceberg/spec/type_mapping.h"
#include "cqlbulk/iceberg/spec/value_literal.h"
#include "cqlbulk/ops/cql_data.h"

namespace cqlbulk {
namespace {

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "iceberg_mapping_tool: " << message << "\n";
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

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Splits at `sep` outside <...>.
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

std::pair<std::string, std::string> NameAndType(const std::string& spec) {
  size_t space = spec.find(' ');
  if (space == std::string::npos) Fail("column '" + spec + "' has no type");
  return {spec.substr(0, space), Trim(spec.substr(space + 1))};
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

int Run(std::map<std::string, std::string>& flags) {
  std::map<std::string, cql::DataTypePtr> udts;
  for (const std::string& def : Split(flags["udt"], '/')) {
    size_t eq = def.find('=');
    std::vector<std::string> names;
    std::vector<cql::DataTypePtr> types;
    for (const std::string& f : Split(def.substr(eq + 1), ',')) {
      auto [name, type] = NameAndType(f);
      names.push_back(name);
      types.push_back(Check(cql::ParseCqlType(type), "udt field type"));
    }
    udts[def.substr(0, eq)] = cql::DataType::Udt("ks", def.substr(0, eq), names, types);
  }
  cql::UdtResolver resolver = [&](std::string_view, std::string_view name) {
    auto it = udts.find(std::string(name));
    return it == udts.end() ? nullptr : it->second;
  };
  data::Schema schema;
  std::vector<std::string> names;
  for (const std::string& spec : Split(flags["columns"], ';')) {
    auto [name, type_text] = NameAndType(spec);
    cql::DataTypePtr type = Check(cql::ParseCqlType(type_text, resolver), "column type");
    schema.fields.push_back(data::Field{name, Check(ops::LogicalTypeOf(*type), "logical type")});
    names.push_back(name);
  }
  iceberg::TypeMappingOptions options;
  options.time_as_time = flags.count("time-as-time") > 0;
  options.varint_as_decimal = flags.count("varint-decimal") > 0;
  if (flags.count("decimal")) {
    std::vector<std::string> ps = Split(flags["decimal"], ',');
    options.decimal_precision = std::stoi(ps.at(0));
    options.decimal_scale = std::stoi(ps.at(1));
  }
  std::vector<std::string> key = Split(flags["key"], ',');
  iceberg::IcebergMapping mapping = Check(iceberg::MapToIceberg(schema, key, options), "mapping");
  std::ofstream(flags["schema-out"]) << iceberg::SchemaToJson(mapping.schema).dump(2) << "\n";

  auto schema_ptr = std::make_shared<const data::Schema>(mapping.data_schema);
  formats::parquet::WriterOptions writer_options;
  writer_options.mapping = mapping.parquet;
  auto in = Check(formats::FileInputStream::Open(flags["input"]), "input");
  auto reader = Check(formats::JsonReader::Make(*in, flags["input"], schema_ptr, names,
                                                formats::TextOptions{},
                                                formats::MissingField::kNull),
                      "reader");
  auto out = Check(formats::FileOutputStream::Open(flags["output"]), "output");
  auto writer = Check(
      formats::parquet::ParquetWriter::Make(schema_ptr, std::move(out), writer_options), "writer");
  data::BatchBuilder builder(schema_ptr, 1024);
  formats::RecordInfo info;
  std::vector<formats::RecordError> errors;
  std::ofstream literals;
  if (flags.count("literals-out")) literals.open(flags["literals-out"]);
  while (true) {
    size_t n = Check(reader->Read(builder, 1024, info, errors), "read");
    if (!errors.empty()) Fail("bad input record: " + errors[0].reason);
    if (n == 0) break;
    data::Batch batch = Check(builder.Finish(), "batch");
    Check(writer->Write(batch), "write");
    for (size_t row = 0; literals.is_open() && row < batch.num_rows(); ++row) {
      nlohmann::json line = nlohmann::json::object();
      for (size_t i = 0; i < batch.num_columns(); ++i) {
        const iceberg::Type& type = *mapping.schema.fields[i].type;
        if (!type.is_primitive()) continue;
        iceberg::Literal value =
            Check(iceberg::LiteralOfValue(batch.column(i), row, type), "literal");
        line[names[i]] = value.is_null() ? nlohmann::json()
                                         : nlohmann::json(Hex(Check(iceberg::ToBytes(type, value),
                                                                    "single-value form")));
      }
      literals << line.dump() << "\n";
    }
  }
  Check(writer->Close(), "close");
  nlohmann::json summary = {{"rows", writer->rows_written()},
                            {"values_changed", writer->values_changed()},
                            {"key_columns_not_identifiers", mapping.key_columns_not_identifiers}};
  std::cout << summary.dump() << "\n";
  return 0;
}

}  // namespace
}  // namespace cqlbulk

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) cqlbulk::Fail("unexpected argument " + arg);
    bool has_value = i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0;
    flags[arg.substr(2)] = has_value ? argv[++i] : "";
  }
  for (const char* required : {"columns", "input", "output", "schema-out"}) {
    if (!flags.count(required)) cqlbulk::Fail(std::string("--") + required + " is required");
  }
  return cqlbulk::Run(flags);
}
