// SPDX-License-Identifier: Apache-2.0
// Shared by the Avro tests: parsing a schema that must be valid, and Iceberg's manifest and
// manifest list schemas as Iceberg writes them (format/spec.md, "Manifests", "Manifest Lists"
// and Appendix A: field ids on fields, element ids on lists, maps as arrays of key/value
// records with logicalType "map", records named r<field id> and k<key id>_v<value id>).
#pragma once

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "cqlbulk/formats/avro/schema.h"

namespace cqlbulk::formats::avro {

inline Schema ParseOrDie(std::string_view json) {
  Result<Schema> s = Schema::Parse(json);
  if (!s.has_value()) {
    std::cerr << "bad test schema: " << s.error().ToString() << "\n" << json << "\n";
    std::abort();
  }
  return std::move(*s);
}

// Iceberg's manifest entry (v2, a table partitioned by bucket(16, id)) and manifest list
// entry schemas, from iceberg_manifest_entry.json and iceberg_manifest_file.json beside this
// file (avro_interop_test.py reads them too).
inline std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(CQLBULK_AVRO_TEST_DIR) + "/" + name, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << CQLBULK_AVRO_TEST_DIR << "/" << name << "\n";
    std::abort();
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline const std::string& IcebergManifestEntrySchema() {
  static const std::string json = ReadTestFile("iceberg_manifest_entry.json");
  return json;
}

inline const std::string& IcebergManifestFileSchema() {
  static const std::string json = ReadTestFile("iceberg_manifest_file.json");
  return json;
}

}  // namespace cqlbulk::formats::avro
