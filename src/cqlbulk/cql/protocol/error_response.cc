// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/error_response.h"

#include <string>
#include <type_traits>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {
namespace {

constexpr std::string_view kCasWriteType = "CAS";

struct ClReceivedBlockFor {
  Consistency consistency;
  int32_t received;
  int32_t block_for;
};

Result<ClReceivedBlockFor> ReadClReceivedBlockFor(ProtocolReader& in) {
  ClReceivedBlockFor v{};
  CQLBULK_ASSIGN_OR_RETURN(v.consistency, in.ReadConsistency());
  CQLBULK_ASSIGN_OR_RETURN(v.received, in.ReadI32());
  CQLBULK_ASSIGN_OR_RETURN(v.block_for, in.ReadI32());
  return v;
}

void WriteClReceivedBlockFor(ProtocolWriter& out, Consistency cl, int32_t received,
                             int32_t block_for) {
  out.WriteConsistency(cl);
  out.WriteI32(received);
  out.WriteI32(block_for);
}

/// v5: <reasonmap> = [int] n, then n × <endpoint [inetaddr]><failurecode [short]>.
/// v4: <numfailures> [int].
struct Failures {
  int32_t num_failures = 0;
  std::vector<FailureReason> reasons;
};

Result<Failures> ReadFailures(ProtocolReader& in, int version) {
  Failures f;
  CQLBULK_ASSIGN_OR_RETURN(int32_t n, in.ReadI32());
  if (n < 0) {
    return in.Malformed("negative failure count " + std::to_string(n));
  }
  f.num_failures = n;
  if (version < 5) {
    return f;
  }
  // Each entry takes at least 1 + 4 + 2 bytes.
  if (static_cast<size_t>(n) > in.remaining() / 7) {
    return in.Malformed(std::to_string(n) + " failure reasons cannot fit in the body");
  }
  f.reasons.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) {
    FailureReason r;
    CQLBULK_ASSIGN_OR_RETURN(r.endpoint, in.ReadInetAddr());
    CQLBULK_ASSIGN_OR_RETURN(r.code, in.ReadU16());
    f.reasons.push_back(std::move(r));
  }
  return f;
}

void WriteFailures(ProtocolWriter& out, int version, int32_t num_failures,
                   const std::vector<FailureReason>& reasons) {
  if (version < 5) {
    out.WriteI32(reasons.empty() ? num_failures : static_cast<int32_t>(reasons.size()));
    return;
  }
  out.WriteI32(static_cast<int32_t>(reasons.size()));
  for (const FailureReason& r : reasons) {
    out.WriteInetAddr(r.endpoint);
    out.WriteU16(r.code);
  }
}

Result<std::string> ReadStdString(ProtocolReader& in) {
  CQLBULK_ASSIGN_OR_RETURN(std::string_view s, in.ReadString());
  return std::string(s);
}

/// The alternative of ErrorResponse::details that a code carries (index into the variant).
size_t DetailsIndexFor(int32_t code) {
  switch (static_cast<ErrorResponseCode>(code)) {
    case ErrorResponseCode::kUnavailable:
      return 1;
    case ErrorResponseCode::kWriteTimeout:
      return 2;
    case ErrorResponseCode::kReadTimeout:
      return 3;
    case ErrorResponseCode::kReadFailure:
      return 4;
    case ErrorResponseCode::kFunctionFailure:
      return 5;
    case ErrorResponseCode::kWriteFailure:
      return 6;
    case ErrorResponseCode::kCasWriteUnknown:
      return 7;
    case ErrorResponseCode::kAlreadyExists:
      return 8;
    case ErrorResponseCode::kUnprepared:
      return 9;
    default:
      return 0;
  }
}

}  // namespace

