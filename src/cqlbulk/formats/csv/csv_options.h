// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "cqlbulk/formats/text/text_options.h"

namespace cqlbulk::formats {

/// \brief The CSV dialect, shared by CsvWriter and CsvReader (RFC 4180 with the defaults).
struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  /// Escapes a quote inside a quoted field: doubled ("") when escape == quote, else written
  /// before each quote and each escape character (\" and \\ with escape '\\').
  char escape = '"';
  /// The first line holds the field names.
  bool header = true;
  /// How values are written as text (and which text is a null cell: text.null_string).
  TextOptions text{};
  /// What ends each record when writing ("\n" or "\r\n"); a reader accepts both.
  std::string line_end = "\n";
};

}  // namespace cqlbulk::formats
