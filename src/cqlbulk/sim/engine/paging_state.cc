// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/engine/paging_state.h"

namespace cqlbulk::sim {
namespace {

/// 0xC2: clustering keys as [bytes] components (storage_row.h); 0xC1 states are refused.
constexpr uint8_t kVersion = 0xC2;

Error Invalid() {
  return Error(ErrorCode::kProtocol, "Invalid value for the paging state", 0x000A);
}

}  // namespace

Bytes EncodePagingState(const PagingPosition& p) {
  ByteWriter out;
  out.WriteU8(kVersion);
  out.WriteU8(p.partition_done ? 1 : 0);
  out.WriteI64(p.partition.token);
  out.WriteU32(static_cast<uint32_t>(p.partition.key.size()));
  out.WriteChars(p.partition.key);
  out.WriteU32(static_cast<uint32_t>(p.clustering.size()));
  out.WriteBytes(p.clustering);
  out.WriteI64(p.rows_returned);
  out.WriteI64(p.partition_rows);
  return std::move(out).Take();
}

Result<PagingPosition> DecodePagingState(BytesView bytes) {
  ByteReader in(bytes);
  PagingPosition p;
  auto version = in.ReadU8();
  if (!version || *version != kVersion) return Invalid();
  auto done = in.ReadU8();
  auto token = in.ReadI64();
  if (!done || !token) return Invalid();
  p.partition_done = *done != 0;
  p.partition.token = *token;
  auto key_len = in.ReadU32();
  if (!key_len) return Invalid();
  auto key = in.ReadBytes(*key_len);
  if (!key) return Invalid();
  p.partition.key = std::string(AsChars(*key));
  auto clen = in.ReadU32();
  if (!clen) return Invalid();
  auto clustering = in.ReadBytes(*clen);
  if (!clustering) return Invalid();
  p.clustering.assign(clustering->begin(), clustering->end());
  auto rows = in.ReadI64();
  auto partition_rows = in.ReadI64();
  if (!rows || !partition_rows || !in.empty()) return Invalid();
  p.rows_returned = *rows;
  p.partition_rows = *partition_rows;
  return p;
}

}  // namespace cqlbulk::sim
