// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/data_type.h"

#include <array>
#include <charconv>
#include <limits>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {
namespace {

constexpr std::string_view kMarshal = "org.apache.cassandra.db.marshal.";

struct NativeInfo {
  TypeId id;
  std::string_view cql;
  std::string_view java;  // without kMarshal
  int fixed_size;
};

constexpr std::array<NativeInfo, 21> kNatives{{
    {TypeId::kAscii, "ascii", "AsciiType", 0},
    {TypeId::kBigint, "bigint", "LongType", 8},
    {TypeId::kBlob, "blob", "BytesType", 0},
    {TypeId::kBoolean, "boolean", "BooleanType", 1},
    {TypeId::kCounter, "counter", "CounterColumnType", 8},
    {TypeId::kDecimal, "decimal", "DecimalType", 0},
    {TypeId::kDouble, "double", "DoubleType", 8},
    {TypeId::kFloat, "float", "FloatType", 4},
    {TypeId::kInt, "int", "Int32Type", 4},
    {TypeId::kTimestamp, "timestamp", "TimestampType", 8},
    {TypeId::kUuid, "uuid", "UUIDType", 16},
    {TypeId::kVarchar, "text", "UTF8Type", 0},
    {TypeId::kVarint, "varint", "IntegerType", 0},
    {TypeId::kTimeuuid, "timeuuid", "TimeUUIDType", 16},
    {TypeId::kInet, "inet", "InetAddressType", 0},
    {TypeId::kDate, "date", "SimpleDateType", 4},
    {TypeId::kTime, "time", "TimeType", 8},
    {TypeId::kSmallint, "smallint", "ShortType", 2},
    {TypeId::kTinyint, "tinyint", "ByteType", 1},
    {TypeId::kDuration, "duration", "DurationType", 0},
    {TypeId::kTimestamp, "timestamp", "DateType", 8},  // the pre-2.0 name of TimestampType
}};

const NativeInfo* FindNative(TypeId id) {
  for (const auto& n : kNatives) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

DataTypePtr Make(DataType t) { return std::make_shared<const DataType>(std::move(t)); }

/// Parses a marshal class expression: Name or Name(arg, arg, ...). Returns nullptr for
/// classes it does not map (the caller keeps them as custom).
class MarshalParser {
 public:
  explicit MarshalParser(std::string_view text) : text_(text) {}

  DataTypePtr ParseAll() {
    DataTypePtr t = Parse();
    SkipSpaces();
    return pos_ == text_.size() ? t : nullptr;
  }

 private:
  void SkipSpaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }

  std::string_view Name() {
    SkipSpaces();
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '(' && text_[pos_] != ')' && text_[pos_] != ',' &&
           text_[pos_] != ' ') {
      ++pos_;
    }
    std::string_view n = text_.substr(start, pos_ - start);
    if (n.starts_with(kMarshal)) n.remove_prefix(kMarshal.size());
    return n;
  }

  bool Eat(char c) {
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  /// Arguments after '(' up to ')'; each parsed as a type.
  bool Args(std::vector<DataTypePtr>* out) {
    if (!Eat('(')) return false;
    if (Eat(')')) return true;
    do {
      DataTypePtr t = Parse();
      if (!t) return false;
      out->push_back(std::move(t));
    } while (Eat(','));
    return Eat(')');
  }

  DataTypePtr Parse() {
    if (++depth_ > 64) return nullptr;
    std::string_view n = Name();
    DataTypePtr result;
    if (n == "FrozenType") {
      std::vector<DataTypePtr> args;
      if (Args(&args) && args.size() == 1) {
        auto t = std::make_shared<DataType>(*args[0]);
        t->frozen = true;
        result = std::move(t);
      }
    } else if (n == "ListType" || n == "SetType") {
      std::vector<DataTypePtr> args;
      if (Args(&args) && args.size() == 1) {
        result = n == "ListType" ? DataType::List(args[0]) : DataType::Set(args[0]);
      }
    } else if (n == "MapType") {
      std::vector<DataTypePtr> args;
      if (Args(&args) && args.size() == 2) result = DataType::Map(args[0], args[1]);
    } else if (n == "TupleType") {
      std::vector<DataTypePtr> args;
      if (Args(&args)) result = DataType::Tuple(std::move(args));
    } else if (n == "VectorType") {
      if (Eat('(')) {
        DataTypePtr elem = Parse();
        if (elem && Eat(',')) {
          std::string_view num = Name();
          uint32_t dim = 0;
          auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), dim);
          if (ec == std::errc() && p == num.data() + num.size() && dim > 0 && Eat(')')) {
            result = DataType::Vector(std::move(elem), dim);
          }
        }
      }
    } else {
      for (const auto& native : kNatives) {
        if (native.java == n) {
          result = DataType::Native(native.id);
          break;
        }
      }
    }
    --depth_;
    return result;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int depth_ = 0;
};

