// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/cql/types/data_type.h"

namespace cqlbulk::sim {

/// \brief Orders two serialized values of `type` as Cassandra's comparator does (see
/// cql::CompareValues): <0, 0 or >0. Fast paths for fixed-size numbers and byte-ordered types;
/// the others are decoded. A value that does not decode orders bytewise.
int CompareSerialized(const cql::DataType& type, BytesView a, BytesView b);

/// Unsigned lexicographic order of bytes, shorter first on a common prefix.
int CompareBytes(BytesView a, BytesView b);

}  // namespace cqlbulk::sim
