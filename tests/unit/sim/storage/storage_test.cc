// SPDX-License-Identifier: Apache-2.0
// TableStore: the row format, the sorted run, the memtable merged over it and compaction,
// checked against a std::map model.
#include "cqlbulk/sim/storage/storage.h"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cqlbulk/sim/engine/read_plan.h"

namespace cqlbulk::sim {
namespace {

using internal::MakePartitionKey;

Bytes IntBytes(int32_t v) {
  Bytes b(4);
  StoreBE32(b.data(), static_cast<uint32_t>(v));
  return b;
}

Bytes TextBytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

/// ks.t (k int, c int, s text static, v text, w int, PRIMARY KEY (k, c)).
std::shared_ptr<const TableSchema> MakeTable() {
  auto table = std::make_shared<TableSchema>();
  table->keyspace = "ks";
  table->name = "t";
  auto int_type = cql::DataType::Native(cql::TypeId::kInt);
  auto text_type = cql::DataType::Native(cql::TypeId::kVarchar);
  table->columns = {
      ColumnSchema{.name = "k", .type = int_type, .kind = ColumnKind::kPartitionKey, .position = 0},
      ColumnSchema{.name = "c", .type = int_type, .kind = ColumnKind::kClustering, .position = 0},
      ColumnSchema{.name = "s", .type = text_type, .kind = ColumnKind::kStatic},
      ColumnSchema{.name = "v", .type = text_type, .kind = ColumnKind::kRegular},
      ColumnSchema{.name = "w", .type = int_type, .kind = ColumnKind::kRegular},
  };
  table->num_partition_key = 1;
  table->num_clustering = 1;
  return table;
}

constexpr uint32_t kStaticColumn = 2;
constexpr uint32_t kValueColumn = 3;

PartitionKey KeyOf(int32_t k) {
  Bytes bytes = IntBytes(k);
  return *MakePartitionKey({BytesView(bytes)});
}

Bytes ClusteringOf(int32_t c) {
  Bytes bytes = IntBytes(c);
  return EncodeClustering({BytesView(bytes)});
}

int32_t IntOf(BytesView b) { return static_cast<int32_t>(LoadBE32(b.data())); }

/// Writes v (and the row marker) of row (k, c).
void PutRow(TableStore& store, int32_t k, int32_t c, const std::string& v, int64_t ts) {
  Bytes clustering = ClusteringOf(c);
  store.MutateRow(KeyOf(k), BytesView(clustering), 0, [&](RowImage& row) {
    row.marker_timestamp = ts;
    row.Put(CellImage{.column = kValueColumn, .timestamp = ts, .expiry = 0, .value = TextBytes(v)});
  });
}

void PutStatic(TableStore& store, int32_t k, const std::string& s) {
  store.MutateRow(KeyOf(k), std::nullopt, 0, [&](RowImage& row) {
    row.Put(CellImage{.column = kStaticColumn, .timestamp = 1, .expiry = 0, .value = TextBytes(s)});
  });
}

void DeleteRow(TableStore& store, int32_t k, int32_t c) {
  Bytes clustering = ClusteringOf(c);
  store.MutateRow(KeyOf(k), BytesView(clustering), 0, [](RowImage& row) { row = RowImage{}; });
}

/// A partition as the model holds it.
struct ModelPartition {
  std::optional<std::string> s;
  std::map<int32_t, std::string> rows;
  bool operator==(const ModelPartition&) const = default;
};
using Model = std::map<int32_t, ModelPartition>;

/// Everything the store holds, read through a cursor; checks ring order on the way.
Model Scan(const TableStore& store) {
  Model out;
  std::optional<PartitionKey> previous;
  for (PartitionCursor cursor = store.Begin(); !cursor.done(); cursor.Next()) {
    const PartitionView& p = cursor.partition();
    if (previous) {
      EXPECT_TRUE(PartitionKeyLess()(*previous, p.OwnedKey())) << "out of ring order";
    }
    previous = p.OwnedKey();
    ModelPartition& m = out[IntOf(AsBytes(p.key))];
    if (!p.static_row.is_null()) {
      RowImage image = p.static_row.Decode(store.layout(true));
      if (CellImage* s = image.Find(kStaticColumn)) m.s = std::string(AsChars(s->value));
    }
    for (RowBlob row : p.rows) {
      RowImage image = row.Decode(store.layout(false));
      std::vector<BytesView> clustering = DecodeClustering(row.clustering());
      EXPECT_EQ(clustering.size(), 1u);
      CellImage* v = image.Find(kValueColumn);
      m.rows[IntOf(clustering[0])] = v ? std::string(AsChars(v->value)) : "";
    }
  }
  return out;
}

/// The stored bytes of every partition, in order.
std::vector<std::vector<Bytes>> Snapshot(const TableStore& store) {
  std::vector<std::vector<Bytes>> out;
  for (PartitionCursor cursor = store.Begin(); !cursor.done(); cursor.Next()) {
    const PartitionView& p = cursor.partition();
    Bytes token(8);
    StoreBE64(token.data(), static_cast<uint64_t>(p.token));
    std::vector<Bytes> partition{Bytes(p.key.begin(), p.key.end()), token};
    BytesView s = p.static_row.bytes();
    partition.emplace_back(s.begin(), s.end());
    for (RowBlob row : p.rows) partition.emplace_back(row.bytes().begin(), row.bytes().end());
    out.push_back(std::move(partition));
  }
  return out;
}

// --- the row format --------------------------------------------------------------------------

class RowBlobTest : public ::testing::Test {
 protected:
  RowBlob Encode(const RowImage& image, int32_t c = 1) {
    return RowBlob::Encode(ClusteringOf(c), image, layout_, arena_);
  }