std::string_view ErrorResponseCodeName(int32_t code) {
  switch (static_cast<ErrorResponseCode>(code)) {
    case ErrorResponseCode::kServerError:
      return "Server_error";
    case ErrorResponseCode::kProtocolError:
      return "Protocol_error";
    case ErrorResponseCode::kBadCredentials:
      return "Bad_credentials";
    case ErrorResponseCode::kUnavailable:
      return "Unavailable";
    case ErrorResponseCode::kOverloaded:
      return "Overloaded";
    case ErrorResponseCode::kIsBootstrapping:
      return "Is_bootstrapping";
    case ErrorResponseCode::kTruncateError:
      return "Truncate_error";
    case ErrorResponseCode::kWriteTimeout:
      return "Write_timeout";
    case ErrorResponseCode::kReadTimeout:
      return "Read_timeout";
    case ErrorResponseCode::kReadFailure:
      return "Read_failure";
    case ErrorResponseCode::kFunctionFailure:
      return "Function_failure";
    case ErrorResponseCode::kWriteFailure:
      return "Write_failure";
    case ErrorResponseCode::kCdcWriteFailure:
      return "CDC_write_failure";
    case ErrorResponseCode::kCasWriteUnknown:
      return "CAS_write_unknown";
    case ErrorResponseCode::kSyntaxError:
      return "Syntax_error";
    case ErrorResponseCode::kUnauthorized:
      return "Unauthorized";
    case ErrorResponseCode::kInvalid:
      return "Invalid";
    case ErrorResponseCode::kConfigError:
      return "Config_error";
    case ErrorResponseCode::kAlreadyExists:
      return "Already_exists";
    case ErrorResponseCode::kUnprepared:
      return "Unprepared";
  }
  return "Unknown";
}

Result<ErrorResponse> ReadErrorResponse(ProtocolReader& in, int version) {
  ErrorResponse e;
  CQLBULK_ASSIGN_OR_RETURN(e.code, in.ReadI32());
  CQLBULK_ASSIGN_OR_RETURN(e.message, ReadStdString(in));
  switch (static_cast<ErrorResponseCode>(e.code)) {
    case ErrorResponseCode::kUnavailable: {
      UnavailableInfo u;
      CQLBULK_ASSIGN_OR_RETURN(u.consistency, in.ReadConsistency());
      CQLBULK_ASSIGN_OR_RETURN(u.required, in.ReadI32());
      CQLBULK_ASSIGN_OR_RETURN(u.alive, in.ReadI32());
      e.details = u;
      break;
    }
    case ErrorResponseCode::kWriteTimeout: {
      WriteTimeoutInfo w;
      CQLBULK_ASSIGN_OR_RETURN(ClReceivedBlockFor c, ReadClReceivedBlockFor(in));
      w.consistency = c.consistency;
      w.received = c.received;
      w.block_for = c.block_for;
      CQLBULK_ASSIGN_OR_RETURN(w.write_type, ReadStdString(in));
      // v5 §8: "<contentions> ... only presents when the <writeType> is CAS".
      if (version >= 5 && w.write_type == kCasWriteType) {
        CQLBULK_ASSIGN_OR_RETURN(w.contentions, in.ReadU16());
      }
      e.details = std::move(w);
      break;
    }
    case ErrorResponseCode::kReadTimeout: {
      ReadTimeoutInfo r;
      CQLBULK_ASSIGN_OR_RETURN(ClReceivedBlockFor c, ReadClReceivedBlockFor(in));
      r.consistency = c.consistency;
      r.received = c.received;
      r.block_for = c.block_for;
      CQLBULK_ASSIGN_OR_RETURN(r.data_present, in.ReadBoolByte());
      e.details = r;
      break;
    }
    case ErrorResponseCode::kReadFailure: {
      ReadFailureInfo r;
      CQLBULK_ASSIGN_OR_RETURN(ClReceivedBlockFor c, ReadClReceivedBlockFor(in));
      r.consistency = c.consistency;
      r.received = c.received;
      r.block_for = c.block_for;
      CQLBULK_ASSIGN_OR_RETURN(Failures f, ReadFailures(in, version));
      r.num_failures = f.num_failures;
      r.reasons = std::move(f.reasons);
      CQLBULK_ASSIGN_OR_RETURN(r.data_present, in.ReadBoolByte());
      e.details = std::move(r);
      break;
    }
    case ErrorResponseCode::kFunctionFailure: {
      FunctionFailureInfo f;
      CQLBULK_ASSIGN_OR_RETURN(f.keyspace, ReadStdString(in));
      CQLBULK_ASSIGN_OR_RETURN(f.function, ReadStdString(in));
      CQLBULK_ASSIGN_OR_RETURN(f.arg_types, in.ReadStringList());
      e.details = std::move(f);
      break;
    }
    case ErrorResponseCode::kWriteFailure: {
      WriteFailureInfo w;
      CQLBULK_ASSIGN_OR_RETURN(ClReceivedBlockFor c, ReadClReceivedBlockFor(in));
      w.consistency = c.consistency;
      w.received = c.received;
      w.block_for = c.block_for;
      CQLBULK_ASSIGN_OR_RETURN(Failures f, ReadFailures(in, version));
      w.num_failures = f.num_failures;
      w.reasons = std::move(f.reasons);
      CQLBULK_ASSIGN_OR_RETURN(w.write_type, ReadStdString(in));
      e.details = std::move(w);
      break;
    }
    case ErrorResponseCode::kCasWriteUnknown: {
      CQLBULK_ASSIGN_OR_RETURN(ClReceivedBlockFor c, ReadClReceivedBlockFor(in));
      e.details = CasWriteUnknownInfo{c.consistency, c.received, c.block_for};
      break;
    }
    case ErrorResponseCode::kAlreadyExists: {
      AlreadyExistsInfo a;
      CQLBULK_ASSIGN_OR_RETURN(a.keyspace, ReadStdString(in));
      CQLBULK_ASSIGN_OR_RETURN(a.table, ReadStdString(in));
      e.details = std::move(a);
      break;
    }
    case ErrorResponseCode::kUnprepared: {
      CQLBULK_ASSIGN_OR_RETURN(BytesView id, in.ReadShortBytes());
      e.details = UnpreparedInfo{Bytes(id.begin(), id.end())};
      break;
    }
    default:
      break;  // no extra fields (0x1600 CDC_write_failure has none either)
  }
  return e;
}

