// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "cqlbulk/core/bytes.h"

namespace cqlbulk::testing {

/// Path of a file in ../shared/testdata (golden data from a real Apache Cassandra).
std::string TestdataPath(const std::string& name);
/// Reads a whole file; fails the current test (and returns empty) if it cannot.
Bytes ReadFileBytes(const std::string& path);
/// Parses a JSON file of the golden data set.
nlohmann::json LoadTestdataJson(const std::string& name);
/// Hex to bytes for fixtures; aborts the test on bad hex.
Bytes Hex(const std::string& hex);

}  // namespace cqlbulk::testing
