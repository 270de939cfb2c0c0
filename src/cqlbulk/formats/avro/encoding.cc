// SPDX-License-Identifier: Apache-2.0
// The binary encoding (Avro 1.11 specification, "Binary Encoding"): Encode, and Decoder's
// reads with the writer's schema. Decoder's reads through a Resolution are in resolve.cc.
#include "cqlbulk/formats/avro/encoding.h"

#include <bit>
#include <cstring>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/varint.h"
#include "cqlbulk/formats/text/json_parse.h"

namespace cqlbulk::formats::avro {
namespace {

static_assert(static_cast<int>(Value::Kind::kFixed) == static_cast<int>(Type::kFixed) &&
                  static_cast<int>(Value::Kind::kUnion) == static_cast<int>(Type::kUnion) &&
                  static_cast<int>(Value::Kind::kRecord) == static_cast<int>(Type::kRecord),
              "Value::Kind and Type list the Avro types in the same order");

Type TypeOf(const Value& v) { return static_cast<Type>(v.kind()); }

// Values that take no bytes that any input may hold, beside one per byte of input.
constexpr uint64_t kZeroSizeAllowance = 4096;

void WriteLong(int64_t v, data::Buffer& out) {
  uint64_t z = ZigZagEncode(v);
  uint8_t* p = out.Grow(10);
  size_t n = 0;
  while (z >= 0x80) {
    p[n++] = static_cast<uint8_t>(z | 0x80);
    z >>= 7;
  }
  p[n++] = static_cast<uint8_t>(z);
  out.Truncate(out.size() - 10 + n);
}

void WriteLengthPrefixed(std::string_view bytes, data::Buffer& out) {
  WriteLong(static_cast<int64_t>(bytes.size()), out);
  out.Append(AsBytes(bytes));
}

// Renders a path of record fields, array indexes and map keys after the root's name.
template <typename Steps>
std::string RenderPath(const Schema& schema, const Steps& steps) {
  const Node& root = schema.root_node();
  std::string out = root.is_named() ? root.full_name : "value";
  for (const auto& step : steps) {
    if (step.field != nullptr) {
      out += '.';
      out += *step.field;
    } else if (step.index >= 0) {
      out += '[' + std::to_string(step.index) + ']';
    } else {
      out += '[' + QuoteForError(step.key) + ']';
    }
  }
  return out;
}

class Encoder {
 public:
  Encoder(const Schema& schema, data::Buffer& out) : schema_(schema), out_(out) {}

  Status Write(NodeId id, const Value& value) {
    const Node& n = schema_.node(id);
    if (n.type == Type::kUnion) {
      CQLBULK_ASSIGN_OR_RETURN(size_t branch, ChooseBranch(schema_, id, value));
      WriteLong(static_cast<int64_t>(branch), out_);
      return Write(n.children[branch], value.Unwrapped());
    }
    if (TypeOf(value) != n.type) {
      return Fail("expected " + std::string(TypeName(n.type)) + ", got " +
                  std::string(KindName(value.kind())));
    }
    switch (n.type) {
      case Type::kNull:
        return OkStatus();
      case Type::kBoolean:
        out_.Append<uint8_t>(value.boolean() ? 1 : 0);
        return OkStatus();
      case Type::kInt:
        WriteLong(value.int_value(), out_);
        return OkStatus();
      case Type::kLong:
        WriteLong(value.long_value(), out_);
        return OkStatus();
      case Type::kFloat: {
        uint32_t bits = std::bit_cast<uint32_t>(value.float_value());
        for (int i = 0; i < 4; ++i) out_.Append(static_cast<uint8_t>(bits >> (8 * i)));
        return OkStatus();
      }
      case Type::kDouble: {
        uint64_t bits = std::bit_cast<uint64_t>(value.double_value());
        for (int i = 0; i < 8; ++i) out_.Append(static_cast<uint8_t>(bits >> (8 * i)));
        return OkStatus();
      }
      case Type::kBytes:
        WriteLengthPrefixed(value.chars(), out_);
        return OkStatus();
      case Type::kString:
        if (std::optional<size_t> bad = FindInvalidUtf8(value.chars())) {
          return Fail("a string is not UTF-8 (byte " + std::to_string(*bad) + ")");
        }
        WriteLengthPrefixed(value.chars(), out_);
        return OkStatus();
      case Type::kFixed:
        if (value.chars().size() != static_cast<size_t>(n.size)) {
          return Fail("fixed " + n.full_name + " holds " + std::to_string(n.size) +
                      " bytes, got " + std::to_string(value.chars().size()));
        }
        out_.Append(value.bytes());
        return OkStatus();
      case Type::kEnum:
        if (value.index() < 0 || static_cast<size_t>(value.index()) >= n.symbols.size()) {
          return Fail("enum " + n.full_name + " has " + std::to_string(n.symbols.size()) +
                      " symbols, got index " + std::to_string(value.index()));
        }
        WriteLong(value.index(), out_);
        return OkStatus();
      case Type::kRecord:
        return WriteRecord(n, value);
      case Type::kArray:
        if (!value.items().empty()) {
          WriteLong(static_cast<int64_t>(value.items().size()), out_);
          for (size_t i = 0; i < value.items().size(); ++i) {
            path_.push_back(Step::Index(static_cast<int64_t>(i)));
            CQLBULK_RETURN_IF_ERROR(Write(n.items(), value.items()[i]));
            path_.pop_back();
          }
        }
        WriteLong(0, out_);
        return OkStatus();
      case Type::kMap:
        if (!value.entries().empty()) {
          WriteLong(static_cast<int64_t>(value.entries().size()), out_);
          for (const MapEntry& e : value.entries()) {
            path_.push_back(Step::Key(e.key));
            if (FindInvalidUtf8(e.key)) {
              return Fail("a map key is not UTF-8");
            }
            WriteLengthPrefixed(e.key, out_);
            CQLBULK_RETURN_IF_ERROR(Write(n.values(), e.value));
            path_.pop_back();
          }
        }
        WriteLong(0, out_);
        return OkStatus();
      case Type::kUnion:
        break;
    }
    return Internal("unreachable");
  }

