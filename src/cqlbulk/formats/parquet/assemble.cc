// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/assemble.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <string>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::formats::parquet {
namespace {

using data::ColumnBuilder;

constexpr int64_t kJulianDayOfEpoch = 2440588;
constexpr int64_t kMillisPerDay = 86'400'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

template <typename T>
T Load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

float HalfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000 | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {  // subnormal: normalise
    int shift = std::countl_zero(static_cast<uint16_t>(mantissa << 6)) + 1;
    mantissa = (mantissa << shift) & 0x3ff;
    bits = sign | (static_cast<uint32_t>(113 - shift) << 23) | (mantissa << 13);
  }
  return std::bit_cast<float>(bits);
}

/// The fewest big-endian two's-complement bytes of v.
void AppendMinimal(int64_t v, uint8_t (&buf)[9], size_t& len, bool unsigned_value = false) {
  uint8_t full[9];
  auto u = static_cast<uint64_t>(v);
  full[0] = unsigned_value ? 0 : (v < 0 ? 0xff : 0);
  for (int i = 8; i >= 1; --i, u >>= 8) full[i] = static_cast<uint8_t>(u);
  size_t skip = 0;
  while (skip < 8 && (full[skip] == 0x00 || full[skip] == 0xff) &&
         ((full[skip] ^ full[skip + 1]) & 0x80) == 0) {
    ++skip;
  }
  len = 9 - skip;
  std::memcpy(buf, full + skip, len);
}

/// Two's-complement bytes without redundant leading sign bytes (as CQL writes them).
BytesView Minimal(BytesView b) {
  size_t skip = 0;
  while (skip + 1 < b.size() && (b[skip] == 0x00 || b[skip] == 0xff) &&
         ((b[skip] ^ b[skip + 1]) & 0x80) == 0) {
    ++skip;
  }
  return b.subspan(skip);
}

/// Whether each of n levels is at least `level`: a scan in blocks of fixed length, which GCC
/// vectorises at -O2, so that a batch without nulls takes the loop without a check per value.
bool AllAtLeast(const int16_t* levels, size_t n, int16_t level) {
  constexpr size_t kBlock = 32;
  int16_t min = level;
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    int16_t block = level;
    for (size_t k = 0; k < kBlock; ++k) block = std::min(block, levels[i + k]);
    min = std::min(min, block);
  }
  for (; i < n; ++i) min = std::min(min, levels[i]);
  return min >= level;
}

/// The width of a leaf's decoded values when they are laid out as the batch lays out its
/// column (the values of a form that converts nothing), else 0.
size_t SameLayoutWidth(const LeafColumn& leaf) {
  switch (leaf.form) {
    case LeafForm::kBoolean:
      return 1;
    case LeafForm::kInt32:
    case LeafForm::kFloat:
      return 4;
    case LeafForm::kInt64:
    case LeafForm::kDouble:
      return 8;
    case LeafForm::kUuid:
      return 16;
    default:
      return 0;
  }
}

class Assembler {
 public:
  Assembler(const ParquetSchema& schema, std::span<LeafCursor> cursors)
      : schema_(schema), cursors_(cursors) {}

  Status Read(const SchemaNode& node, ColumnBuilder& b) {
    const LeafCursor& first = cursors_[FirstLeaf(node)];
    if (first.level >= first.data->num_levels) return Corrupt(node, "the levels end early");
    int16_t def = DefinitionAt(first, node);
    if (node.optional && def < node.definition_level) {
      b.AppendNull();
      Skip(node);
      return OkStatus();
    }
    switch (node.kind) {
      case SchemaNode::Kind::kLeaf:
        return Value(node, b);
      case SchemaNode::Kind::kStruct:
        for (size_t i = 0; i < node.children.size(); ++i) {
          CQLBULK_RETURN_IF_ERROR(Read(node.children[i], b.child(i)));
        }
        b.AppendStructValid();
        return OkStatus();
      case SchemaNode::Kind::kList:
      case SchemaNode::Kind::kMap: {
        b.BeginList();
        if (def <= node.definition_level) {  // present, empty
          Skip(node);
          b.EndList();
          return OkStatus();
        }
        auto element_rep = static_cast<int16_t>(node.repetition_level + 1);
        while (true) {
          if (node.kind == SchemaNode::Kind::kList) {
            CQLBULK_RETURN_IF_ERROR(Read(node.children[0], b.child()));
          } else {
            CQLBULK_RETURN_IF_ERROR(Read(node.children[0], b.map_keys()));
            CQLBULK_RETURN_IF_ERROR(Read(node.children[1], b.map_values()));
          }
          const LeafCursor& next = cursors_[FirstLeaf(node)];
          if (next.level >= next.data->num_levels ||
              next.data->repetition_levels[next.level] != element_rep) {
            break;
          }
        }
        b.EndList();
        return OkStatus();
      }
      case SchemaNode::Kind::kDuration:
        break;
    }
    return Corrupt(node, "a duration group is read as a struct");
  }

