// SPDX-License-Identifier: Apache-2.0
// Commits with iceberg/table only, for commit_interop_test.py: rows (JSON lines {"id": long,
// "day": days since 1970 or null, "name": string or null}) written as Parquet data files by our
// writer, one per day, with their metrics from the footers, then committed to table NS.TABLE of
// the SQL catalog as an append or an overwrite (the table created with that commit when it does
// not exist, at <warehouse>/<ns>.db/<table>, partitioned by day(day)). Prints
// {"snapshot_id", "attempts", "created", "metadata", "files"}.
//
//   iceberg_table_tool append|overwrite CATALOG_URI WAREHOUSE NS.TABLE ROWS.jsonl
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/iceberg/catalog/catalog.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/metadata/metrics.h"
#include "cqlbulk/iceberg/table/commit.h"
#include "cqlbulk/iceberg/table/table.h"

namespace {

using namespace cqlbulk;           // NOLINT: a test tool
using namespace cqlbulk::iceberg;  // NOLINT
using Json = nlohmann::json;

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "iceberg_table_tool: " << message << "\n";
  std::exit(1);
}

template <typename T>
T Check(Result<T> result, const std::string& what) {
  if (!result.has_value()) Fail(what + ": " + result.error().ToString());
  return std::move(*result);
}

void Check(Status status, const std::string& what) {
  if (!status.has_value()) Fail(what + ": " + status.error().ToString());
}

Schema TableSchema() {
  Schema schema;
  schema.fields = {NestedField::Required(1, "id", Type::Long()),
                   NestedField::Optional(2, "day", Type::Date()),
                   NestedField::Optional(3, "name", Type::String())};
  schema.identifier_field_ids = {1};
  return schema;
}

data::SchemaPtr DataSchema() {
  auto schema = std::make_shared<data::Schema>();
  schema->fields = {{"id", data::LogicalType::Int64(), false, 1},
                    {"day", data::LogicalType::Date(), true, 2},
                    {"name", data::LogicalType::String(), true, 3}};
  return schema;
}

PartitionSpec Spec() {
  PartitionSpec spec;
  spec.fields = {{2, 1000, "day_day", {Transform::Kind::kDay, 0}}};
  return spec;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    Fail("usage: iceberg_table_tool append|overwrite CATALOG_URI WAREHOUSE NS.TABLE ROWS.jsonl");
  }
  const std::string operation = argv[1];
  auto catalog = Check(OpenCatalog(argv[2], "default"), "open catalog");
  const TableIdentifier id = Check(TableIdentifier::Parse(argv[4]), "table");
  std::string location = DefaultTableLocation(argv[3], id);
  if (auto table = LoadTable(*catalog, id); table.has_value()) location = table->metadata.location;

  std::map<int64_t, std::vector<Json>> by_day;  // INT64_MIN: null day
  std::ifstream in(argv[5]);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    Json row = Json::parse(line);
    by_day[row["day"].is_null() ? INT64_MIN : row["day"].get<int64_t>()].push_back(row);
  }
  const std::string prefix = NewUuid();
  std::vector<DataFile> files;
  Json paths = Json::array();
  int n = 0;
  for (const auto& [day, rows] : by_day) {
    std::string folder = day == INT64_MIN ? "day_day=null" : "day_day=" + std::to_string(day);
    std::string dir = JoinLocation(location, "data/" + folder);
    std::filesystem::create_directories(Check(LocalPath(dir), "path"));
    std::string file_location = JoinLocation(dir, prefix + "-" + std::to_string(n++) + ".parquet");
    auto sink = Check(formats::FileOutputStream::Open(Check(LocalPath(file_location), "path")),
                      "open data file");
    auto writer = Check(formats::parquet::ParquetWriter::Make(DataSchema(), std::move(sink)),
                        "writer");
    data::BatchBuilder builder(DataSchema(), rows.size());
    for (const Json& row : rows) {
      builder.column(0).AppendInt64(row["id"].get<int64_t>());
      if (day == INT64_MIN) {
        builder.column(1).AppendNull();
      } else {
        builder.column(1).AppendDate(static_cast<int32_t>(day));
      }
      if (row["name"].is_null()) {
        builder.column(2).AppendNull();
      } else {
        builder.column(2).AppendString(row["name"].get<std::string>());
      }
    }
    Check(writer->Write(Check(builder.Finish(), "batch")), "write");
    Check(writer->Close(), "close");
    DataFile file = Check(ParquetMetrics(*writer->metadata(), TableSchema()), "metrics");
    file.file_path = file_location;
    file.file_size_in_bytes = writer->bytes_written();
    file.partition = {day == INT64_MIN ? Literal::Null() : Literal::Int(static_cast<int32_t>(day))};
    files.push_back(std::move(file));
    paths.push_back(file_location);
  }
  CommitOptions options;
  options.operation =
      operation == "overwrite" ? CommitOperation::kOverwrite : CommitOperation::kAppend;
  options.create = NewTableOptions{.location = location, .schema = TableSchema(), .spec = Spec(),
                                   .properties = {}};
  options.summary_properties = {{"cqlbulk.tool", "iceberg_table_tool"}};
  auto committed = Check(CommitFiles(*catalog, id, files, TableSchema(), Spec(), options),
                         "commit");
  std::cout << Json{{"snapshot_id", committed.snapshot_id},
                    {"attempts", committed.attempts},
                    {"created", committed.created},
                    {"metadata", committed.table.metadata_location},
                    {"files", paths}}
                   .dump()
            << "\n";
  return 0;
}