Result<std::string> ReadShortString(ByteReader& in) {
  CQLBULK_ASSIGN_OR_RETURN(uint16_t n, in.ReadU16());
  CQLBULK_ASSIGN_OR_RETURN(BytesView b, in.ReadBytes(n));
  return std::string(AsChars(b));
}

void WriteShortString(ByteWriter& out, std::string_view s) {
  out.WriteU16(static_cast<uint16_t>(s.size()));
  out.WriteChars(s);
}

Result<DataTypePtr> ReadOptionAt(ByteReader& in, int depth) {
  if (depth > 64) {
    return Error(in.truncation_code(), "type descriptor nested more than 64 levels deep");
  }
  CQLBULK_ASSIGN_OR_RETURN(uint16_t raw, in.ReadU16());
  auto id = static_cast<TypeId>(raw);
  switch (id) {
    case TypeId::kCustom: {
      CQLBULK_ASSIGN_OR_RETURN(std::string cls, ReadShortString(in));
      if (DataTypePtr known = MarshalParser(cls).ParseAll()) {
        return known;
      }
      return DataType::Custom(std::move(cls));
    }
    case TypeId::kList:
    case TypeId::kSet: {
      CQLBULK_ASSIGN_OR_RETURN(DataTypePtr elem, ReadOptionAt(in, depth + 1));
      return id == TypeId::kList ? DataType::List(std::move(elem)) : DataType::Set(std::move(elem));
    }
    case TypeId::kMap: {
      CQLBULK_ASSIGN_OR_RETURN(DataTypePtr key, ReadOptionAt(in, depth + 1));
      CQLBULK_ASSIGN_OR_RETURN(DataTypePtr value, ReadOptionAt(in, depth + 1));
      return DataType::Map(std::move(key), std::move(value));
    }
    case TypeId::kUdt: {
      CQLBULK_ASSIGN_OR_RETURN(std::string ks, ReadShortString(in));
      CQLBULK_ASSIGN_OR_RETURN(std::string name, ReadShortString(in));
      CQLBULK_ASSIGN_OR_RETURN(uint16_t n, in.ReadU16());
      std::vector<std::string> names;
      std::vector<DataTypePtr> types;
      for (uint16_t i = 0; i < n; ++i) {
        CQLBULK_ASSIGN_OR_RETURN(std::string field, ReadShortString(in));
        CQLBULK_ASSIGN_OR_RETURN(DataTypePtr t, ReadOptionAt(in, depth + 1));
        names.push_back(std::move(field));
        types.push_back(std::move(t));
      }
      return DataType::Udt(std::move(ks), std::move(name), std::move(names), std::move(types));
    }
    case TypeId::kTuple: {
      CQLBULK_ASSIGN_OR_RETURN(uint16_t n, in.ReadU16());
      std::vector<DataTypePtr> types;
      for (uint16_t i = 0; i < n; ++i) {
        CQLBULK_ASSIGN_OR_RETURN(DataTypePtr t, ReadOptionAt(in, depth + 1));
        types.push_back(std::move(t));
      }
      return DataType::Tuple(std::move(types));
    }
    case TypeId::kVector:
      break;
    default:
      if (FindNative(id) != nullptr) {
        return DataType::Native(id);
      }
      break;
  }
  return Error(in.truncation_code(),
               "unknown type id 0x" + ToHex(std::array<uint8_t, 2>{static_cast<uint8_t>(raw >> 8),
                                                                   static_cast<uint8_t>(raw)}));
}

}  // namespace

