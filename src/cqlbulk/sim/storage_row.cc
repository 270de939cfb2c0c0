// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/storage_row.h"

#include <algorithm>
#include <cstring>

namespace cqlbulk::sim {
namespace {

constexpr uint8_t kRowHasMarker = 0x01;
constexpr uint8_t kRowMarkerExpires = 0x02;
constexpr uint8_t kCellOwnTimestamp = 0x01;
constexpr uint8_t kCellExpires = 0x02;
constexpr size_t kHeaderSize = 4 + 8 + 1;

void AppendU32(Bytes& out, uint32_t v) {
  size_t at = out.size();
  out.resize(at + 4);
  StoreBE32(out.data() + at, v);
}

void AppendU64(Bytes& out, uint64_t v) {
  size_t at = out.size();
  out.resize(at + 8);
  StoreBE64(out.data() + at, v);
}

/// Walks a well-formed blob; `visit(column, flags-decoded cell)` for each cell.
template <typename Visit>
bool WalkBlob(BytesView b, int64_t& marker_ts, int32_t& marker_expiry, BytesView& clustering,
              Visit&& visit) {
  if (b.size() < kHeaderSize) return false;
  int64_t base_ts = static_cast<int64_t>(LoadBE64(b.data() + 4));
  uint8_t flags = b[12];
  size_t pos = kHeaderSize;
  marker_ts = (flags & kRowHasMarker) ? base_ts : kNoTimestamp;
  marker_expiry = 0;
  if (flags & kRowMarkerExpires) {
    if (pos + 4 > b.size()) return false;
    marker_expiry = static_cast<int32_t>(LoadBE32(b.data() + pos));
    pos += 4;
  }
  auto clen = ReadVarint(b, pos);
  if (!clen || *clen > b.size() - pos) return false;
  clustering = b.subspan(pos, *clen);
  pos += *clen;
  while (pos < b.size()) {
    auto column = ReadVarint(b, pos);
    if (!column || pos >= b.size()) return false;
    uint8_t cell_flags = b[pos++];
    CellRef cell;
    cell.timestamp = base_ts;
    if (cell_flags & kCellOwnTimestamp) {
      if (pos + 8 > b.size()) return false;
      cell.timestamp = static_cast<int64_t>(LoadBE64(b.data() + pos));
      pos += 8;
    }
    if (cell_flags & kCellExpires) {
      if (pos + 4 > b.size()) return false;
      cell.expiry = static_cast<int32_t>(LoadBE32(b.data() + pos));
      pos += 4;
    }
    auto len = ReadVarint(b, pos);
    if (!len || *len > b.size() - pos) return false;
    cell.value = b.subspan(pos, *len);
    cell.present = true;
    pos += *len;
    visit(static_cast<uint32_t>(*column), cell);
  }
  return true;
}

}  // namespace

void AppendVarint(Bytes& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

std::optional<uint64_t> ReadVarint(BytesView in, size_t& pos) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64 && pos < in.size(); shift += 7) {
    uint8_t b = in[pos++];
    v |= uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80) == 0) return v;
  }
  return std::nullopt;
}

Bytes EncodeClustering(const std::vector<BytesView>& components) {
  Bytes out;
  for (BytesView c : components) {
    AppendVarint(out, c.size());
    out.insert(out.end(), c.begin(), c.end());
  }
  return out;
}

std::vector<BytesView> DecodeClustering(BytesView encoded) {
  std::vector<BytesView> out;
  size_t pos = 0;
  while (pos < encoded.size()) {
    auto len = ReadVarint(encoded, pos);
    if (!len || *len > encoded.size() - pos) break;
    out.push_back(encoded.subspan(pos, *len));
    pos += *len;
  }
  return out;
}

CellImage* RowImage::Find(uint32_t column) {
  auto it = std::lower_bound(cells.begin(), cells.end(), column,
                             [](const CellImage& c, uint32_t col) { return c.column < col; });
  return it != cells.end() && it->column == column ? &*it : nullptr;
}

void RowImage::Put(CellImage cell) {
  auto it = std::lower_bound(cells.begin(), cells.end(), cell.column,
                             [](const CellImage& c, uint32_t col) { return c.column < col; });
  if (it != cells.end() && it->column == cell.column) {
    *it = std::move(cell);
  } else {
    cells.insert(it, std::move(cell));
  }
}

void RowImage::Erase(uint32_t column) {
  std::erase_if(cells, [column](const CellImage& c) { return c.column == column; });
}