  std::shared_ptr<const TableSchema> table_ = MakeTable();
  RowLayout layout_ = RowLayout::Of(*table_, ColumnKind::kRegular);
  std::pmr::monotonic_buffer_resource arena_;
};

TEST_F(RowBlobTest, StoresCellsInWireFormAfterTheClusteringKey) {
  RowImage image;
  image.marker_timestamp = 100;
  image.Put(CellImage{.column = 4, .timestamp = 100, .expiry = 0, .value = IntBytes(7)});

  RowBlob blob = Encode(image, 5);

  // c = 5, v absent (-1), w = 7: what a Rows page carries after the partition key.
  Bytes expected = {0, 0, 0, 4, 0, 0, 0, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 4, 0, 0, 0, 7};
  EXPECT_EQ(Bytes(blob.wire_row().begin(), blob.wire_row().end()), expected);
  EXPECT_EQ(Bytes(blob.clustering().begin(), blob.clustering().end()), ClusteringOf(5));
  EXPECT_FALSE(blob.has_expiring());
  EXPECT_TRUE(RowBlob::IsWellFormed(blob.bytes(), layout_));
}

TEST_F(RowBlobTest, DecodeGivesBackTimestampsAndExpiries) {
  RowImage image;
  image.marker_timestamp = 100;
  image.marker_expiry = 5000;
  image.Put(CellImage{.column = 3, .timestamp = 90, .expiry = 0, .value = TextBytes("")});
  image.Put(CellImage{.column = 4, .timestamp = 100, .expiry = 4000, .value = IntBytes(-1)});

  RowBlob blob = Encode(image);
  RowImage decoded = blob.Decode(layout_);

  EXPECT_TRUE(blob.has_expiring());
  EXPECT_EQ(decoded.marker_timestamp, 100);
  EXPECT_EQ(decoded.marker_expiry, 5000u);
  ASSERT_EQ(decoded.cells.size(), 2u);
  EXPECT_EQ(decoded.cells[0].column, 3u);
  EXPECT_EQ(decoded.cells[0].timestamp, 90);
  EXPECT_TRUE(decoded.cells[0].value.empty());
  EXPECT_EQ(decoded.cells[1].timestamp, 100);
  EXPECT_EQ(decoded.cells[1].expiry, 4000u);
  EXPECT_EQ(decoded.cells[1].value, IntBytes(-1));
}

TEST_F(RowBlobTest, ReadSkipsExpiredCells) {
  RowImage image;
  image.Put(CellImage{.column = 3, .timestamp = 1, .expiry = 50, .value = TextBytes("x")});
  image.Put(CellImage{.column = 4, .timestamp = 2, .expiry = 0, .value = IntBytes(3)});
  RowBlob blob = Encode(image);
  std::vector<CellRef> cells;
  RowView view;

  EXPECT_TRUE(view.Read(blob, layout_, 49, cells));
  EXPECT_TRUE(cells[3].present);
  EXPECT_TRUE(view.Read(blob, layout_, 50, cells));
  EXPECT_FALSE(cells[3].present);
  EXPECT_TRUE(cells[4].present);
  EXPECT_EQ(cells[4].timestamp, 2);
  EXPECT_FALSE(view.marker_live(50));
}

TEST_F(RowBlobTest, ExpiriesPast2038AreKeptUnsigned) {
  constexpr uint32_t kIn2100 = 4'102'444'800;  // past INT32_MAX seconds (2038-01-19)
  RowImage image;
  image.marker_timestamp = 1;
  image.marker_expiry = kIn2100;
  image.Put(CellImage{.column = 4, .timestamp = 1, .expiry = kIn2100, .value = IntBytes(3)});
  RowBlob blob = Encode(image);
  std::vector<CellRef> cells;
  RowView view;

  EXPECT_EQ(blob.Decode(layout_).cells.at(0).expiry, kIn2100);
  EXPECT_TRUE(view.Read(blob, layout_, 1'700'000'000, cells));
  EXPECT_TRUE(cells[4].present);
  EXPECT_TRUE(view.marker_live(1'700'000'000));
  EXPECT_FALSE(view.Read(blob, layout_, kIn2100, cells));
  EXPECT_FALSE(view.marker_live(kIn2100));
}

TEST_F(RowBlobTest, RefusesTruncatedOrPaddedBytes) {
  RowImage image;
  image.marker_timestamp = 1;
  image.Put(CellImage{.column = 3, .timestamp = 7, .expiry = 9, .value = TextBytes("abc")});
  RowBlob blob = Encode(image);
  Bytes bytes(blob.bytes().begin(), blob.bytes().end());

  for (size_t n = 0; n < bytes.size(); ++n) {
    Bytes cut(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(n));
    if (n >= 4) StoreBE32(cut.data(), static_cast<uint32_t>(n));
    EXPECT_FALSE(RowBlob::IsWellFormed(cut, layout_)) << n;
  }
  Bytes padded = bytes;
  padded.push_back(0);
  StoreBE32(padded.data(), static_cast<uint32_t>(padded.size()));
  EXPECT_FALSE(RowBlob::IsWellFormed(padded, layout_));
  EXPECT_FALSE(RowBlob::IsWellFormed(bytes, RowLayout::Of(*table_, ColumnKind::kStatic)));
}

TEST(ClusteringReaderTest, StopsAtTheEndAndAtMalformedBytes) {
  Bytes a = IntBytes(1);
  Bytes encoded = EncodeClustering({BytesView(a), BytesView()});
  ClusteringReader reader(encoded);

  EXPECT_EQ(reader.Next().value().size(), 4u);
  EXPECT_EQ(reader.Next().value().size(), 0u);
  EXPECT_FALSE(reader.Next().has_value());
  Bytes bad = {0, 0, 0, 9, 1};
  EXPECT_FALSE(ClusteringReader(bad).Next().has_value());
}

// --- the store -------------------------------------------------------------------------------

TEST(TableStoreTest, CompactionKeepsEveryByte) {
  TableStore store(MakeTable(), CompactionPolicy{.min_write_bytes = size_t{1} << 30});
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    int32_t k = static_cast<int32_t>(rng() % 300);
    PutRow(store, k, static_cast<int32_t>(rng() % 5), "v" + std::to_string(rng()), i);
    if (i % 7 == 0) PutStatic(store, k, "s" + std::to_string(i));
  }
  std::vector<std::vector<Bytes>> before = Snapshot(store);
  Model model_before = Scan(store);

  store.Compact(0);

  EXPECT_EQ(Snapshot(store), before);
  EXPECT_EQ(Scan(store), model_before);
  StorageStats stats = store.stats();
  EXPECT_EQ(stats.compactions, 1u);
  EXPECT_EQ(stats.memtable_partitions, 0u);
  EXPECT_EQ(stats.run_partitions, before.size());
}

TEST(TableStoreTest, RandomWritesAndDeletesMatchAModelThroughCompactions) {
  TableStore store(MakeTable(), CompactionPolicy{.min_write_bytes = 4096, .write_ratio = 0.5});
  Model model;
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    int32_t k = static_cast<int32_t>(rng() % 150);
    int32_t c = static_cast<int32_t>(rng() % 8);
    switch (rng() % 10) {
      case 0: {
        DeleteRow(store, k, c);
        auto it = model.find(k);
        if (it != model.end()) {
          it->second.rows.erase(c);
          if (it->second == ModelPartition{}) model.erase(it);
        }
        break;
      }
      case 1:
        store.DeleteRows(
            KeyOf(k), [](BytesView) { return true; }, true, 0);
        model.erase(k);
        break;
      case 2: {
        int32_t low = c;
        store.DeleteRows(
            KeyOf(k),
            [&](BytesView clustering) { return IntOf(DecodeClustering(clustering)[0]) >= low; },
            false, 0);
        auto it = model.find(k);
        if (it != model.end()) {
          it->second.rows.erase(it->second.rows.lower_bound(low), it->second.rows.end());
          if (it->second == ModelPartition{}) model.erase(it);
        }
        break;
      }
      case 3: {
        std::string s = "s" + std::to_string(i);
        PutStatic(store, k, s);
        model[k].s = s;
        break;
      }
      default: {
        std::string v = std::string(rng() % 40, 'x') + std::to_string(i);
        PutRow(store, k, c, v, i);
        model[k].rows[c] = v;
        break;
      }
    }
    if (i % 997 == 0) {
      ASSERT_EQ(Scan(store), model) << "after " << i << " writes";
    }
    if (i % 3001 == 0) {
      EXPECT_FALSE(store.CompactIfIdle(0));  // a write since the last look
    }
  }

  EXPECT_EQ(Scan(store), model);
  EXPECT_GT(store.stats().compactions, 5u);
  for (int32_t k = 0; k < 150; ++k) {
    EXPECT_EQ(store.Find(KeyOf(k)).has_value(), model.count(k) == 1) << k;
  }
}

TEST(TableStoreTest, SeekFindsTheFirstPartitionAtOrAfterAPosition) {
  TableStore store(MakeTable());
  std::set<std::pair<int64_t, std::string>> keys;
  for (int32_t k = 0; k < 400; ++k) {
    PutRow(store, k, 0, "v", 1);
    if (k % 2 == 0) {
      PartitionKey key = KeyOf(k);
      keys.emplace(key.token, key.key);
    }
  }
  store.Compact(0);
  for (int32_t k = 1; k < 400; k += 2) DeleteRow(store, k, 0);  // in the memtable only
  PutRow(store, 1000, 0, "v", 2);
  keys.emplace(KeyOf(1000).token, KeyOf(1000).key);
  std::mt19937_64 rng(5);

  for (int i = 0; i < 500; ++i) {
    int64_t token =
        i % 5 == 0 ? std::next(keys.begin(), i % 100)->first : static_cast<int64_t>(rng());
    bool after = i % 2 == 1;
    auto expected = after ? keys.upper_bound({token, std::string(64, '\xff')})
                          : keys.lower_bound({token, std::string()});
    PartitionCursor cursor = store.Seek(TokenPosition{token, after});

    ASSERT_EQ(cursor.done(), expected == keys.end()) << token;
    if (!cursor.done()) {
      EXPECT_EQ(cursor.partition().token, expected->first);
      EXPECT_EQ(std::string(cursor.partition().key), expected->second);
    }
  }
}

TEST(TableStoreTest, IdleCompactionWaitsForAQuietPeriod) {
  TableStore store(MakeTable());
  EXPECT_FALSE(store.CompactIfIdle(0));  // nothing to compact
  PutRow(store, 1, 1, "a", 1);

  EXPECT_FALSE(store.CompactIfIdle(0));  // written since the last look
  EXPECT_TRUE(store.CompactIfIdle(0));
  EXPECT_FALSE(store.CompactIfIdle(0));  // nothing left
  PutRow(store, 2, 1, "b", 2);
  EXPECT_FALSE(store.CompactIfIdle(0));
  PutRow(store, 3, 1, "c", 3);
  EXPECT_FALSE(store.CompactIfIdle(0));
  EXPECT_TRUE(store.CompactIfIdle(0));

  EXPECT_EQ(store.stats().compactions, 2u);
  EXPECT_EQ(store.stats().run_partitions, 3u);
}

TEST(TableStoreTest, WritesCompactGeometrically) {
  constexpr size_t kMinBytes = 16384;
  TableStore store(MakeTable(), CompactionPolicy{.min_write_bytes = kMinBytes, .write_ratio = 0.5});

  for (int32_t k = 0; k < 5000; ++k) {
    PutRow(store, k, 0, std::string(40, 'v'), k);
    // Right after a write the memtable is below its trigger: it never outgrows half the run.
    StorageStats stats = store.stats();
    ASSERT_LT(static_cast<double>(stats.memtable_bytes),
              std::max(static_cast<double>(kMinBytes), 0.5 * static_cast<double>(stats.run_bytes)));
  }

  StorageStats stats = store.stats();
  EXPECT_GE(stats.compactions, 3u);
  EXPECT_LE(stats.compactions, 20u);  // geometric: not one every few writes
  EXPECT_EQ(stats.run_partitions + stats.memtable_partitions, 5000u);
}

TEST(TableStoreTest, CompactionLeavesOutWhatHasExpired) {
  TableStore store(MakeTable(), CompactionPolicy{.min_write_bytes = size_t{1} << 30});
  auto put = [&](int32_t k, int32_t c, uint32_t marker_expiry, uint32_t value_expiry) {
    Bytes clustering = ClusteringOf(c);
    store.MutateRow(KeyOf(k), BytesView(clustering), 0, [&](RowImage& row) {
      row.marker_timestamp = 1;
      row.marker_expiry = marker_expiry;
      row.Put(CellImage{.column = kValueColumn, .timestamp = 1, .expiry = value_expiry,
                        .value = TextBytes("v")});
    });
  };
  put(1, 1, 100, 100);  // all of it dies at 100: the row and its partition go
  put(2, 1, 0, 100);    // the value dies, the row (marker without TTL) stays
  put(2, 2, 300, 300);  // lives past 200
  put(3, 1, 0, 0);      // never expires
  store.MutateRow(KeyOf(3), std::nullopt, 0, [&](RowImage& row) {
    row.Put(CellImage{.column = kStaticColumn, .timestamp = 1, .expiry = 100,
                      .value = TextBytes("s")});
  });

  store.Compact(200);

  EXPECT_FALSE(store.Find(KeyOf(1)).has_value());
  std::optional<PartitionView> two = store.Find(KeyOf(2));
  ASSERT_TRUE(two.has_value());
  ASSERT_EQ(two->rows.size(), 2u);
  RowImage kept = two->rows[0].Decode(store.layout(false));
  EXPECT_EQ(kept.marker_timestamp, 1);
  EXPECT_EQ(kept.Find(kValueColumn), nullptr);
  EXPECT_NE(two->rows[1].Decode(store.layout(false)).Find(kValueColumn), nullptr);
  std::optional<PartitionView> three = store.Find(KeyOf(3));
  ASSERT_TRUE(three.has_value());
  EXPECT_TRUE(three->static_row.is_null());
  EXPECT_EQ(three->rows.size(), 1u);
  EXPECT_EQ(store.stats().run_partitions, 2u);
}

TEST(TableStoreTest, ClearEmptiesRunAndMemtable) {
  TableStore store(MakeTable());
  PutRow(store, 1, 1, "a", 1);
  store.Compact(0);
  PutRow(store, 2, 1, "b", 1);

  store.Clear();

  EXPECT_TRUE(store.Begin().done());
  EXPECT_FALSE(store.Find(KeyOf(1)).has_value());
  EXPECT_EQ(store.stats().run_partitions, 0u);
}

}  // namespace
}  // namespace cqlbulk::sim