DataTypePtr DataType::Native(TypeId id) {
  DataType t;
  t.id = id;
  return Make(std::move(t));
}

DataTypePtr DataType::List(DataTypePtr element, bool frozen) {
  DataType t;
  t.id = TypeId::kList;
  t.params = {std::move(element)};
  t.frozen = frozen;
  return Make(std::move(t));
}

DataTypePtr DataType::Set(DataTypePtr element, bool frozen) {
  DataType t;
  t.id = TypeId::kSet;
  t.params = {std::move(element)};
  t.frozen = frozen;
  return Make(std::move(t));
}

DataTypePtr DataType::Map(DataTypePtr key, DataTypePtr value, bool frozen) {
  DataType t;
  t.id = TypeId::kMap;
  t.params = {std::move(key), std::move(value)};
  t.frozen = frozen;
  return Make(std::move(t));
}

DataTypePtr DataType::Tuple(std::vector<DataTypePtr> elements) {
  DataType t;
  t.id = TypeId::kTuple;
  t.params = std::move(elements);
  t.frozen = true;  // tuples are always frozen
  return Make(std::move(t));
}

DataTypePtr DataType::Udt(std::string keyspace, std::string name,
                          std::vector<std::string> field_names, std::vector<DataTypePtr> types,
                          bool frozen) {
  DataType t;
  t.id = TypeId::kUdt;
  t.keyspace = std::move(keyspace);
  t.name = std::move(name);
  t.field_names = std::move(field_names);
  t.params = std::move(types);
  t.frozen = frozen;
  return Make(std::move(t));
}

DataTypePtr DataType::Custom(std::string java_class) {
  DataType t;
  t.id = TypeId::kCustom;
  t.custom_class = std::move(java_class);
  return Make(std::move(t));
}

DataTypePtr DataType::Vector(DataTypePtr element, uint32_t dimension) {
  DataType t;
  t.id = TypeId::kVector;
  t.params = {std::move(element)};
  t.dimension = dimension;
  t.frozen = true;
  return Make(std::move(t));
}

int DataType::fixed_size() const noexcept {
  if (id == TypeId::kVector) {
    // A vector of fixed-size elements is their concatenation (no lengths). Saturates at
    // INT32_MAX: no [bytes] value can be that long anyway.
    int64_t element = params.empty() || params[0] == nullptr ? 0 : params[0]->fixed_size();
    int64_t total = element * int64_t{dimension};
    constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
    return element <= 0 ? 0 : static_cast<int>(total > kMax ? kMax : total);
  }
  const NativeInfo* n = FindNative(id);
  return n != nullptr ? n->fixed_size : 0;
}

std::string DataType::ToCql(bool qualify_udts) const {
  std::string inner;
  switch (id) {
    case TypeId::kCustom:
      return "'" + custom_class + "'";
    case TypeId::kList:
    case TypeId::kSet:
      inner = std::string(id == TypeId::kList ? "list<" : "set<") + params[0]->ToCql(qualify_udts) +
              ">";
      break;
    case TypeId::kMap:
      inner = "map<" + params[0]->ToCql(qualify_udts) + ", " + params[1]->ToCql(qualify_udts) + ">";
      break;
    case TypeId::kTuple: {
      inner = "tuple<";
      for (size_t i = 0; i < params.size(); ++i) {
        if (i > 0) inner += ", ";
        inner += params[i]->ToCql(qualify_udts);
      }
      return inner + ">";  // tuples are implicitly frozen
    }
    case TypeId::kVector:
      return "vector<" + params[0]->ToCql(qualify_udts) + ", " + std::to_string(dimension) + ">";
    case TypeId::kUdt:
      inner = qualify_udts && !keyspace.empty() ? keyspace + "." + name : name;
      break;
    default:
      return std::string(FindNative(id)->cql);
  }
  return frozen ? "frozen<" + inner + ">" : inner;
}

