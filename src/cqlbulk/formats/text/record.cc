// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/text/record.h"

namespace cqlbulk::formats {

void RecordInfo::Clear() {
  lines.clear();
  records.clear();
  text.clear();
  text_end.clear();
  for (auto& column : unset) column.clear();
}

}  // namespace cqlbulk::formats
