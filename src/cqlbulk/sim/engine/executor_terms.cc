// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/engine/executor_terms.h"

#include <algorithm>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/cql_literal.h"
#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/cql/types/value_codec.h"

namespace cqlbulk::sim::internal {
namespace {

using cql::DataType;
using cql::TypeId;
using cql::Value;

std::string_view LiteralKindName(LiteralKind kind) {
  switch (kind) {
    case LiteralKind::kString:
      return "STRING";
    case LiteralKind::kInteger:
      return "INTEGER";
    case LiteralKind::kFloat:
      return "FLOAT";
    case LiteralKind::kBoolean:
      return "BOOLEAN";
    case LiteralKind::kUuid:
      return "UUID";
    case LiteralKind::kBlob:
      return "HEX";
    case LiteralKind::kDuration:
      return "DURATION";
    case LiteralKind::kNull:
      return "NULL";
  }
  return "CONSTANT";
}

Result<const cql::BoundValue*> Marker(const Term& term, std::string_view receiver,
                                      const TermEnv& env) {
  if (term.bind_index < 0 || static_cast<size_t>(term.bind_index) >= env.bound.size()) {
    return InvalidRequest("No value bound for " + std::string(receiver));
  }
  return env.bound[static_cast<size_t>(term.bind_index)];
}

int64_t Millis(const TermEnv& env) { return env.core != nullptr ? env.core->NowMillis() : 0; }

/// A version 1 UUID at `millis` whose low 64 bits are `low`.
Uuid MakeTimeUuid(int64_t millis, uint64_t low) {
  uint64_t t = static_cast<uint64_t>(millis) * 10000 + 0x01B21DD213814000ULL;
  Uuid u;
  StoreBE32(u.bytes.data(), static_cast<uint32_t>(t));
  StoreBE16(u.bytes.data() + 4, static_cast<uint16_t>(t >> 32));
  StoreBE16(u.bytes.data() + 6, static_cast<uint16_t>(((t >> 48) & 0x0FFF) | 0x1000));
  StoreBE64(u.bytes.data() + 8, low);
  return u;
}

/// Milliseconds of a timeuuid, timestamp or date value.
std::optional<int64_t> AsMillis(const Value& v) {
  switch (v.kind()) {
    case cql::ValueKind::kTimeuuid:
      return v.as_uuid().unix_millis();
    case cql::ValueKind::kTimestamp:
      return v.as_int64();
    case cql::ValueKind::kDate:
      return v.date_days_since_epoch() * 86'400'000;
    default:
      return std::nullopt;
  }
}

Result<Value> EvalFunction(const Term& term, const DataType& type, std::string_view receiver,
                           const TermEnv& env) {
  std::string name = term.name;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  if (name == "now" || name == "currenttimeuuid") {
    return Value::Timeuuid(env.core->TimeUuid());
  }
  if (name == "uuid") return Value::Uuid(env.core->RandomUuid());
  if (name == "currenttimestamp") return Value::Timestamp(Millis(env));
  if (name == "currentdate") return Value::DateFromDays(Millis(env) / 86'400'000);
  if (name == "currenttime") return Value::Time((Millis(env) % 86'400'000) * 1'000'000);
  if ((name == "totimestamp" || name == "tounixtimestamp" || name == "todate" ||
       name == "mintimeuuid" || name == "maxtimeuuid") &&
      term.elements.size() == 1) {
    const Term& arg = term.elements[0];
    auto arg_type = DataType::Native(name.ends_with("timeuuid") ? TypeId::kTimestamp
                                                                 : TypeId::kTimeuuid);
    auto value = EvalTermValue(arg, *arg_type, receiver, env);
    if (!value.has_value() && !name.ends_with("timeuuid")) {
      value = EvalTermValue(arg, *DataType::Native(TypeId::kTimestamp), receiver, env);
    }
    if (!value.has_value()) return std::move(value).error();
    std::optional<int64_t> millis = AsMillis(*value);
    if (!millis) return InvalidRequest("Invalid argument for function " + term.name);
    if (name == "totimestamp") return Value::Timestamp(*millis);
    if (name == "tounixtimestamp") return Value::Bigint(*millis);
    if (name == "todate") {
      int64_t days = *millis >= 0 ? *millis / 86'400'000 : -((-*millis + 86'399'999) / 86'400'000);
      return Value::DateFromDays(days);
    }
    return Value::Timeuuid(MakeTimeUuid(*millis, name == "mintimeuuid" ? 0x8080808080808080ULL
                                                                       : 0x7f7f7f7f7f7f7f7fULL));
  }
  (void)type;
  return InvalidRequest("Unknown function " + term.name + " called");
}

/// Whether Cassandra rebuilds a bound value of `type` from its elements: a list, set or map
/// whose elements include a set, a map or an inet, at any depth through collections. It
/// deserialises such a collection into Java objects and serialises them again, so sets and maps
/// come out sorted and de-duplicated and IPv4-mapped addresses as 4-byte IPv4 ones. A bound
/// tuple or UDT, in a collection or not, is kept as sent, sets and maps in its fields included.
bool RebuildsBound(const DataType& type) {
  switch (type.id) {
    case TypeId::kSet:
    case TypeId::kMap:
      return true;
    case TypeId::kList:
      return type.params[0]->id == TypeId::kInet || RebuildsBound(*type.params[0]);
    default:
      return false;
  }
}

/// Inet elements of a bound collection as Java's InetAddress gives them back: an IPv4-mapped
/// IPv6 address becomes the IPv4 one. Not into tuples and UDTs (kept as sent).
void UnmapInetElements(Value& value) {
  switch (value.kind()) {
    case cql::ValueKind::kInet:
      if (value.as_inet().is_v4_mapped()) {
        auto v4 = cql::IpAddress::FromBytes(value.as_inet().bytes().subspan(12));
        if (v4.has_value()) value = Value::Inet(*v4);
      }
      return;
    case cql::ValueKind::kList:
    case cql::ValueKind::kSet:
      for (Value& v : value.mutable_elements()) UnmapInetElements(v);
      return;
    case cql::ValueKind::kMap:
      for (auto& [k, v] : value.mutable_entries()) {
        UnmapInetElements(k);
        UnmapInetElements(v);
      }
      return;
    default:
      return;
  }
}

/// A bound collection (RebuildsBound) as Cassandra rebuilds it: addresses unmapped first, then
/// sets and maps sorted and de-duplicated (the 4-byte address is the one compared).
void RebuildBound(Value& value) {
  UnmapInetElements(value);
  cql::NormalizeCollections(value, cql::TupleFields::kAsGiven);
}

/// The bytes of a bound value of `type` (RebuildsBound) as Cassandra stores it.
Result<Bytes> NormalizeBound(const DataType& type, const Bytes& bytes) {
  auto value = cql::DecodeValue(type, bytes);
  if (!value.has_value()) return InvalidRequest(*ValidateSerialized(type, bytes));
  if (value->is_null() || value->is_empty()) return bytes;
  RebuildBound(*value);
  auto normalized = cql::EncodeValueToBytes(type, *value);
  if (!normalized.has_value()) return InvalidRequest(normalized.error().message());
  return std::move(*normalized);
}

Result<Value> EvalComposite(const Term& term, const DataType& type, std::string_view receiver,
                            const TermEnv& env) {
  auto mismatch = [&]() {
    return InvalidRequest("Invalid " + term.text + " for \"" + std::string(receiver) +
                          "\" of type " + type.ToCql());
  };
  switch (term.kind) {
    case TermKind::kList: {
      if (type.id != TypeId::kList && type.id != TypeId::kVector) {
        if (type.id != TypeId::kSet) return mismatch();
      }
      Value::Elements elements;
      for (const Term& e : term.elements) {
        CQLBULK_ASSIGN_OR_RETURN(Value v, EvalTermValue(e, *type.params[0], receiver, env));
        if (v.is_null()) return InvalidRequest("null is not supported inside collections");
        elements.push_back(std::move(v));
      }
      if (type.id == TypeId::kVector) return Value::Vector(std::move(elements));
      return Value::List(std::move(elements));
    }
    case TermKind::kSet: {
      if (type.id != TypeId::kSet) return mismatch();
      Value::Elements elements;
      for (const Term& e : term.elements) {
        CQLBULK_ASSIGN_OR_RETURN(Value v, EvalTermValue(e, *type.params[0], receiver, env));
        if (v.is_null()) return InvalidRequest("null is not supported inside collections");
        elements.push_back(std::move(v));
      }
      Value set = Value::Set(std::move(elements));
      cql::NormalizeCollections(set);
      return set;
    }
    case TermKind::kMap: {
      if (type.id != TypeId::kMap) return mismatch();
      Value::Entries entries;
      for (size_t i = 0; i < term.elements.size(); ++i) {
        CQLBULK_ASSIGN_OR_RETURN(Value k, EvalTermValue(term.keys[i], *type.params[0], receiver, env));
        CQLBULK_ASSIGN_OR_RETURN(Value v, EvalTermValue(term.elements[i], *type.params[1], receiver, env));
        if (k.is_null() || v.is_null()) {
          return InvalidRequest("null is not supported inside collections");
        }
        entries.emplace_back(std::move(k), std::move(v));
      }
      Value map = Value::Map(std::move(entries));
      cql::NormalizeCollections(map);
      return map;
    }
    case TermKind::kTuple: {
      if (type.id != TypeId::kTuple || term.elements.size() > type.params.size()) {
        return mismatch();
      }
      Value::Elements elements;
      for (size_t i = 0; i < term.elements.size(); ++i) {
        CQLBULK_ASSIGN_OR_RETURN(Value v, EvalTermValue(term.elements[i], *type.params[i], receiver, env));
        elements.push_back(std::move(v));
      }
      return Value::Tuple(std::move(elements));
    }
    case TermKind::kUdt: {
      if (type.id != TypeId::kUdt) return mismatch();
      Value::Elements fields(type.params.size());
      for (size_t i = 0; i < term.field_names.size(); ++i) {
        auto it = std::find(type.field_names.begin(), type.field_names.end(), term.field_names[i]);
        if (it == type.field_names.end()) {
          return InvalidRequest("Unknown field '" + term.field_names[i] + "' in value of user defined type " + type.name);
        }
        size_t f = static_cast<size_t>(it - type.field_names.begin());
        CQLBULK_ASSIGN_OR_RETURN(fields[f], EvalTermValue(term.elements[i], *type.params[f], receiver, env));
      }
      return Value::Udt(std::move(fields));
    }
    case TermKind::kFunctionCall:
      return EvalFunction(term, type, receiver, env);
    case TermKind::kTypeCast: {
      cql::UdtResolver resolver = [&env](std::string_view ks, std::string_view name) -> cql::DataTypePtr {
        if (env.schema == nullptr) return nullptr;
        const KeyspaceSchema* k = env.schema->FindKeyspace(ks.empty() ? env.keyspace : std::string(ks));
        if (k == nullptr) return nullptr;
        auto it = k->types.find(std::string(name));
        return it == k->types.end() ? nullptr : it->second->AsDataType(false);
      };
      auto cast_type = cql::ParseCqlType(term.name, resolver);
      if (!cast_type.has_value()) return InvalidRequest(cast_type.error().message());
      return EvalTermValue(term.elements.at(0), **cast_type, receiver, env);
    }
    default:
      return mismatch();
  }
}

}  // namespace

std::optional<std::string> ValidateSerialized(const DataType& type, BytesView bytes) {
  auto decoded = cql::DecodeValue(type, bytes);
  if (decoded.has_value()) return std::nullopt;
  std::string n = std::to_string(bytes.size());
  switch (type.id) {
    case TypeId::kInt:
      return "Expected 4 or 0 byte int (" + n + ")";
    case TypeId::kBigint:
    case TypeId::kCounter:
      return "Expected 8 or 0 byte long (" + n + ")";
    case TypeId::kTimestamp:
      return "Expected 8 or 0 byte long for date (" + n + ")";
    case TypeId::kSmallint:
      return "Expected 2 bytes for a smallint (" + n + ")";
    case TypeId::kTinyint:
      return "Expected 1 byte for a tinyint (" + n + ")";
    case TypeId::kBoolean:
      return "Expected 1 or 0 byte value for a boolean (" + n + ")";
    case TypeId::kFloat:
      return "Expected 4 or 0 byte value for a float (" + n + ")";
    case TypeId::kDouble:
      return "Expected 8 or 0 byte value for a double (" + n + ")";
    case TypeId::kUuid:
    case TypeId::kTimeuuid:
      return bytes.size() == 16 ? "Unsupported UUID version" : "UUID should be 16 or 0 bytes (" + n + ")";
    case TypeId::kDate:
      return "Expected 4 byte long for date (" + n + ")";
    case TypeId::kTime:
      return "Expected 8 byte long for time (" + n + ")";
    default:
      return decoded.error().message();
  }
}

Result<TermValue> EvalTerm(const Term& term, const DataType& type, std::string_view receiver,
                           const TermEnv& env, BoundCollections bound_collections) {
  if (term.kind == TermKind::kBindMarker) {
    CQLBULK_ASSIGN_OR_RETURN(const cql::BoundValue* bound, Marker(term, receiver, env));
    if (bound == nullptr || bound->is_unset()) return TermValue{TermValue::Kind::kUnset, {}};
    if (bound->is_null()) return TermValue{TermValue::Kind::kNull, {}};
    if (bound_collections == BoundCollections::kSorted && RebuildsBound(type)) {
      CQLBULK_ASSIGN_OR_RETURN(Bytes normalized, NormalizeBound(type, bound->bytes));
      return TermValue{TermValue::Kind::kValue, std::move(normalized)};
    }
    if (auto problem = ValidateSerialized(type, bound->bytes)) return InvalidRequest(*problem);
    return TermValue{TermValue::Kind::kValue, bound->bytes};
  }
  if (term.is_null()) return TermValue{TermValue::Kind::kNull, {}};
  CQLBULK_ASSIGN_OR_RETURN(Value value, EvalTermValue(term, type, receiver, env));
  if (value.is_null()) return TermValue{TermValue::Kind::kNull, {}};
  auto bytes = cql::EncodeValueToBytes(type, value);
  if (!bytes.has_value()) return InvalidRequest(bytes.error().message());
  return TermValue{TermValue::Kind::kValue, std::move(*bytes)};
}

Result<Value> EvalTermValue(const Term& term, const DataType& type, std::string_view receiver,
                            const TermEnv& env) {
  if (term.kind == TermKind::kBindMarker) {
    CQLBULK_ASSIGN_OR_RETURN(const cql::BoundValue* bound, Marker(term, receiver, env));
    if (bound == nullptr || bound->is_unset()) {
      return InvalidRequest("Invalid unset value for column " + std::string(receiver));
    }
    if (bound->is_null()) return Value::Null();
    auto value = cql::DecodeValue(type, bound->bytes);
    if (!value.has_value()) return InvalidRequest(*ValidateSerialized(type, bound->bytes));
    if (RebuildsBound(type)) RebuildBound(*value);
    return value;
  }
  if (term.is_null()) return Value::Null();
  if (term.kind == TermKind::kLiteral || (term.is_constant && term.kind != TermKind::kFunctionCall &&
                                          term.kind != TermKind::kTypeCast)) {
    auto value = cql::ParseCqlLiteral(type, term.text);
    if (value.has_value()) return value;
    const std::string& message = value.error().message();
    if (message.starts_with("Unable to make") || term.kind != TermKind::kLiteral) {
      return InvalidRequest(message);
    }
    return InvalidRequest("Invalid " + std::string(LiteralKindName(term.literal_kind)) +
                          " constant (" + term.text + ") for \"" + std::string(receiver) +
                          "\" of type " + type.ToCql());
  }
  return EvalComposite(term, type, receiver, env);
}

Result<std::optional<int64_t>> EvalInteger(const Term& term, bool is_bigint, std::string_view what,
                                           const TermEnv& env) {
  auto type = DataType::Native(is_bigint ? TypeId::kBigint : TypeId::kInt);
  CQLBULK_ASSIGN_OR_RETURN(TermValue v, EvalTerm(term, *type, what, env));
  if (v.is_unset()) return std::optional<int64_t>();
  if (v.is_null()) return InvalidRequest("Invalid null value of " + std::string(what));
  if (v.bytes.size() == 4) return std::optional<int64_t>(static_cast<int32_t>(LoadBE32(v.bytes.data())));
  if (v.bytes.size() == 8) return std::optional<int64_t>(static_cast<int64_t>(LoadBE64(v.bytes.data())));
  return InvalidRequest("Invalid empty value of " + std::string(what));
}

Result<std::vector<Bytes>> EvalInValues(const Relation& relation, const DataType& type,
                                        std::string_view receiver, const TermEnv& env,
                                        BoundCollections bound) {
  std::vector<Bytes> out;
  if (relation.has_in_list) {
    for (const Term& t : relation.in_values) {
      CQLBULK_ASSIGN_OR_RETURN(TermValue v, EvalTerm(t, type, receiver, env, bound));
      if (v.is_unset()) return InvalidRequest("Invalid unset value for column " + std::string(receiver));
      if (v.is_null()) return InvalidRequest("Invalid null value in condition for column " + std::string(receiver));
      out.push_back(std::move(v.bytes));
    }
    return out;
  }
  auto list_type = DataType::List(DataType::Native(TypeId::kBlob));
  auto typed_list = std::make_shared<DataType>(*list_type);
  typed_list->params[0] = std::make_shared<DataType>(type);
  CQLBULK_ASSIGN_OR_RETURN(Value list, EvalTermValue(relation.value, *typed_list, receiver, env));
  if (list.is_null()) return InvalidRequest("Invalid null value for IN restriction");
  for (const Value& e : list.elements()) {
    auto bytes = cql::EncodeValueToBytes(type, e);
    if (!bytes.has_value()) return InvalidRequest(bytes.error().message());
    out.push_back(std::move(*bytes));
  }
  return out;
}

Result<int64_t> DecodeTokenValue(const TermValue& value) {
  if (!value.is_value()) return InvalidRequest("Invalid null token value");
  if (value.bytes.size() != 8) return InvalidRequest("Invalid token value");
  return static_cast<int64_t>(LoadBE64(value.bytes.data()));
}

}  // namespace cqlbulk::sim::internal
