// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/client/result_page.h"

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/protocol/messages.h"

namespace cqlbulk::client {

namespace {

const cql::RowsResult& EmptyRows() {
  static const cql::RowsResult kEmpty;
  return kEmpty;
}

const std::optional<Bytes>& NoPagingState() {
  static const std::optional<Bytes> kNone;
  return kNone;
}

}  // namespace

Result<ResultPage> ResultPage::Make(cql::Frame frame, int protocol_version, std::string host) {
  if (frame.header.opcode != cql::Opcode::kResult) {
    return ProtocolError("expected a RESULT, got " +
                         std::string(cql::OpcodeName(frame.header.opcode)));
  }
  ResultPage page;
  const cql::FrameHeader& h = frame.header;
  const bool has_envelope = (h.is_response && (h.has_flag(cql::kFlagTracing) ||
                                               h.has_flag(cql::kFlagWarning))) ||
                            h.has_flag(cql::kFlagCustomPayload);
  if (!has_envelope && frame.body.size() >= 4 &&
      LoadBE32(frame.body.data()) == static_cast<uint32_t>(cql::ResultKind::kVoid)) {
    // The answer to every write: what the general path below makes of it (no envelope, a
    // VOID kind; ReadResult reads nothing more), without reading it through.
    page.body_ = std::move(frame.body);
    page.host_ = std::move(host);
    return page;
  }
  page.body_ = std::move(frame.body);  // the views below point into this buffer
  CQLBULK_ASSIGN_OR_RETURN(cql::EnvelopedBody enveloped,
                           cql::ParseEnvelope(frame.header, page.body_));
  page.warnings_ = std::move(enveloped.envelope.warnings);
  cql::ProtocolReader in(enveloped.message);
  CQLBULK_ASSIGN_OR_RETURN(page.result_, cql::ReadResult(in, protocol_version));
  page.host_ = std::move(host);
  return page;
}

const cql::RowsResult& ResultPage::rows() const noexcept {
  const auto* rows = std::get_if<cql::RowsResult>(&result_.result);
  return rows != nullptr ? *rows : EmptyRows();
}

const std::optional<Bytes>& ResultPage::paging_state() const noexcept {
  const auto* rows = std::get_if<cql::RowsResult>(&result_.result);
  return rows != nullptr ? rows->metadata.paging_state : NoPagingState();
}

}  // namespace cqlbulk::client
