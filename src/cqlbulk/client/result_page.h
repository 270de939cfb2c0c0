// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/responses.h"
#include "cqlbulk/cql/protocol/rows.h"

namespace cqlbulk::client {

/// \brief A RESULT as the server sent it: owns the frame body; a Rows result is a zero-copy
/// view over it (walk `rows().cursor()`; cells borrow the body).
///
/// Move-only; moving keeps the views valid (the body's buffer does not move).
class ResultPage {
 public:
  /// Decodes a RESULT frame (body already decompressed). kProtocol if malformed or not a
  /// RESULT.
  static Result<ResultPage> Make(cql::Frame frame, int protocol_version, std::string host);

  ResultPage(ResultPage&&) noexcept = default;
  ResultPage& operator=(ResultPage&&) noexcept = default;
  ResultPage(const ResultPage&) = delete;
  ResultPage& operator=(const ResultPage&) = delete;

  cql::ResultKind kind() const noexcept { return result_.kind(); }
  bool has_rows() const noexcept { return kind() == cql::ResultKind::kRows; }
  /// The rows; an empty result for other kinds.
  const cql::RowsResult& rows() const noexcept;
  const cql::ResultResponse& result() const noexcept { return result_; }
  /// Where the next page starts, if there is one.
  const std::optional<Bytes>& paging_state() const noexcept;
  bool has_more_pages() const noexcept { return paging_state().has_value(); }
  /// "127.0.0.2:9042": the coordinator that answered.
  const std::string& host() const noexcept { return host_; }
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  /// Bytes of the body (for memory accounting).
  size_t size_bytes() const noexcept { return body_.size(); }

 private:
  ResultPage() = default;

  Bytes body_;
  cql::ResultResponse result_;
  std::vector<std::string> warnings_;
  std::string host_;
};

}  // namespace cqlbulk::client