 private:
  struct Step {
    const std::string* field = nullptr;
    std::string_view key;
    int64_t index = -1;

    static Step Field(const std::string& name) { return {&name, {}, -1}; }
    static Step Key(std::string_view key) { return {nullptr, key, -1}; }
    static Step Index(int64_t index) { return {nullptr, {}, index}; }
  };

  Status WriteRecord(const Node& n, const Value& value) {
    if (value.fields().size() != n.fields.size()) {
      return Fail("record " + n.full_name + " has " + std::to_string(n.fields.size()) +
                  " fields, got " + std::to_string(value.fields().size()));
    }
    for (size_t i = 0; i < n.fields.size(); ++i) {
      path_.push_back(Step::Field(n.fields[i].name));
      CQLBULK_RETURN_IF_ERROR(Write(n.fields[i].type, value.fields()[i]));
      path_.pop_back();
    }
    return OkStatus();
  }

  Error Fail(std::string_view what) const {
    return InvalidArgument(RenderPath(schema_, path_) + ": " + std::string(what));
  }

  const Schema& schema_;
  data::Buffer& out_;
  std::vector<Step> path_;
};

}  // namespace

Result<size_t> ChooseBranch(const Schema& schema, NodeId union_id, const Value& value) {
  const Node& n = schema.node(union_id);
  if (value.kind() == Value::Kind::kUnion) {
    if (value.index() < 0 || static_cast<size_t>(value.index()) >= n.children.size()) {
      return InvalidArgument("the union has " + std::to_string(n.children.size()) +
                             " branches, got branch " + std::to_string(value.index()));
    }
    return static_cast<size_t>(value.index());
  }
  for (size_t i = 0; i < n.children.size(); ++i) {
    if (schema.node(n.children[i]).type == TypeOf(value)) {
      return i;
    }
  }
  return InvalidArgument("the union has no " + std::string(KindName(value.kind())) + " branch");
}

Status Encode(const Schema& schema, NodeId id, const Value& value, data::Buffer& out) {
  size_t start = out.size();
  Status status = Encoder(schema, out).Write(id, value);
  if (!status.has_value()) {
    out.Truncate(start);
  }
  return status;
}

Decoder::Decoder(const Schema& schema, BytesView data) noexcept
    : schema_(&schema), data_(data), zero_size_budget_(data.size() + kZeroSizeAllowance) {}

Result<Value> Decoder::Decode(NodeId id) {
  path_.clear();
  depth_ = 0;
  return Read(id);
}

Status Decoder::SpendZeroSize(uint64_t n, std::string_view what) {
  if (n > zero_size_budget_) {
    return Corrupt(std::to_string(n) + " " + std::string(what) +
                   " of no bytes each are more than the input can hold");
  }
  zero_size_budget_ -= n;
  return OkStatus();
}

Status Decoder::Enter() {
  if (++depth_ > kMaxDepth) {
    --depth_;
    return Corrupt("values nested more than " + std::to_string(kMaxDepth) + " deep");
  }
  return OkStatus();
}

std::string Decoder::Path() const { return RenderPath(*schema_, path_); }

Error Decoder::Corrupt(std::string_view what) const {
  return cqlbulk::Corrupt(Path() + ": " + std::string(what) + " at byte " + std::to_string(pos_));
}

Error Decoder::Mismatch(std::string_view what) const {
  return InvalidArgument(Path() + ": " + std::string(what) + " at byte " + std::to_string(pos_));
}

Result<int64_t> Decoder::ReadLong() {
  uint64_t z = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ == data_.size()) {
      return Corrupt("the input ends inside a varint");
    }
    uint8_t b = data_[pos_++];
    if (shift == 63 && b > 1) {
      break;
    }
    z |= uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80) == 0) {
      return ZigZagDecode(z);
    }
  }
  return Corrupt("a varint longer than 64 bits");
}

