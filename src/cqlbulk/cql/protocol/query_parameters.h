// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/notation.h"

namespace cqlbulk::cql {

/// <query_parameters> flags (v4 §4.1.4: a [byte]; v5 §4.1.4: an [int]).
inline constexpr uint32_t kQueryFlagValues = 0x0001;
inline constexpr uint32_t kQueryFlagSkipMetadata = 0x0002;
inline constexpr uint32_t kQueryFlagPageSize = 0x0004;
inline constexpr uint32_t kQueryFlagPagingState = 0x0008;
inline constexpr uint32_t kQueryFlagSerialConsistency = 0x0010;
inline constexpr uint32_t kQueryFlagDefaultTimestamp = 0x0020;
inline constexpr uint32_t kQueryFlagNamesForValues = 0x0040;
inline constexpr uint32_t kQueryFlagKeyspace = 0x0080;      ///< v5 only
inline constexpr uint32_t kQueryFlagNowInSeconds = 0x0100;  ///< v5 only

/// \brief <query_parameters> of QUERY and EXECUTE (v4/v5 §4.1.4).
///
/// The flags are derived from which fields are set: values present => Values (and
/// Names_for_values when `value_names` is not empty), and so on.
struct QueryParameters {
  Consistency consistency = Consistency::kLocalOne;
  std::vector<BoundValue> values;
  /// Instead of `values`: values serialized by the caller (a bulk writer's row). Never set
  /// by ReadQueryParameters, which reads every value into `values`.
  EncodedValues encoded_values;
  /// Empty, or one name per value (flag 0x40).
  std::vector<std::string> value_names;
  bool skip_metadata = false;
  std::optional<int32_t> page_size;
  std::optional<Bytes> paging_state;
  std::optional<Consistency> serial_consistency;
  std::optional<int64_t> timestamp;        ///< default timestamp, microseconds
  std::optional<std::string> keyspace;     ///< v5 only
  std::optional<int32_t> now_in_seconds;  ///< v5 only

  /// The flags this encodes to.
  uint32_t flags() const noexcept;
  friend bool operator==(const QueryParameters&, const QueryParameters&) = default;
};

/// Reads <query_parameters>. kProtocol if malformed, or if v4 bytes set v5-only flags.
Result<QueryParameters> ReadQueryParameters(ProtocolReader& in, int protocol_version);
/// Writes <query_parameters>; records kInvalidArgument in `out` if a v5-only field is set
/// for v4, if names and values differ in number, or if both `values` and `encoded_values`
/// are set (or names with `encoded_values`).
void WriteQueryParameters(ProtocolWriter& out, const QueryParameters& params,
                          int protocol_version);

/// Reads the flags field: a [byte] before v5, an [int] from v5 on.
Result<uint32_t> ReadFlags(ProtocolReader& in, int protocol_version);
void WriteFlags(ProtocolWriter& out, uint32_t flags, int protocol_version);

/// kProtocol unless the version is 4 or 5 (the versions this codec speaks).
Status CheckProtocolVersion(int protocol_version);

}  // namespace cqlbulk::cql
