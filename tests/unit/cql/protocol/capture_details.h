// SPDX-License-Identifier: Apache-2.0
// Test helper: renders our decoded messages in the vocabulary of the index files' "details",
// so a capture test can compare the two objects field by field.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "cqlbulk/cql/protocol/messages.h"

namespace cqlbulk::cql::testing {

/// The "details" object the index would hold for this request.
nlohmann::json RequestDetails(const RequestFrame& frame);
/// The "details" object the index would hold for this response.
nlohmann::json ResponseDetails(const ResponseFrame& frame);

/// A value as the index prints it: hex, "null", "unset", or for values over 256 bytes the
/// hex of the first 64 bytes + "...(N bytes)".
std::string ValueDetail(const BoundValue& value);

/// "CREATED TABLE golden.t", as the index descriptions print schema changes.
std::string SchemaChangeText(const SchemaChange& change);

}  // namespace cqlbulk::cql::testing
