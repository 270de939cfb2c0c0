// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::cql {

/// \brief Type ids of the [option] notation (native protocol v5 §6.2 / v4 §4.2.5.2).
enum class TypeId : uint16_t {
  kCustom = 0x0000,
  kAscii = 0x0001,
  kBigint = 0x0002,
  kBlob = 0x0003,
  kBoolean = 0x0004,
  kCounter = 0x0005,
  kDecimal = 0x0006,
  kDouble = 0x0007,
  kFloat = 0x0008,
  kInt = 0x0009,
  kTimestamp = 0x000B,
  kUuid = 0x000C,
  kVarchar = 0x000D,  ///< text and varchar are one type on the wire
  kVarint = 0x000E,
  kTimeuuid = 0x000F,
  kInet = 0x0010,
  kDate = 0x0011,
  kTime = 0x0012,
  kSmallint = 0x0013,
  kTinyint = 0x0014,
  kDuration = 0x0015,  ///< v5; v4 sends it as custom DurationType
  kList = 0x0020,
  kMap = 0x0021,
  kSet = 0x0022,
  kUdt = 0x0030,
  kTuple = 0x0031,
  /// vector<elem, n>: on the wire a custom type "...VectorType(<elem class>, n)"; never sent
  /// as this id.
  kVector = 0xFF01,
};

struct DataType;
/// Types are immutable and shared (one descriptor per column of a result's metadata).
using DataTypePtr = std::shared_ptr<const DataType>;

/// \brief A CQL type descriptor: native, collection, tuple, UDT, custom or vector.
struct DataType {
  TypeId id = TypeId::kBlob;
  /// list/set: {element}; map: {key, value}; tuple: elements; udt: field types; vector: {element}.
  std::vector<DataTypePtr> params;
  /// UDT field names, parallel to params.
  std::vector<std::string> field_names;
  /// UDT keyspace and name.
  std::string keyspace;
  std::string name;
  /// Custom: the Java class name as sent ("org.apache.cassandra.db.marshal.DurationType").
  std::string custom_class;
  /// Vector: the number of elements.
  uint32_t dimension = 0;
  /// Schema-level attribute (frozen<...>); never on the wire, ignored by ==.
  bool frozen = false;

  static DataTypePtr Native(TypeId id);
  static DataTypePtr List(DataTypePtr element, bool frozen = false);
  static DataTypePtr Set(DataTypePtr element, bool frozen = false);
  static DataTypePtr Map(DataTypePtr key, DataTypePtr value, bool frozen = false);
  static DataTypePtr Tuple(std::vector<DataTypePtr> elements);
  static DataTypePtr Udt(std::string keyspace, std::string name,
                         std::vector<std::string> field_names, std::vector<DataTypePtr> types,
                         bool frozen = false);
  static DataTypePtr Custom(std::string java_class);
  static DataTypePtr Vector(DataTypePtr element, uint32_t dimension);

  bool is_collection() const noexcept {
    return id == TypeId::kList || id == TypeId::kSet || id == TypeId::kMap;
  }
  /// The size of every non-empty value of a fixed-size type (int: 4, uuid: 16, vector<float, 3>:
  /// 12, ...), or 0 for variable-size types. Saturates at INT32_MAX for absurd vectors.
  int fixed_size() const noexcept;

  /// CQL spelling: "int", "text", "map<text, int>", "frozen<udt_ab>", "vector<float, 3>".
  /// UDTs print as their name (keyspace-qualified only when `qualify_udts`).
  std::string ToCql(bool qualify_udts = false) const;

  friend bool operator==(const DataType& a, const DataType& b);
};

/// Decodes an [option] type descriptor (result and prepared metadata). Custom types that name
/// a known marshal class (DurationType, VectorType(...), and the native types' classes) are
/// mapped to their real TypeId. Errors carry the reader's truncation code (kProtocol).
Result<DataTypePtr> ReadOption(ByteReader& in);
/// Encodes an [option]. Duration is written as id 0x0015 for v5 and as the custom
/// DurationType for v4; vector always as its custom VectorType class.
void WriteOption(ByteWriter& out, const DataType& type, int protocol_version);

/// The marshal class Cassandra uses for a type ("org.apache.cassandra.db.marshal.Int32Type").
std::string JavaClassName(const DataType& type);

/// The type a marshal class expression names ("org.apache.cassandra.db.marshal.Int32Type",
/// "...ListType(...Int32Type)", "...VectorType(...FloatType,3)"), or nullptr when it names
/// a class we do not map (callers keep it as DataType::Custom).
DataTypePtr ParseJavaClassName(std::string_view java_class);

/// The native type with that CQL name, case-insensitive ("int", "TEXT", "varchar"), or
/// nullptr.
DataTypePtr NativeTypeByName(std::string_view cql_name);

}  // namespace cqlbulk::cql
