// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/storage/storage_row.h"

#include <algorithm>
#include <cstring>

namespace cqlbulk::sim {
namespace {

constexpr uint8_t kRowHasMarker = 0x01;
constexpr uint8_t kRowMarkerExpires = 0x02;
constexpr uint8_t kRowHasMeta = 0x04;
constexpr uint8_t kRowHasExpiring = 0x08;  ///< the marker or some cell expires
constexpr uint8_t kCellOwnTimestamp = 0x01;
constexpr uint8_t kCellExpires = 0x02;
constexpr size_t kFlagsOffset = 12;
constexpr size_t kHeaderSize = kFlagsOffset + 1;
constexpr uint32_t kAbsentCell = 0xFFFFFFFF;  ///< [bytes] length -1

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

void AppendRaw(Bytes& out, BytesView bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

/// The parts of a blob before its cells, bounds-checked.
struct BlobHeader {
  int64_t base_ts = 0;
  uint8_t flags = 0;
  uint32_t marker_expiry = 0;
  BytesView meta;
  BytesView clustering;
  size_t cells_pos = 0;  ///< where the clustering components start is clustering.data()
};

std::optional<BlobHeader> ParseHeader(BytesView b) {
  if (b.size() < kHeaderSize) return std::nullopt;
  BlobHeader h;
  h.base_ts = static_cast<int64_t>(LoadBE64(b.data() + 4));
  h.flags = b[kFlagsOffset];
  size_t pos = kHeaderSize;
  if (h.flags & kRowMarkerExpires) {
    if (pos + 4 > b.size()) return std::nullopt;
    h.marker_expiry = LoadBE32(b.data() + pos);
    pos += 4;
  }
  if (h.flags & kRowHasMeta) {
    auto size = ReadVarint(b, pos);
    if (!size || *size > b.size() - pos) return std::nullopt;
    h.meta = b.subspan(pos, *size);
    pos += *size;
  }
  auto clen = ReadVarint(b, pos);
  if (!clen || *clen > b.size() - pos) return std::nullopt;
  h.clustering = b.subspan(pos, *clen);
  h.cells_pos = pos + *clen;
  return h;
}

/// Offset of the clustering key's length in a well-formed blob.
size_t ClusteringLengthOffset(BytesView b) {
  size_t pos = kHeaderSize + ((b[kFlagsOffset] & kRowMarkerExpires) ? 4 : 0);
  if (b[kFlagsOffset] & kRowHasMeta) {
    uint64_t meta_size = ReadVarint(b, pos).value_or(0);
    pos += meta_size;
  }
  return pos;
}

/// One meta entry: the cell of `slot` has its own timestamp and/or an expiry.
struct MetaEntry {
  uint64_t slot = 0;
  uint8_t flags = 0;
  int64_t timestamp = 0;
  uint32_t expiry = 0;
};

std::optional<MetaEntry> ReadMeta(BytesView meta, size_t& pos) {
  MetaEntry e;
  auto slot = ReadVarint(meta, pos);
  if (!slot || pos >= meta.size()) return std::nullopt;
  e.slot = *slot;
  e.flags = meta[pos++];
  if (e.flags & kCellOwnTimestamp) {
    if (pos + 8 > meta.size()) return std::nullopt;
    e.timestamp = static_cast<int64_t>(LoadBE64(meta.data() + pos));
    pos += 8;
  }
  if (e.flags & kCellExpires) {
    if (pos + 4 > meta.size()) return std::nullopt;
    e.expiry = LoadBE32(meta.data() + pos);
    pos += 4;
  }
  return e;
}

/// Walks the cells of `b` (header `h`, `num_slots` slots): `visit(slot, cell)` for each present
/// cell. False when the bytes are not well formed.
template <typename Visit>
bool WalkCells(BytesView b, const BlobHeader& h, size_t num_slots, Visit&& visit) {
  size_t pos = h.cells_pos;
  size_t meta_pos = 0;
  std::optional<MetaEntry> meta;
  if (!h.meta.empty() && !(meta = ReadMeta(h.meta, meta_pos))) return false;
  for (size_t slot = 0; slot < num_slots; ++slot) {
    if (pos + 4 > b.size()) return false;
    uint32_t len = LoadBE32(b.data() + pos);
    pos += 4;
    if (len == kAbsentCell) continue;
    if (len > b.size() - pos) return false;
    CellRef cell{
        .value = b.subspan(pos, len), .timestamp = h.base_ts, .expiry = 0, .present = true};
    pos += len;
    if (meta && meta->slot == slot) {
      if (meta->flags & kCellOwnTimestamp) cell.timestamp = meta->timestamp;
      if (meta->flags & kCellExpires) cell.expiry = meta->expiry;
      meta.reset();
      if (meta_pos < h.meta.size() && !(meta = ReadMeta(h.meta, meta_pos))) return false;
    }
    visit(slot, cell);
  }
  return pos == b.size() && !meta.has_value();
}

RowBlob Store(BytesView bytes, std::pmr::memory_resource& arena) {
  auto* data = static_cast<uint8_t*>(arena.allocate(bytes.size(), 1));
  std::memcpy(data, bytes.data(), bytes.size());
  return RowBlob(data);
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
    AppendU32(out, static_cast<uint32_t>(c.size()));
    AppendRaw(out, c);
  }
  return out;
}

std::optional<BytesView> ClusteringReader::Next() noexcept {
  if (rest_.size() < 4) return std::nullopt;
  uint32_t len = LoadBE32(rest_.data());
  if (len > rest_.size() - 4) {
    rest_ = {};
    return std::nullopt;
  }
  BytesView component = rest_.subspan(4, len);
  rest_ = rest_.subspan(4 + len);
  return component;
}

std::vector<BytesView> DecodeClustering(BytesView encoded) {
  std::vector<BytesView> out;
  ClusteringReader reader(encoded);
  while (auto component = reader.Next()) out.push_back(*component);
  return out;
}

RowLayout RowLayout::Of(const TableSchema& table, ColumnKind kind) {
  RowLayout layout;
  layout.num_table_columns = table.columns.size();
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (table.columns[c].kind == kind) layout.columns.push_back(static_cast<uint32_t>(c));
  }
  return layout;
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

RowBlob RowBlob::Encode(BytesView clustering, const RowImage& row, const RowLayout& layout,
                        std::pmr::memory_resource& arena) {
  // The layout's cells of `row`, by slot (null where absent).
  std::vector<const CellImage*> slots(layout.num_slots(), nullptr);
  size_t next = 0;
  for (size_t slot = 0; slot < slots.size(); ++slot) {
    while (next < row.cells.size() && row.cells[next].column < layout.columns[slot]) ++next;
    if (next < row.cells.size() && row.cells[next].column == layout.columns[slot]) {
      slots[slot] = &row.cells[next];
    }
  }
  int64_t base_ts = row.marker_timestamp;
  if (base_ts == kNoTimestamp) {
    auto first = std::find_if(slots.begin(), slots.end(), [](const CellImage* c) { return c; });
    base_ts = first == slots.end() ? 0 : (*first)->timestamp;
  }
  uint8_t flags = 0;
  if (row.marker_timestamp != kNoTimestamp) flags |= kRowHasMarker;
  if (row.marker_timestamp != kNoTimestamp && row.marker_expiry != 0) {
    flags |= kRowMarkerExpires | kRowHasExpiring;
  }
  Bytes meta;
  for (size_t slot = 0; slot < slots.size(); ++slot) {
    const CellImage* cell = slots[slot];
    if (cell == nullptr || (cell->timestamp == base_ts && cell->expiry == 0)) continue;
    uint8_t cell_flags = (cell->timestamp != base_ts ? kCellOwnTimestamp : 0) |
                         (cell->expiry != 0 ? kCellExpires : 0);
    AppendVarint(meta, slot);
    meta.push_back(cell_flags);
    if (cell_flags & kCellOwnTimestamp) AppendU64(meta, static_cast<uint64_t>(cell->timestamp));
    if (cell_flags & kCellExpires) {
      AppendU32(meta, cell->expiry);
      flags |= kRowHasExpiring;
    }
  }
  if (!meta.empty()) flags |= kRowHasMeta;

  Bytes out;
  out.reserve(kHeaderSize + 8 + meta.size() + clustering.size() + slots.size() * 4 + 64);
  AppendU32(out, 0);
  AppendU64(out, static_cast<uint64_t>(base_ts));
  out.push_back(flags);
  if (flags & kRowMarkerExpires) AppendU32(out, row.marker_expiry);
  if (flags & kRowHasMeta) {
    AppendVarint(out, meta.size());
    AppendRaw(out, meta);
  }
  AppendVarint(out, clustering.size());
  AppendRaw(out, clustering);
  for (const CellImage* cell : slots) {
    AppendU32(out, cell == nullptr ? kAbsentCell : static_cast<uint32_t>(cell->value.size()));
    if (cell != nullptr) AppendRaw(out, cell->value);
  }
  StoreBE32(out.data(), static_cast<uint32_t>(out.size()));
  return Store(out, arena);
}

bool RowBlob::IsWellFormed(BytesView bytes, const RowLayout& layout) {
  if (bytes.size() < kHeaderSize || LoadBE32(bytes.data()) != bytes.size()) return false;
  auto header = ParseHeader(bytes);
  return header && WalkCells(bytes, *header, layout.num_slots(), [](size_t, const CellRef&) {});
}

RowBlob RowBlob::CopyTo(std::pmr::memory_resource& arena) const { return Store(bytes(), arena); }

BytesView RowBlob::clustering() const noexcept {
  BytesView b = bytes();
  size_t pos = ClusteringLengthOffset(b);
  uint64_t clen = ReadVarint(b, pos).value_or(0);
  return b.subspan(pos, clen);
}

BytesView RowBlob::wire_row() const noexcept {
  BytesView b = bytes();
  size_t pos = ClusteringLengthOffset(b);
  ReadVarint(b, pos);
  return b.subspan(pos);
}

bool RowBlob::has_expiring() const noexcept { return (data_[kFlagsOffset] & kRowHasExpiring) != 0; }

RowImage RowBlob::Decode(const RowLayout& layout) const {
  RowImage row;
  BytesView b = bytes();
  auto header = ParseHeader(b);
  if (!header) return row;
  if (header->flags & kRowHasMarker) {
    row.marker_timestamp = header->base_ts;
    row.marker_expiry = header->marker_expiry;
  }
  WalkCells(b, *header, layout.num_slots(), [&](size_t slot, const CellRef& cell) {
    row.cells.push_back(CellImage{.column = layout.columns[slot],
                                  .timestamp = cell.timestamp,
                                  .expiry = cell.expiry,
                                  .value = Bytes(cell.value.begin(), cell.value.end())});
  });
  return row;
}

bool RowView::Read(RowBlob blob, const RowLayout& layout, int64_t now_seconds,
                   std::vector<CellRef>& cells) {
  cells.assign(layout.num_table_columns, CellRef{});
  marker_timestamp = kNoTimestamp;
  marker_expiry = 0;
  clustering = {};
  BytesView b = blob.bytes();
  auto header = ParseHeader(b);
  if (!header) return false;
  if (header->flags & kRowHasMarker) {
    marker_timestamp = header->base_ts;
    marker_expiry = header->marker_expiry;
  }
  clustering = header->clustering;
  bool any_live = false;
  WalkCells(b, *header, layout.num_slots(), [&](size_t slot, const CellRef& cell) {
    if (cell.expiry != 0 && now_seconds >= cell.expiry) return;
    cells[layout.columns[slot]] = cell;
    any_live = true;
  });
  return any_live;
}

}  // namespace cqlbulk::sim
