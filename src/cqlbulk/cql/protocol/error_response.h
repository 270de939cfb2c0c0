// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/notation.h"

namespace cqlbulk::cql {

/// \brief ERROR codes (v4 §9, v5 §8).
enum class ErrorResponseCode : int32_t {
  kServerError = 0x0000,
  kProtocolError = 0x000A,
  kBadCredentials = 0x0100,
  kUnavailable = 0x1000,
  kOverloaded = 0x1001,
  kIsBootstrapping = 0x1002,
  kTruncateError = 0x1003,
  kWriteTimeout = 0x1100,
  kReadTimeout = 0x1200,
  kReadFailure = 0x1300,
  kFunctionFailure = 0x1400,
  kWriteFailure = 0x1500,
  kCdcWriteFailure = 0x1600,
  kCasWriteUnknown = 0x1700,
  kSyntaxError = 0x2000,
  kUnauthorized = 0x2100,
  kInvalid = 0x2200,
  kConfigError = 0x2300,
  kAlreadyExists = 0x2400,
  kUnprepared = 0x2500,
};

/// "Syntax_error", "Unavailable", ... as the spec names them; "Unknown" otherwise.
std::string_view ErrorResponseCodeName(int32_t code);

/// 0x1000 Unavailable: <cl><required><alive>.
struct UnavailableInfo {
  Consistency consistency = Consistency::kOne;
  int32_t required = 0;
  int32_t alive = 0;
  friend bool operator==(const UnavailableInfo&, const UnavailableInfo&) = default;
};

/// 0x1100 Write_timeout: <cl><received><blockfor><writeType>, and in v5 <contentions>
/// when writeType is "CAS".
struct WriteTimeoutInfo {
  Consistency consistency = Consistency::kOne;
  int32_t received = 0;
  int32_t block_for = 0;
  std::string write_type;
  std::optional<uint16_t> contentions;
  friend bool operator==(const WriteTimeoutInfo&, const WriteTimeoutInfo&) = default;
};

/// 0x1200 Read_timeout: <cl><received><blockfor><data_present>.
struct ReadTimeoutInfo {
  Consistency consistency = Consistency::kOne;
  int32_t received = 0;
  int32_t block_for = 0;
  bool data_present = false;
  friend bool operator==(const ReadTimeoutInfo&, const ReadTimeoutInfo&) = default;
};

/// One <reasonmap> entry (v5): a replica's [inetaddr] and its [short] failure code.
struct FailureReason {
  Bytes endpoint;
  uint16_t code = 0;
  friend bool operator==(const FailureReason&, const FailureReason&) = default;
};

/// 0x1300 Read_failure: v5 <cl><received><blockfor><reasonmap><data_present>;
/// v4 has <numfailures> in place of <reasonmap>.
struct ReadFailureInfo {
  Consistency consistency = Consistency::kOne;
  int32_t received = 0;
  int32_t block_for = 0;
  int32_t num_failures = 0;  ///< v4; in v5 reasons.size()
  std::vector<FailureReason> reasons;  ///< v5
  bool data_present = false;
  friend bool operator==(const ReadFailureInfo&, const ReadFailureInfo&) = default;
};

/// 0x1500 Write_failure: like Read_failure, ending with <write_type>.
struct WriteFailureInfo {
  Consistency consistency = Consistency::kOne;
  int32_t received = 0;
  int32_t block_for = 0;
  int32_t num_failures = 0;            ///< v4; in v5 reasons.size()
  std::vector<FailureReason> reasons;  ///< v5
  std::string write_type;
  friend bool operator==(const WriteFailureInfo&, const WriteFailureInfo&) = default;
};

/// 0x1400 Function_failure: <keyspace><function><arg_types>.
struct FunctionFailureInfo {
  std::string keyspace;
  std::string function;
  std::vector<std::string> arg_types;
  friend bool operator==(const FunctionFailureInfo&, const FunctionFailureInfo&) = default;
};

/// 0x1700 CAS_write_unknown: <cl><received><blockfor>.
struct CasWriteUnknownInfo {
  Consistency consistency = Consistency::kOne;
  int32_t received = 0;
  int32_t block_for = 0;
  friend bool operator==(const CasWriteUnknownInfo&, const CasWriteUnknownInfo&) = default;
};

/// 0x2400 Already_exists: <ks><table> (table empty for a keyspace).
struct AlreadyExistsInfo {
  std::string keyspace;
  std::string table;
  friend bool operator==(const AlreadyExistsInfo&, const AlreadyExistsInfo&) = default;
};

/// 0x2500 Unprepared: the unknown [short bytes] id.
struct UnpreparedInfo {
  Bytes id;
  friend bool operator==(const UnpreparedInfo&, const UnpreparedInfo&) = default;
};

/// \brief ERROR (§4.2.1): <code><message> and the code's extra fields, if it has any.
///
/// `details` must match `code` (monostate for codes without extra fields); decoding picks
/// the alternative from the code. Unknown codes decode with monostate.
struct ErrorResponse {
  int32_t code = 0;
  std::string message;
  std::variant<std::monostate, UnavailableInfo, WriteTimeoutInfo, ReadTimeoutInfo,
               ReadFailureInfo, FunctionFailureInfo, WriteFailureInfo, CasWriteUnknownInfo,
               AlreadyExistsInfo, UnpreparedInfo>
      details;

  friend bool operator==(const ErrorResponse&, const ErrorResponse&) = default;
};

Result<ErrorResponse> ReadErrorResponse(ProtocolReader& in, int protocol_version);
/// Records kInvalidArgument in `out` if `details` does not fit `code`.
void WriteErrorResponse(ProtocolWriter& out, const ErrorResponse& error, int protocol_version);

/// \brief Maps an ERROR to our Error: kUnavailable, kOverloaded (also bootstrapping),
/// kTimeout (read/write timeouts), kServer otherwise; `server_code()` keeps the raw code.
Error ToError(const ErrorResponse& error);

}  // namespace cqlbulk::cql
