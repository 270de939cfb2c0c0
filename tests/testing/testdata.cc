// SPDX-License-Identifier: Apache-2.0
#include "testing/testdata.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

namespace cqlbulk::testing {

std::string TestdataPath(const std::string& name) {
  return std::string(CQLBULK_TESTDATA_DIR) + "/" + name;
}

Bytes ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return {};
  }
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

nlohmann::json LoadTestdataJson(const std::string& name) {
  Bytes raw = ReadFileBytes(TestdataPath(name));
  return nlohmann::json::parse(raw.begin(), raw.end());
}

Bytes Hex(const std::string& hex) {
  auto b = FromHex(hex);
  if (!b) {
    ADD_FAILURE() << "bad hex in fixture: " << b.error().ToString();
    return {};
  }
  return *std::move(b);
}

}  // namespace cqlbulk::testing
