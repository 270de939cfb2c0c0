// SPDX-License-Identifier: Apache-2.0
// FileMetaData and PageHeader as JSON and back, for the interop tests (parquet_format_tool and
// interop_test.py). Enums are their parquet.thrift names (an int when unknown); binary values
// (statistics) are lowercase hex; optional fields are absent when unset. Throws (nlohmann) on
// JSON that does not fit: this is test code.
#pragma once

#include <nlohmann/json.hpp>

#include "cqlbulk/formats/parquet/format/metadata.h"

namespace cqlbulk::formats::parquet::testing {

nlohmann::json ToJson(const FileMetaData& metadata);
nlohmann::json ToJson(const PageHeader& header);
FileMetaData FileMetaDataFromJson(const nlohmann::json& json);

}  // namespace cqlbulk::formats::parquet::testing