  /// \brief `records` records of a top-level field, with a loop of their own for the shapes
  /// that are most common and cheap to walk: a leaf that is not repeated (one level entry per
  /// record) and a list of such leaves, in the common value forms. The rest take Read, a
  /// recursion and two switches per value. The checks are Read's.
  Status ReadRecords(const SchemaNode& node, size_t records, ColumnBuilder& b) {
    if (node.kind == SchemaNode::Kind::kLeaf &&
        schema_.leaves[node.leaf].max_repetition_level == 0) {
      std::optional<Status> s = WithAppender(node, [&](auto append) {
        return Flat(node, records, b, append);
      });
      if (s) return *s;
    } else if (node.kind == SchemaNode::Kind::kList &&
               node.children[0].kind == SchemaNode::Kind::kLeaf) {
      std::optional<Status> s = WithAppender(node.children[0], [&](auto append) {
        return ListOfLeaves(node, records, b, append);
      });
      if (s) return *s;
    }
    for (size_t r = 0; r < records; ++r) CQLBULK_RETURN_IF_ERROR(Read(node, b));
    return OkStatus();
  }

 private:
  /// Calls `run(append)`, where `append(builder, i)` appends value i of leaf `node`, for the
  /// common forms; nullopt for the others (which Value converts).
  template <typename Run>
  std::optional<Status> WithAppender(const SchemaNode& node, Run run) {
    const LeafColumn& leaf = schema_.leaves[node.leaf];
    const LeafData& d = *cursors_[node.leaf].data;
    const uint8_t* fixed = d.fixed.data();
    switch (leaf.form) {
      case LeafForm::kBoolean:
        return run([fixed](ColumnBuilder& b, size_t i) { b.AppendBoolean(fixed[i] != 0); });
      case LeafForm::kInt32:
        return run([fixed](ColumnBuilder& b, size_t i) {
          b.AppendInt32(Load<int32_t>(fixed + 4 * i));
        });
      case LeafForm::kInt64:
        return run([fixed](ColumnBuilder& b, size_t i) {
          b.AppendInt64(Load<int64_t>(fixed + 8 * i));
        });
      case LeafForm::kFloat:
        return run([fixed](ColumnBuilder& b, size_t i) {
          b.AppendFloat32(Load<float>(fixed + 4 * i));
        });
      case LeafForm::kDouble:
        return run([fixed](ColumnBuilder& b, size_t i) {
          b.AppendFloat64(Load<double>(fixed + 8 * i));
        });
      case LeafForm::kUuid:
        return run([fixed](ColumnBuilder& b, size_t i) { b.AppendUuid(fixed + 16 * i); });
      case LeafForm::kBytes:
        if (leaf.physical_type == PhysicalType::kByteArray) {
          return run([&d](ColumnBuilder& b, size_t i) { b.AppendBytes(d.strings[i]); });
        }
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  /// A non-repeated top-level leaf: a null where the definition level is below the node's,
  /// else the next value.
  template <typename Append>
  Status Flat(const SchemaNode& node, size_t records, ColumnBuilder& b, Append append) {
    LeafCursor& c = cursors_[node.leaf];
    const LeafData& d = *c.data;
    if (d.num_levels - c.level < records) return Corrupt(node, "the levels end early");
    const int16_t* defs =
        d.definition_levels.empty() ? nullptr : d.definition_levels.data() + c.level;
    size_t v = c.value;
    bool all_present = !node.optional ||
                       (defs != nullptr && AllAtLeast(defs, records, node.definition_level));
    if (all_present) {
      if (d.num_values - v < records) return Corrupt(node, "fewer values than levels say");
      if (size_t width = SameLayoutWidth(schema_.leaves[node.leaf]); width > 0) {
        b.AppendFixedWidth(d.fixed.data() + width * v, records);
      } else {
        for (size_t r = 0; r < records; ++r) append(b, v + r);
      }
      v += records;
    } else if (size_t width = SameLayoutWidth(schema_.leaves[node.leaf]); width > 0 && defs) {
      // Runs of present values, each one copy; nulls one by one.
      for (size_t r = 0; r < records;) {
        if (defs[r] < node.definition_level) {
          b.AppendNull();
          ++r;
          continue;
        }
        size_t end = r + 1;
        while (end < records && defs[end] >= node.definition_level) ++end;
        if (d.num_values - v < end - r) return Corrupt(node, "fewer values than levels say");
        b.AppendFixedWidth(d.fixed.data() + width * v, end - r);
        v += end - r;
        r = end;
      }
    } else {
      for (size_t r = 0; r < records; ++r) {
        int16_t def = defs == nullptr ? 0 : defs[r];
        if (def < node.definition_level) {
          b.AppendNull();
          continue;
        }
        if (v >= d.num_values) return Corrupt(node, "fewer values than levels say");
        append(b, v++);
      }
    }
    c.value = v;
    c.level += records;
    return OkStatus();
  }

  /// A list whose element is a leaf: Read's walk of the list and of each element, unrolled.
  template <typename Append>
  Status ListOfLeaves(const SchemaNode& node, size_t records, ColumnBuilder& b, Append append) {
    const SchemaNode& element = node.children[0];
    LeafCursor& c = cursors_[element.leaf];
    const LeafData& d = *c.data;
    const int16_t* defs = d.definition_levels.empty() ? nullptr : d.definition_levels.data();
    const int16_t* reps = d.repetition_levels.data();
    auto element_rep = static_cast<int16_t>(node.repetition_level + 1);
    ColumnBuilder& elements = b.child();
    for (size_t r = 0; r < records; ++r) {
      if (c.level >= d.num_levels) return Corrupt(node, "the levels end early");
      int16_t def = defs == nullptr ? 0 : defs[c.level];
      if (node.optional && def < node.definition_level) {
        b.AppendNull();
        ++c.level;
        continue;
      }
      b.BeginList();
      if (def <= node.definition_level) {  // present, empty
        ++c.level;
        b.EndList();
        continue;
      }
      do {
        def = defs == nullptr ? 0 : defs[c.level];
        if (element.optional && def < element.definition_level) {
          elements.AppendNull();
        } else {
          if (c.value >= d.num_values) return Corrupt(element, "fewer values than levels say");
          append(elements, c.value++);
        }
        ++c.level;
      } while (c.level < d.num_levels && reps[c.level] == element_rep);
      b.EndList();
    }
    return OkStatus();
  }

  size_t FirstLeaf(const SchemaNode& node) const {
    const SchemaNode* n = &node;
    while (n->kind != SchemaNode::Kind::kLeaf) n = &n->children[0];
    return n->leaf;
  }

  int16_t DefinitionAt(const LeafCursor& c, const SchemaNode& node) const {
    (void)node;
    return c.data->definition_levels.empty() ? 0 : c.data->definition_levels[c.level];
  }

  /// Every leaf under `node` moves past one entry without a value (a null or empty here).
  void Skip(const SchemaNode& node) {
    if (node.kind == SchemaNode::Kind::kLeaf) {
      ++cursors_[node.leaf].level;
      return;
    }
    for (const SchemaNode& child : node.children) Skip(child);
  }

  Error Corrupt(const SchemaNode& node, const std::string& what) const {
    return Error(ErrorCode::kCorrupt, "parquet: column " +
                                          DottedPath(schema_.leaves[FirstLeaf(node)].path) +
                                          ": " + what);
  }

  Status Value(const SchemaNode& node, ColumnBuilder& b) {
    LeafCursor& c = cursors_[node.leaf];
    const LeafColumn& leaf = schema_.leaves[node.leaf];
    const LeafData& d = *c.data;
    if (c.value >= d.num_values) return Corrupt(node, "fewer values than levels say");
    size_t i = c.value++;
    ++c.level;
    const uint8_t* fixed = d.fixed.data();
    switch (leaf.form) {
      case LeafForm::kBoolean:
        b.AppendBoolean(fixed[i] != 0);
        break;
      case LeafForm::kInt32:
        b.AppendInt32(Load<int32_t>(fixed + 4 * i));
        break;
      case LeafForm::kInt32FromInt8:
      case LeafForm::kInt32FromInt16: {
        int32_t v = Load<int32_t>(fixed + 4 * i);
        bool is8 = leaf.form == LeafForm::kInt32FromInt8;
        if (is8 ? (v < -128 || v > 127) : (v < -32768 || v > 32767)) {
          return Corrupt(node, std::to_string(v) + " does not fit its INT(" + (is8 ? "8" : "16") +
                                   ")");
        }
        if (is8) {
          b.AppendInt8(static_cast<int8_t>(v));
        } else {
          b.AppendInt16(static_cast<int16_t>(v));
        }
        break;
      }
      case LeafForm::kUint32:
        b.AppendInt64(Load<uint32_t>(fixed + 4 * i));
        break;
      case LeafForm::kInt32Millis:
        b.AppendTime(int64_t{Load<int32_t>(fixed + 4 * i)} * 1'000'000);
        break;
      case LeafForm::kInt64:
        b.AppendInt64(Load<int64_t>(fixed + 8 * i));
        break;
      case LeafForm::kInt64Micros: {
        int64_t v = Load<int64_t>(fixed + 8 * i);
        if (b.type()->kind() == data::TypeKind::kTime) {
          b.AppendTime(v * 1000);
        } else {
          b.AppendTimestamp(FloorDiv(v, 1000));
        }
        break;
      }
      case LeafForm::kInt64Nanos:
        b.AppendTimestamp(FloorDiv(Load<int64_t>(fixed + 8 * i), 1'000'000));
        break;
      case LeafForm::kInt96: {
        const uint8_t* p = fixed + 12 * i;
        auto nanos = Load<int64_t>(p);
        auto day = int64_t{Load<int32_t>(p + 8)};
        b.AppendTimestamp((day - kJulianDayOfEpoch) * kMillisPerDay + FloorDiv(nanos, 1'000'000));
        break;
      }
      case LeafForm::kUint64: {
        uint8_t buf[9];
        size_t len = 0;
        AppendMinimal(Load<int64_t>(fixed + 8 * i), buf, len, /*unsigned_value=*/true);
        b.AppendBytes(BytesView(buf, len));
        break;
      }
      case LeafForm::kFloat:
        b.AppendFloat32(Load<float>(fixed + 4 * i));
        break;
      case LeafForm::kFloat16:
        b.AppendFloat32(HalfToFloat(Load<uint16_t>(fixed + 2 * i)));
        break;
      case LeafForm::kDouble:
        b.AppendFloat64(Load<double>(fixed + 8 * i));
        break;
      case LeafForm::kBytes:
        if (leaf.physical_type == PhysicalType::kFixedLenByteArray) {
          auto width = static_cast<size_t>(leaf.type_length);
          b.AppendBytes(BytesView(fixed + width * i, width));
        } else {
          b.AppendBytes(d.strings[i]);
        }
        break;
      case LeafForm::kUuid:
        b.AppendUuid(fixed + 16 * i);
        break;
      case LeafForm::kDecimalFixed: {
        int32_t scale = schema_.elements[leaf.element].logical_type.kind ==
                                LogicalTypeAnnotation::Kind::kDecimal
                            ? schema_.elements[leaf.element].logical_type.scale
                            : schema_.elements[leaf.element].scale.value_or(0);
        uint8_t buf[9];
        size_t len = 0;
        switch (leaf.physical_type) {
          case PhysicalType::kInt32:
            AppendMinimal(Load<int32_t>(fixed + 4 * i), buf, len);
            b.AppendDecimal(BytesView(buf, len), scale);
            break;
          case PhysicalType::kInt64:
            AppendMinimal(Load<int64_t>(fixed + 8 * i), buf, len);
            b.AppendDecimal(BytesView(buf, len), scale);
            break;
          case PhysicalType::kFixedLenByteArray: {
            auto width = static_cast<size_t>(leaf.type_length);
            b.AppendDecimal(Minimal(BytesView(fixed + width * i, width)), scale);
            break;
          }
          default:
            b.AppendDecimal(Minimal(d.strings[i]), scale);
        }
        break;
      }
      default:
        return Corrupt(node, "a value form the reader does not convert");
    }
    return OkStatus();
  }

  const ParquetSchema& schema_;
  std::span<LeafCursor> cursors_;
};

}  // namespace

Status Assemble(const SchemaNode& node, const ParquetSchema& schema, size_t records,
                std::span<LeafCursor> cursors, data::ColumnBuilder& builder) {
  Assembler assembler(schema, cursors);
  return assembler.ReadRecords(node, records, builder);
}

}  // namespace cqlbulk::formats::parquet