Result<int32_t> Decoder::ReadInt() {
  CQLBULK_ASSIGN_OR_RETURN(int64_t v, ReadLong());
  if (v < INT32_MIN || v > INT32_MAX) {
    return Corrupt("int " + std::to_string(v) + " is out of range");
  }
  return static_cast<int32_t>(v);
}

Result<BytesView> Decoder::ReadFixedBytes(size_t n, std::string_view what) {
  if (n > remaining()) {
    return Corrupt(std::string(what) + " of " + std::to_string(n) +
                   " bytes passes the end of the input (" + std::to_string(remaining()) +
                   " bytes left)");
  }
  BytesView out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

Result<std::string_view> Decoder::ReadLengthPrefixed(std::string_view what) {
  CQLBULK_ASSIGN_OR_RETURN(int64_t length, ReadLong());
  if (length < 0) {
    return Corrupt(std::string(what) + " of negative length " + std::to_string(length));
  }
  CQLBULK_ASSIGN_OR_RETURN(BytesView bytes, ReadFixedBytes(static_cast<uint64_t>(length), what));
  return AsChars(bytes);
}

Result<uint64_t> Decoder::ReadBlockCount(size_t min_item_bytes) {
  CQLBULK_ASSIGN_OR_RETURN(int64_t count, ReadLong());
  if (count < 0) {
    // "If a block's count is negative, its absolute value is used, and the count is followed
    // immediately by a long block size".
    if (count == INT64_MIN) {
      return Corrupt("block count " + std::to_string(count) + " is out of range");
    }
    count = -count;
    CQLBULK_ASSIGN_OR_RETURN(int64_t size, ReadLong());
    if (size < 0 || static_cast<uint64_t>(size) > remaining()) {
      return Corrupt("block of " + std::to_string(size) + " bytes passes the end of the input (" +
                     std::to_string(remaining()) + " bytes left)");
    }
  }
  auto n = static_cast<uint64_t>(count);
  if (min_item_bytes == 0) {
    CQLBULK_RETURN_IF_ERROR(SpendZeroSize(n, "items"));
  } else if (n > remaining() / min_item_bytes) {
    return Corrupt("block of " + std::to_string(n) + " items of at least " +
                   std::to_string(min_item_bytes) + " bytes passes the end of the input (" +
                   std::to_string(remaining()) + " bytes left)");
  }
  return n;
}

Result<Value> Decoder::Read(NodeId id) {
  const Node& n = schema_->node(id);
  switch (n.type) {
    case Type::kNull:
      return Value::Null();
    case Type::kBoolean: {
      CQLBULK_ASSIGN_OR_RETURN(BytesView b, ReadFixedBytes(1, "boolean"));
      if (b[0] > 1) {
        return Corrupt("boolean byte " + std::to_string(b[0]) + " is neither 0 nor 1");
      }
      return Value::Boolean(b[0] == 1);
    }
    case Type::kInt: {
      CQLBULK_ASSIGN_OR_RETURN(int32_t v, ReadInt());
      return Value::Int(v);
    }
    case Type::kLong: {
      CQLBULK_ASSIGN_OR_RETURN(int64_t v, ReadLong());
      return Value::Long(v);
    }
    case Type::kFloat: {
      CQLBULK_ASSIGN_OR_RETURN(BytesView b, ReadFixedBytes(4, "float"));
      uint32_t bits = uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 |
                      uint32_t{b[3]} << 24;
      return Value::Float(std::bit_cast<float>(bits));
    }
    case Type::kDouble: {
      CQLBULK_ASSIGN_OR_RETURN(BytesView b, ReadFixedBytes(8, "double"));
      uint64_t bits = 0;
      for (int i = 7; i >= 0; --i) bits = bits << 8 | b[static_cast<size_t>(i)];
      return Value::Double(std::bit_cast<double>(bits));
    }
    case Type::kBytes: {
      CQLBULK_ASSIGN_OR_RETURN(std::string_view b, ReadLengthPrefixed("bytes"));
      return Value::BytesFromChars(std::string(b));
    }
    case Type::kString: {
      size_t start = pos_;
      CQLBULK_ASSIGN_OR_RETURN(std::string_view s, ReadLengthPrefixed("string"));
      if (std::optional<size_t> bad = FindInvalidUtf8(s)) {
        pos_ = start;
        return Corrupt("string is not UTF-8 (its byte " + std::to_string(*bad) + ")");
      }
      return Value::String(std::string(s));
    }
    case Type::kFixed: {
      CQLBULK_ASSIGN_OR_RETURN(BytesView b, ReadFixedBytes(static_cast<size_t>(n.size), "fixed"));
      return Value::Fixed(b);
    }
    case Type::kEnum: {
      CQLBULK_ASSIGN_OR_RETURN(int32_t index, ReadInt());
      if (index < 0 || static_cast<size_t>(index) >= n.symbols.size()) {
        return Corrupt("enum index " + std::to_string(index) + " is not one of the " +
                       std::to_string(n.symbols.size()) + " symbols of " + n.full_name);
      }
      return Value::Enum(index);
    }
    case Type::kRecord:
      return ReadRecord(n);
    case Type::kArray:
    case Type::kMap:
      return ReadBlocks(n, std::nullopt);
    case Type::kUnion: {
      CQLBULK_ASSIGN_OR_RETURN(int64_t branch, ReadLong());
      if (branch < 0 || static_cast<uint64_t>(branch) >= n.children.size()) {
        return Corrupt("union branch " + std::to_string(branch) + " is not one of its " +
                       std::to_string(n.children.size()));
      }
      CQLBULK_ASSIGN_OR_RETURN(Value v, Read(n.children[static_cast<size_t>(branch)]));
      return Value::Union(static_cast<int32_t>(branch), std::move(v));
    }
  }
  return Internal("unreachable");
}

Result<Value> Decoder::ReadRecord(const Node& n) {
  CQLBULK_RETURN_IF_ERROR(Enter());
  std::vector<Value> fields;
  fields.reserve(n.fields.size());
  for (const Field& f : n.fields) {
    path_.push_back(PathStep::Field(f.name));
    CQLBULK_ASSIGN_OR_RETURN(Value v, Read(f.type));
    path_.pop_back();
    fields.push_back(std::move(v));
  }
  Leave();
  return Value::Record(std::move(fields));
}

// Arrays and maps: blocks of items until a block of none ("Arrays", "Maps"). `step` is the
// Resolution step of the items (or values) when reading through one.
Result<Value> Decoder::ReadBlocks(const Node& n, std::optional<uint32_t> step) {
  CQLBULK_RETURN_IF_ERROR(Enter());
  bool is_map = n.type == Type::kMap;
  NodeId child = n.children.front();
  size_t min_item_bytes = schema_->min_encoded_bytes(child) + (is_map ? 1 : 0);
  std::vector<Value> items;
  std::vector<MapEntry> entries;
  int64_t index = 0;
  while (true) {
    CQLBULK_ASSIGN_OR_RETURN(uint64_t count, ReadBlockCount(min_item_bytes));
    if (count == 0) {
      break;
    }
    for (uint64_t i = 0; i < count; ++i, ++index) {
      std::string_view key;
      if (is_map) {
        path_.push_back(PathStep::Index(index));
        CQLBULK_ASSIGN_OR_RETURN(key, ReadLengthPrefixed("map key"));
        if (FindInvalidUtf8(key)) {
          return Corrupt("map key is not UTF-8");
        }
        path_.back() = PathStep::Key(key);
      } else {
        path_.push_back(PathStep::Index(index));
      }
      Result<Value> v = step ? ReadResolved(*step) : Read(child);
      if (!v.has_value()) {
        return std::move(v).error();
      }
      path_.pop_back();
      if (is_map) {
        entries.push_back({std::string(key), std::move(*v)});
      } else {
        items.push_back(std::move(*v));
      }
    }
  }
  Leave();
  return is_map ? Value::Map(std::move(entries)) : Value::Array(std::move(items));
}

Result<Value> Decode(const Schema& schema, BytesView data) {
  Decoder decoder(schema, data);
  CQLBULK_ASSIGN_OR_RETURN(Value v, decoder.Next());
  if (!decoder.empty()) {
    return Corrupt(std::to_string(decoder.remaining()) + " bytes follow the value at byte " +
                   std::to_string(decoder.position()));
  }
  return v;
}

}  // namespace cqlbulk::formats::avro