void WriteErrorResponse(ProtocolWriter& out, const ErrorResponse& e, int version) {
  if (e.details.index() != DetailsIndexFor(e.code)) {
    out.Fail(InvalidArgument("ERROR details do not match code " + std::to_string(e.code)));
    return;
  }
  out.WriteI32(e.code);
  out.WriteString(e.message);
  std::visit(
      [&](const auto& d) {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, UnavailableInfo>) {
          out.WriteConsistency(d.consistency);
          out.WriteI32(d.required);
          out.WriteI32(d.alive);
        } else if constexpr (std::is_same_v<T, WriteTimeoutInfo>) {
          WriteClReceivedBlockFor(out, d.consistency, d.received, d.block_for);
          out.WriteString(d.write_type);
          if (version >= 5 && d.write_type == kCasWriteType) {
            out.WriteU16(d.contentions.value_or(0));
          }
        } else if constexpr (std::is_same_v<T, ReadTimeoutInfo>) {
          WriteClReceivedBlockFor(out, d.consistency, d.received, d.block_for);
          out.WriteU8(d.data_present ? 1 : 0);
        } else if constexpr (std::is_same_v<T, ReadFailureInfo>) {
          WriteClReceivedBlockFor(out, d.consistency, d.received, d.block_for);
          WriteFailures(out, version, d.num_failures, d.reasons);
          out.WriteU8(d.data_present ? 1 : 0);
        } else if constexpr (std::is_same_v<T, FunctionFailureInfo>) {
          out.WriteString(d.keyspace);
          out.WriteString(d.function);
          out.WriteStringList(d.arg_types);
        } else if constexpr (std::is_same_v<T, WriteFailureInfo>) {
          WriteClReceivedBlockFor(out, d.consistency, d.received, d.block_for);
          WriteFailures(out, version, d.num_failures, d.reasons);
          out.WriteString(d.write_type);
        } else if constexpr (std::is_same_v<T, CasWriteUnknownInfo>) {
          WriteClReceivedBlockFor(out, d.consistency, d.received, d.block_for);
        } else if constexpr (std::is_same_v<T, AlreadyExistsInfo>) {
          out.WriteString(d.keyspace);
          out.WriteString(d.table);
        } else if constexpr (std::is_same_v<T, UnpreparedInfo>) {
          out.WriteShortBytes(d.id);
        }
      },
      e.details);
}

Error ToError(const ErrorResponse& e) {
  ErrorCode code = ErrorCode::kServer;
  switch (static_cast<ErrorResponseCode>(e.code)) {
    case ErrorResponseCode::kUnavailable:
      code = ErrorCode::kUnavailable;
      break;
    case ErrorResponseCode::kOverloaded:
    case ErrorResponseCode::kIsBootstrapping:
      code = ErrorCode::kOverloaded;
      break;
    case ErrorResponseCode::kReadTimeout:
    case ErrorResponseCode::kWriteTimeout:
      code = ErrorCode::kTimeout;
      break;
    default:
      break;
  }
  return Error(code, std::string(ErrorResponseCodeName(e.code)) + ": " + e.message, e.code);
}

}  // namespace cqlbulk::cql