bool operator==(const DataType& a, const DataType& b) {
  if (a.id != b.id || a.params.size() != b.params.size() || a.field_names != b.field_names ||
      a.keyspace != b.keyspace || a.name != b.name || a.custom_class != b.custom_class ||
      a.dimension != b.dimension) {
    return false;
  }
  for (size_t i = 0; i < a.params.size(); ++i) {
    if (!(*a.params[i] == *b.params[i])) return false;
  }
  return true;
}

Result<DataTypePtr> ReadOption(ByteReader& in) { return ReadOptionAt(in, 0); }

DataTypePtr ParseJavaClassName(std::string_view java_class) {
  return MarshalParser(java_class).ParseAll();
}

DataTypePtr NativeTypeByName(std::string_view cql_name) {
  auto equals = [&](std::string_view name) {
    if (name.size() != cql_name.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      char c = cql_name[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != name[i]) return false;
    }
    return true;
  };
  if (equals("varchar")) return DataType::Native(TypeId::kVarchar);
  for (const auto& native : kNatives) {
    if (equals(native.cql)) return DataType::Native(native.id);
  }
  return nullptr;
}

std::string JavaClassName(const DataType& type) {
  std::string base(kMarshal);
  auto wrap = [&](std::string s) { return type.frozen ? base + "FrozenType(" + s + ")" : s; };
  switch (type.id) {
    case TypeId::kCustom:
      return type.custom_class;
    case TypeId::kList:
      return wrap(base + "ListType(" + JavaClassName(*type.params[0]) + ")");
    case TypeId::kSet:
      return wrap(base + "SetType(" + JavaClassName(*type.params[0]) + ")");
    case TypeId::kMap:
      return wrap(base + "MapType(" + JavaClassName(*type.params[0]) + "," +
                  JavaClassName(*type.params[1]) + ")");
    case TypeId::kTuple: {
      std::string s = base + "TupleType(";
      for (size_t i = 0; i < type.params.size(); ++i) {
        if (i > 0) s += ",";
        s += JavaClassName(*type.params[i]);
      }
      return s + ")";
    }
    case TypeId::kVector:
      return base + "VectorType(" + JavaClassName(*type.params[0]) + "," +
             std::to_string(type.dimension) + ")";
    case TypeId::kUdt: {
      std::string s = base + "UserType(" + type.keyspace + "," + ToHex(AsBytes(type.name));
      for (size_t i = 0; i < type.params.size(); ++i) {
        s += "," + ToHex(AsBytes(type.field_names[i])) + ":" + JavaClassName(*type.params[i]);
      }
      return wrap(s + ")");
    }
    default:
      return base + std::string(FindNative(type.id)->java);
  }
}

void WriteOption(ByteWriter& out, const DataType& type, int protocol_version) {
  switch (type.id) {
    case TypeId::kCustom:
      out.WriteU16(0);
      WriteShortString(out, type.custom_class);
      return;
    case TypeId::kVector:
      out.WriteU16(0);
      WriteShortString(out, JavaClassName(type));
      return;
    case TypeId::kDuration:
      if (protocol_version < 5) {
        out.WriteU16(0);
        WriteShortString(out, std::string(kMarshal) + "DurationType");
        return;
      }
      break;
    default:
      break;
  }
  out.WriteU16(static_cast<uint16_t>(type.id));
  switch (type.id) {
    case TypeId::kList:
    case TypeId::kSet:
    case TypeId::kMap:
    case TypeId::kTuple:
      if (type.id == TypeId::kTuple) out.WriteU16(static_cast<uint16_t>(type.params.size()));
      for (const auto& p : type.params) WriteOption(out, *p, protocol_version);
      return;
    case TypeId::kUdt:
      WriteShortString(out, type.keyspace);
      WriteShortString(out, type.name);
      out.WriteU16(static_cast<uint16_t>(type.params.size()));
      for (size_t i = 0; i < type.params.size(); ++i) {
        WriteShortString(out, type.field_names[i]);
        WriteOption(out, *type.params[i], protocol_version);
      }
      return;
    default:
      return;
  }
}

}  // namespace cqlbulk::cql