void RowImage::Purge(int64_t now_seconds) {
  std::erase_if(cells, [now_seconds](const CellImage& c) {
    return c.expiry != 0 && now_seconds >= c.expiry;
  });
  if (marker_expiry != 0 && now_seconds >= marker_expiry) {
    marker_timestamp = kNoTimestamp;
    marker_expiry = 0;
  }
}

RowBlob RowBlob::Encode(BytesView clustering, const RowImage& row) {
  int64_t base_ts = row.marker_timestamp;
  if (base_ts == kNoTimestamp) base_ts = row.cells.empty() ? 0 : row.cells.back().timestamp;
  Bytes out;
  out.reserve(kHeaderSize + 4 + clustering.size() + 2 + row.cells.size() * 4);
  AppendU32(out, 0);
  AppendU64(out, static_cast<uint64_t>(base_ts));
  uint8_t flags = 0;
  if (row.marker_timestamp != kNoTimestamp) flags |= kRowHasMarker;
  if (row.marker_timestamp != kNoTimestamp && row.marker_expiry != 0) flags |= kRowMarkerExpires;
  out.push_back(flags);
  if (flags & kRowMarkerExpires) AppendU32(out, static_cast<uint32_t>(row.marker_expiry));
  AppendVarint(out, clustering.size());
  out.insert(out.end(), clustering.begin(), clustering.end());
  for (const CellImage& cell : row.cells) {
    AppendVarint(out, cell.column);
    uint8_t cell_flags = 0;
    if (cell.timestamp != base_ts) cell_flags |= kCellOwnTimestamp;
    if (cell.expiry != 0) cell_flags |= kCellExpires;
    out.push_back(cell_flags);
    if (cell_flags & kCellOwnTimestamp) AppendU64(out, static_cast<uint64_t>(cell.timestamp));
    if (cell_flags & kCellExpires) AppendU32(out, static_cast<uint32_t>(cell.expiry));
    AppendVarint(out, cell.value.size());
    out.insert(out.end(), cell.value.begin(), cell.value.end());
  }
  StoreBE32(out.data(), static_cast<uint32_t>(out.size()));
  RowBlob blob;
  blob.data_ = std::make_unique_for_overwrite<uint8_t[]>(out.size());
  std::memcpy(blob.data_.get(), out.data(), out.size());
  return blob;
}

size_t RowBlob::size_bytes() const noexcept {
  return data_ == nullptr ? 0 : LoadBE32(data_.get());
}

BytesView RowBlob::clustering() const noexcept {
  BytesView b = bytes();
  size_t pos = kHeaderSize + ((b[12] & kRowMarkerExpires) ? 4 : 0);
  auto clen = ReadVarint(b, pos);
  return b.subspan(pos, clen.value_or(0));
}

RowImage RowBlob::Decode() const {
  RowImage row;
  BytesView clustering;
  WalkBlob(bytes(), row.marker_timestamp, row.marker_expiry, clustering,
           [&](uint32_t column, const CellRef& cell) {
             row.cells.push_back(CellImage{.column = column,
                                           .timestamp = cell.timestamp,
                                           .expiry = cell.expiry,
                                           .value = Bytes(cell.value.begin(), cell.value.end())});
           });
  return row;
}

std::optional<RowBlob> RowBlob::FromBytes(BytesView bytes) {
  if (bytes.size() < kHeaderSize || LoadBE32(bytes.data()) != bytes.size()) return std::nullopt;
  int64_t ts = 0;
  int32_t expiry = 0;
  BytesView clustering;
  if (!WalkBlob(bytes, ts, expiry, clustering, [](uint32_t, const CellRef&) {})) {
    return std::nullopt;
  }
  RowBlob blob;
  blob.data_ = std::make_unique_for_overwrite<uint8_t[]>(bytes.size());
  std::memcpy(blob.data_.get(), bytes.data(), bytes.size());
  return blob;
}

bool RowView::Read(const RowBlob& blob, size_t num_columns, int64_t now_seconds,
                   std::vector<CellRef>& cells) {
  cells.assign(num_columns, CellRef{});
  bool any_live = false;
  WalkBlob(blob.bytes(), marker_timestamp, marker_expiry, clustering,
           [&](uint32_t column, const CellRef& cell) {
             if (column >= num_columns) return;
             if (cell.expiry != 0 && now_seconds >= cell.expiry) return;
             cells[column] = cell;
             any_live = true;
           });
  return any_live;
}

}  // namespace cqlbulk::sim
