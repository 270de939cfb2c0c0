// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace cqlbulk {

/// \brief True for the lower-case words that cannot stand unquoted as a CQL identifier:
/// Cassandra 4.0's reserved keywords, words earlier versions reserved, and true/false. Meant
/// for quoting, where a word too many only adds harmless quotes.
bool IsReservedCqlWord(std::string_view word);

/// \brief `name` as CQL text: unchanged when it reads back the same unquoted (a lower-case
/// letter, then lower-case letters, digits or '_', and not reserved); otherwise in double
/// quotes with embedded double quotes doubled. Every module that writes CQL uses this one.
std::string QuoteCqlIdentifier(std::string_view name);

}  // namespace cqlbulk
