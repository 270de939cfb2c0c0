// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/shred.h"

#include <cstring>
#include <limits>
#include <string>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/text/scalar_text.h"

namespace cqlbulk::formats::parquet {
namespace {

using data::Column;
// A GCC/Clang extension; `__extension__` keeps -Wpedantic quiet.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 Uint128;

constexpr Int128 Pow10(int n) {
  Int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

/// `digits` decimal digits hold |v| < 10^digits; 10^38 < 2^127, so up to 38 digits fit.
bool FitsDigits(Int128 v, int digits) {
  Int128 limit = Pow10(digits);
  return v < limit && v > -limit;
}

/// \brief The unscaled value of a DECIMAL(precision, scale) for (unscaled, value_scale):
/// rescaled, rounding half to even when digits are dropped (*changed is set then).
/// kInvalidArgument when the value does not fit the precision.
Result<Int128> Rescale(BytesView unscaled, int32_t value_scale, int32_t scale, int32_t precision,
                       bool* changed) {
  auto too_big = [&] {
    return Error(ErrorCode::kInvalidArgument,
                 "does not fit decimal(" + std::to_string(precision) + ", " +
                     std::to_string(scale) + ")");
  };
  // Sign-extend the big-endian two's complement bytes, dropping redundant leading ones.
  size_t skip = 0;
  while (unscaled.size() - skip > 16 &&
         (unscaled[skip] == 0x00 || unscaled[skip] == 0xff) &&
         ((unscaled[skip + 1] ^ unscaled[skip]) & 0x80) == 0) {
    ++skip;
  }
  if (unscaled.size() - skip > 16) return too_big();
  Int128 v = (!unscaled.empty() && (unscaled[skip] & 0x80)) ? -1 : 0;
  for (size_t i = skip; i < unscaled.size(); ++i) {
    v = static_cast<Int128>((static_cast<Uint128>(v) << 8) | unscaled[i]);
  }
  int64_t shift = int64_t{scale} - value_scale;
  if (shift > 0) {
    if (v != 0) {
      if (shift > 38 || !FitsDigits(v, static_cast<int>(38 - shift))) return too_big();
      v *= Pow10(static_cast<int>(shift));
    }
  } else if (shift < 0) {
    if (shift < -38) {
      *changed = *changed || v != 0;
      v = 0;  // |v| < 2^127 < 0.5 * 10^39: rounds to 0
    } else {
      Int128 divisor = Pow10(static_cast<int>(-shift));
      Int128 q = v / divisor;
      Int128 r = v % divisor;
      if (r != 0) {
        *changed = true;
        Int128 twice = (r < 0 ? -r : r) * 2;  // < 2 * 10^38: fits
        if (twice > divisor || (twice == divisor && (q & 1) != 0)) q += (v < 0 ? -1 : 1);
      }
      v = q;
    }
  }
  if (!FitsDigits(v, precision)) return too_big();
  return v;
}

class Shredder {
 public:
  Shredder(const ParquetSchema& schema, std::span<LeafData> leaves)
      : schema_(schema), leaves_(leaves) {}

  void EmitNull(const SchemaNode& node, int16_t def, int16_t rep) {
    switch (node.kind) {
      case SchemaNode::Kind::kLeaf:
        PushLevels(node.leaf, def, rep);
        return;
      case SchemaNode::Kind::kDuration:
        for (size_t i = 0; i < 3; ++i) PushLevels(node.leaf + i, def, rep);
        return;
      default:
        for (const SchemaNode& child : node.children) EmitNull(child, def, rep);
    }
  }

  Status EmitValue(const SchemaNode& node, const Column& c, size_t row, int16_t rep) {
    if (c.IsNull(row)) {
      EmitNull(node, static_cast<int16_t>(node.definition_level - (node.optional ? 1 : 0)), rep);
      return OkStatus();
    }
    switch (node.kind) {
      case SchemaNode::Kind::kLeaf:
        PushLevels(node.leaf, node.definition_level, rep);
        return AppendValue(leaves_[node.leaf], schema_.leaves[node.leaf], c, row);
      case SchemaNode::Kind::kDuration: {
        data::DurationValue d = c.Duration(row);
        for (size_t i = 0; i < 3; ++i) PushLevels(node.leaf + i, node.definition_level, rep);
        Append(leaves_[node.leaf], d.months);
        Append(leaves_[node.leaf + 1], d.days);
        Append(leaves_[node.leaf + 2], d.nanos);
        return OkStatus();
      }
      case SchemaNode::Kind::kStruct:
        for (size_t i = 0; i < node.children.size(); ++i) {
          CQLBULK_RETURN_IF_ERROR(EmitValue(node.children[i], c.child(i), row, rep));
        }
        return OkStatus();
      case SchemaNode::Kind::kList:
      case SchemaNode::Kind::kMap: {
        auto [begin, end] = c.ElementRange(row);
        if (begin == end) {  // present but empty: the repeated level is not defined
          EmitNull(node, node.definition_level, rep);
          return OkStatus();
        }
        auto element_rep = static_cast<int16_t>(node.repetition_level + 1);
        for (size_t i = begin; i < end; ++i) {
          int16_t r = i == begin ? rep : element_rep;
          if (node.kind == SchemaNode::Kind::kList) {
            CQLBULK_RETURN_IF_ERROR(EmitValue(node.children[0], c.child(0), i, r));
          } else {
            CQLBULK_RETURN_IF_ERROR(EmitValue(node.children[0], c.map_keys(), i, r));
            CQLBULK_RETURN_IF_ERROR(EmitValue(node.children[1], c.map_values(), i, r));
          }
        }
        return OkStatus();
      }
    }
    return OkStatus();
  }

  /// A top-level leaf whose values are stored as Parquet stores them: fixed-width values
  /// (booleans as bytes 0/1) and the bytes of strings and binaries.
  static bool CopiesFlat(const SchemaNode& node, const LeafColumn& leaf) {
    if (node.kind != SchemaNode::Kind::kLeaf) return false;
    switch (leaf.form) {
      case LeafForm::kBoolean:
      case LeafForm::kInt32:
      case LeafForm::kInt64:
      case LeafForm::kFloat:
      case LeafForm::kDouble:
      case LeafForm::kUuid:
      case LeafForm::kBytes:
        return true;
      default:
        return false;
    }
  }

  /// \brief Rows [begin, end) of a CopiesFlat leaf, a slice at a time rather than a value at a
  /// time: the levels from the validity bitmap, the values copied whole when no row is null,
  /// else the valid ones packed (a null row's slot holds a default value, or no bytes).
  static void CopyFlat(const SchemaNode& node, const LeafColumn& leaf, const Column& c,
                       size_t begin, size_t end, LeafData& d) {
    size_t n = end - begin;
    const uint8_t* validity = c.validity_bitmap();
    auto valid = [validity](size_t row) { return ((validity[row >> 3] >> (row & 7)) & 1) != 0; };
    // Without nulls every level is the maximum: left out (LeafData::AllDefined).
    if (leaf.max_definition_level > 0 && validity != nullptr) {
      size_t before = d.definition_levels.size();
      d.definition_levels.resize(before + n, node.definition_level);
      auto null_level = static_cast<int16_t>(node.definition_level - (node.optional ? 1 : 0));
      int16_t* levels = d.definition_levels.data() + before;
      for (size_t i = 0; i < n; ++i) {
        if (!valid(begin + i)) levels[i] = null_level;
      }
    }
    if (validity == nullptr && d.num_levels == 0 && !d.borrowed) {
      // Nothing to pack and nothing before: the writer reads the values where they are.
      d.num_levels = n;
      d.num_values = n;
      d.borrowed = true;
      if (leaf.form == LeafForm::kBytes) {
        d.borrowed_strings = ByteArraysView{c.values().data(), c.offsets().data() + begin, n};
      } else {
        auto width = static_cast<size_t>(c.type()->fixed_width());
        d.borrowed_fixed = c.values().subspan(begin * width, n * width);
      }
      return;
    }
    d.num_levels += n;
    size_t present = validity == nullptr ? n : n - CountNulls(valid, begin, end);
    d.num_values += present;
    if (leaf.form == LeafForm::kBytes) {
      CopyByteArrays(c, begin, end, validity == nullptr ? nullptr : &valid, present, d);
      return;
    }
    auto width = static_cast<size_t>(c.type()->fixed_width());
    BytesView values = c.values().subspan(begin * width, n * width);
    if (validity == nullptr) {
      d.fixed.Append(values);
      return;
    }
    uint8_t* out = d.fixed.Grow(present * width);
    switch (width) {  // a constant width makes each copy a load and a store
      case 1:
        return PackValid<1>(values.data(), n, begin, valid, out);
      case 4:
        return PackValid<4>(values.data(), n, begin, valid, out);
      case 8:
        return PackValid<8>(values.data(), n, begin, valid, out);
      default:
        return PackValid<16>(values.data(), n, begin, valid, out);
    }
  }

  /// A top-level leaf written as text (the exact forms of decimals, varints and inets).
  static bool WritesText(const SchemaNode& node, const LeafColumn& leaf) {
    return node.kind == SchemaNode::Kind::kLeaf &&
           (leaf.form == LeafForm::kDecimalText || leaf.form == LeafForm::kBigIntegerText ||
            leaf.form == LeafForm::kInetText);
  }

  /// \brief Rows [begin, end) of a WritesText leaf in one loop: what EmitValue does for each
  /// row, without its dispatch (levels as CopyFlat makes them).
  static void WriteTexts(const SchemaNode& node, const LeafColumn& leaf, const Column& c,
                         size_t begin, size_t end, LeafData& d) {
    size_t n = end - begin;
    bool nulls = c.null_count() > 0;
    if (leaf.max_definition_level > 0 && nulls) {
      auto null_level = static_cast<int16_t>(node.definition_level - (node.optional ? 1 : 0));
      size_t before = d.definition_levels.size();
      d.definition_levels.resize(before + n, node.definition_level);
      int16_t* levels = d.definition_levels.data() + before;
      for (size_t i = 0; i < n; ++i) {
        if (c.IsNull(begin + i)) levels[i] = null_level;
      }
    }
    d.num_levels += n;
    for (size_t row = begin; row < end; ++row) {
      if (nulls && c.IsNull(row)) continue;
      BytesView b = c.Bytes(row);
      switch (leaf.form) {
        case LeafForm::kDecimalText: {
          int32_t scale = c.DecimalScale(row);
          AppendText(d, DecimalTextBound(b.size()),
                     [&](char* p) { return WriteDecimal(p, b, scale); });
          break;
        }
        case LeafForm::kBigIntegerText:
          AppendText(d, BigIntegerTextBound(b.size()),
                     [&](char* p) { return WriteBigInteger(p, b); });
          break;
        default:
          AppendText(d, InetTextBound(b.size()), [&](char* p) { return WriteInet(p, b); });
      }
    }
  }

 private:
  template <typename Valid>
  static size_t CountNulls(const Valid& valid, size_t begin, size_t end) {
    size_t nulls = 0;
    for (size_t row = begin; row < end; ++row) nulls += valid(row) ? 0 : 1;
    return nulls;
  }

  template <size_t kWidth, typename Valid>
  static void PackValid(const uint8_t* values, size_t n, size_t begin, const Valid& valid,
                        uint8_t* out) {
    for (size_t i = 0; i < n; ++i) {
      if (valid(begin + i)) {
        std::memcpy(out, values + i * kWidth, kWidth);
        out += kWidth;
      }
    }
  }

  /// The bytes of rows [begin, end) in one copy (a null row's are empty) and their offsets,
  /// rebased, for the valid rows (`valid` null: every row).
  template <typename Valid>
  static void CopyByteArrays(const Column& c, size_t begin, size_t end, const Valid* valid,
                             size_t present, LeafData& d) {
    std::span<const int32_t> offsets = c.offsets();
    ByteArrays& strings = d.strings;
    if (strings.offsets.empty()) strings.offsets.Append<int32_t>(0);
    auto base = static_cast<int32_t>(strings.bytes.size());
    int32_t shift = base - offsets[begin];
    strings.bytes.Append(c.values().subspan(static_cast<size_t>(offsets[begin]),
                                            static_cast<size_t>(offsets[end] - offsets[begin])));
    auto* out = reinterpret_cast<int32_t*>(strings.offsets.Grow(present * sizeof(int32_t)));
    if (valid == nullptr) {
      for (size_t row = begin; row < end; ++row) *out++ = offsets[row + 1] + shift;
      return;
    }
    for (size_t row = begin; row < end; ++row) {
      if ((*valid)(row)) *out++ = offsets[row + 1] + shift;
    }
  }

  void PushLevels(size_t leaf_index, int16_t def, int16_t rep) {
    const LeafColumn& leaf = schema_.leaves[leaf_index];
    LeafData& d = leaves_[leaf_index];
    if (leaf.max_definition_level > 0) d.definition_levels.push_back(def);
    if (leaf.max_repetition_level > 0) d.repetition_levels.push_back(rep);
    ++d.num_levels;
  }

  template <typename T>
  static void Append(LeafData& d, T v) {
    d.fixed.Append(v);
    ++d.num_values;
  }

  static void AppendBytes(LeafData& d, BytesView b) {
    d.strings.Append(b);
    ++d.num_values;
  }

  /// Writes text of at most `bound` bytes with `write(char*) -> end`.
  template <typename F>
  static void AppendText(LeafData& d, size_t bound, F write) {
    data::Buffer& bytes = d.strings.bytes;
    if (d.strings.offsets.empty()) d.strings.offsets.Append<int32_t>(0);
    size_t before = bytes.size();
    char* p = reinterpret_cast<char*>(bytes.Grow(bound));
    char* e = write(p);
    bytes.Truncate(before + static_cast<size_t>(e - p));
    d.strings.offsets.Append(static_cast<int32_t>(bytes.size()));
    ++d.num_values;
  }

  Status AppendFixedDecimal(LeafData& d, const LeafColumn& leaf, const Column& c, size_t row) {
    const SchemaElement& e = schema_.elements[leaf.element];
    int32_t value_scale = c.kind() == data::TypeKind::kDecimal ? c.DecimalScale(row) : 0;
    bool changed = false;
    Result<Int128> v = Rescale(c.Bytes(row), value_scale, e.scale.value_or(0),
                               e.precision.value_or(38), &changed);
    if (!v.has_value()) {
      return Error(ErrorCode::kInvalidArgument,
                   "parquet: column " + DottedPath(leaf.path) + ": the value of row " +
                       std::to_string(row) + " " + v.error().message());
    }
    d.num_changed += changed ? 1 : 0;
    switch (leaf.physical_type) {
      case PhysicalType::kInt32:
        Append(d, static_cast<int32_t>(*v));
        break;
      case PhysicalType::kInt64:
        Append(d, static_cast<int64_t>(*v));
        break;
      default: {  // big-endian two's complement in type_length bytes
        uint8_t* p = d.fixed.Grow(static_cast<size_t>(leaf.type_length));
        auto u = static_cast<Uint128>(*v);
        for (int i = leaf.type_length - 1; i >= 0; --i, u >>= 8) p[i] = static_cast<uint8_t>(u);
        ++d.num_values;
      }
    }
    return OkStatus();
  }

  Status AppendValue(LeafData& d, const LeafColumn& leaf, const Column& c, size_t row) {
    switch (leaf.form) {
      case LeafForm::kBoolean:
        Append<uint8_t>(d, c.Boolean(row) ? 1 : 0);
        break;
      case LeafForm::kInt32:
        Append(d, c.Int32(row));
        break;
      case LeafForm::kInt32FromInt8:
        Append<int32_t>(d, c.Int8(row));
        break;
      case LeafForm::kInt32FromInt16:
        Append<int32_t>(d, c.Int16(row));
        break;
      case LeafForm::kInt64:
        Append(d, c.Int64(row));
        break;
      case LeafForm::kInt64Micros: {
        int64_t v = c.Int64(row);
        if (c.kind() == data::TypeKind::kTime) {
          d.num_changed += v % 1000 != 0 ? 1 : 0;
          Append<int64_t>(d, v / 1000);
        } else {
          int64_t micros;
          if (__builtin_mul_overflow(v, int64_t{1000}, &micros)) {
            return Error(ErrorCode::kInvalidArgument,
                         "parquet: column " + DottedPath(leaf.path) + ": the timestamp of row " +
                             std::to_string(row) + " is past the range of microseconds");
          }
          Append(d, micros);
        }
        break;
      }
      case LeafForm::kFloat:
        Append(d, c.Float32(row));
        break;
      case LeafForm::kDouble:
        Append(d, c.Float64(row));
        break;
      case LeafForm::kBytes:
        AppendBytes(d, c.Bytes(row));
        break;
      case LeafForm::kUuid:
        d.fixed.Append(c.UuidBytes(row));
        ++d.num_values;
        break;
      case LeafForm::kInetText: {
        BytesView b = c.Bytes(row);
        AppendText(d, InetTextBound(b.size()), [&](char* p) { return WriteInet(p, b); });
        break;
      }
      case LeafForm::kDecimalText: {
        BytesView b = c.DecimalUnscaled(row);
        int32_t scale = c.DecimalScale(row);
        AppendText(d, DecimalTextBound(b.size()),
                   [&](char* p) { return WriteDecimal(p, b, scale); });
        break;
      }
      case LeafForm::kBigIntegerText: {
        BytesView b = c.Bytes(row);
        AppendText(d, BigIntegerTextBound(b.size()),
                   [&](char* p) { return WriteBigInteger(p, b); });
        break;
      }
      case LeafForm::kDecimalFixed:
        return AppendFixedDecimal(d, leaf, c, row);
      case LeafForm::kDurationMonths:
      case LeafForm::kDurationDays:
      case LeafForm::kDurationNanos:
        return Error(ErrorCode::kInternal, "parquet: a duration part outside its group");
      case LeafForm::kInt32Millis:
      case LeafForm::kInt64Nanos:
      case LeafForm::kInt96:
      case LeafForm::kUint32:
      case LeafForm::kUint64:
      case LeafForm::kFloat16:
        return Error(ErrorCode::kInternal, "parquet: the writer has no use for a reader's form");
    }
    return OkStatus();
  }


  const ParquetSchema& schema_;
  std::span<LeafData> leaves_;
};

/// Own() on the LeafData of every leaf under `node`.
void OwnLeaves(const SchemaNode& node, std::span<LeafData> leaves) {
  switch (node.kind) {
    case SchemaNode::Kind::kLeaf:
      leaves[node.leaf].Own();
      return;
    case SchemaNode::Kind::kDuration:
      for (size_t i = 0; i < 3; ++i) leaves[node.leaf + i].Own();
      return;
    default:
      for (const SchemaNode& child : node.children) OwnLeaves(child, leaves);
  }
}

}  // namespace

void LeafData::Own() {
  if (!borrowed) return;
  borrowed = false;
  fixed.Append(borrowed_fixed);
  if (borrowed_strings.size > 0) {
    // Rebased onto `strings`, after what it holds.
    if (strings.offsets.empty()) strings.offsets.Append<int32_t>(0);
    const auto base = static_cast<int32_t>(strings.bytes.size());
    const int32_t* offsets = borrowed_strings.offsets;
    strings.bytes.Append(BytesView(borrowed_strings.data + offsets[0],
                                   borrowed_strings.total_bytes()));
    for (size_t i = 1; i <= borrowed_strings.size; ++i) {
      strings.offsets.Append<int32_t>(offsets[i] - offsets[0] + base);
    }
  }
  borrowed_fixed = {};
  borrowed_strings = {};
}

void LeafData::Clear() {
  borrowed = false;
  borrowed_fixed = {};
  borrowed_strings = {};
  definition_levels.clear();
  repetition_levels.clear();
  fixed.Clear();
  strings.Clear();
  num_values = 0;
  num_levels = 0;
  num_changed = 0;
}

Status Shred(const Column& column, const SchemaNode& node, const ParquetSchema& schema,
             size_t begin, size_t end, std::span<LeafData> leaves) {
  OwnLeaves(node, leaves);  // a leaf shredded into again: its borrowed values first
  Shredder shredder(schema, leaves);
  if (Shredder::CopiesFlat(node, schema.leaves[node.leaf])) {
    Shredder::CopyFlat(node, schema.leaves[node.leaf], column, begin, end, leaves[node.leaf]);
    return OkStatus();
  }
  if (Shredder::WritesText(node, schema.leaves[node.leaf])) {
    Shredder::WriteTexts(node, schema.leaves[node.leaf], column, begin, end, leaves[node.leaf]);
    return OkStatus();
  }
  for (size_t row = begin; row < end; ++row) {
    CQLBULK_RETURN_IF_ERROR(shredder.EmitValue(node, column, row, 0));
  }
  return OkStatus();
}

}  // namespace cqlbulk::formats::parquet
