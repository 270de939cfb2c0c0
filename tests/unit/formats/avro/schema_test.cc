// SPDX-License-Identifier: Apache-2.0
// Schema: parsing the specification's JSON, printing it back, names and namespaces, logical
// types, attributes, defaults, and the errors of invalid schemas.
#include "cqlbulk/formats/avro/schema.h"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "avro/avro_test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::avro {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;

// Parse, print, parse again: the two schemas are equal and the second print is the first.
void ExpectRoundTrip(std::string_view json) {
  Schema first = ParseOrDie(json);
  std::string printed = first.ToJson();
  Schema second = ParseOrDie(printed);
  EXPECT_EQ(first, second) << printed;
  EXPECT_EQ(second.ToJson(), printed);
}

TEST(AvroSchemaTest, Primitives) {
  for (std::string_view name : {"null", "boolean", "int", "long", "float", "double", "bytes",
                                "string"}) {
    Schema s = ParseOrDie("\"" + std::string(name) + "\"");
    EXPECT_EQ(TypeName(s.root_node().type), name);
    EXPECT_EQ(s.ToJson(), "\"" + std::string(name) + "\"");
    // The object form is the same type, and prints as the short form.
    EXPECT_EQ(ParseOrDie("{\"type\": \"" + std::string(name) + "\"}").ToJson(),
              "\"" + std::string(name) + "\"");
  }
}

TEST(AvroSchemaTest, ComplexTypesPrintCompactly) {
  std::string json =
      R"({"type":"record","name":"r","namespace":"n.s","doc":"a record","fields":[)"
      R"({"name":"a","type":{"type":"array","items":"long"},"doc":"longs"},)"
      R"({"name":"m","type":{"type":"map","values":["null","string"]},"default":{}},)"
      R"({"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"],"default":"Y"}},)"
      R"({"name":"f","type":{"type":"fixed","name":"F","size":3}},)"
      R"({"name":"again","type":"F"}]})";
  Schema s = ParseOrDie(json);
  EXPECT_EQ(s.ToJson(), json);
  const Node& root = s.root_node();
  EXPECT_EQ(root.full_name, "n.s.r");
  ASSERT_EQ(root.fields.size(), 5u);
  EXPECT_EQ(s.node(root.fields[2].type).full_name, "n.s.E");
  EXPECT_EQ(s.node(root.fields[2].type).enum_default, 1);
  // A named type is one node, wherever it is referenced.
  EXPECT_EQ(root.fields[3].type, root.fields[4].type);
  EXPECT_EQ(s.Find("n.s.F"), root.fields[3].type);
  EXPECT_EQ(root.fields[1].default_value, Value::Map({}));
}

TEST(AvroSchemaTest, NamespacesFollowTheSpecification) {
  // The example of "Names": the full names are Example, Simple, explicit.Simple,
  // a.full.Name and a.full.Understanding.
  Schema s = ParseOrDie(R"({"type": "record", "name": "Example", "fields": [
      {"name": "inheritNull", "type": {"type": "enum", "name": "Simple", "symbols": ["a", "b"]}},
      {"name": "explicitNamespace",
       "type": {"type": "fixed", "name": "Simple", "namespace": "explicit", "size": 12}},
      {"name": "fullName", "type": {"type": "record", "name": "a.full.Name",
          "namespace": "ignored", "fields": [
          {"name": "inheritNamespace",
           "type": {"type": "enum", "name": "Understanding", "symbols": ["d", "e"]}},
          {"name": "ref", "type": "Understanding"},
          {"name": "outer", "type": "explicit.Simple"}]}}]})");
  const Node& root = s.root_node();
  EXPECT_EQ(s.node(root.fields[0].type).full_name, "Simple");
  EXPECT_EQ(s.node(root.fields[1].type).full_name, "explicit.Simple");
  const Node& full = s.node(root.fields[2].type);
  EXPECT_EQ(full.full_name, "a.full.Name");
  EXPECT_EQ(s.node(full.fields[0].type).full_name, "a.full.Understanding");
  EXPECT_EQ(full.fields[1].type, full.fields[0].type);
  EXPECT_EQ(full.fields[2].type, root.fields[1].type);
  ExpectRoundTrip(s.ToJson());
  // A reference prints short inside its own namespace and full outside it.
  EXPECT_NE(s.ToJson().find(R"("name":"ref","type":"Understanding")"), std::string::npos);
  EXPECT_NE(s.ToJson().find(R"("name":"outer","type":"explicit.Simple")"), std::string::npos);
}

TEST(AvroSchemaTest, RecursiveRecord) {
  Schema s = ParseOrDie(R"({"type": "record", "name": "LongList", "fields": [
      {"name": "value", "type": "long"},
      {"name": "next", "type": ["null", "LongList"]}]})");
  const Node& root = s.root_node();
  EXPECT_EQ(s.node(root.fields[1].type).children[1], s.root());
  ExpectRoundTrip(s.ToJson());
  EXPECT_EQ(s.min_encoded_bytes(s.root()), 2u);  // the long, and the union's index
}

TEST(AvroSchemaTest, LogicalTypes) {
  Schema s = ParseOrDie(R"({"type": "record", "name": "r", "fields": [
      {"name": "d", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9,
                             "scale": 2}},
      {"name": "fd", "type": {"type": "fixed", "name": "fd", "size": 16, "logicalType": "decimal",
                              "precision": 38, "scale": 10}},
      {"name": "u", "type": {"type": "string", "logicalType": "uuid"}},
      {"name": "fu", "type": {"type": "fixed", "name": "fu", "size": 16, "logicalType": "uuid"}},
      {"name": "date", "type": {"type": "int", "logicalType": "date"}},
      {"name": "t", "type": {"type": "long", "logicalType": "time-micros"}},
      {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros",
                              "adjust-to-utc": true}},
      {"name": "unknown", "type": {"type": "long", "logicalType": "timestamp-picos"}},
      {"name": "wrong_type", "type": {"type": "long", "logicalType": "date"}},
      {"name": "too_precise", "type": {"type": "fixed", "name": "small", "size": 2,
                                       "logicalType": "decimal", "precision": 5}},
      {"name": "bad_scale", "type": {"type": "bytes", "logicalType": "decimal", "precision": 2,
                                     "scale": 3}}]})");
  const Node& root = s.root_node();
  auto node = [&](size_t i) -> const Node& { return s.node(root.fields[i].type); };
  EXPECT_EQ(node(0).logical_type, LogicalType::kDecimal);
  EXPECT_EQ(node(0).precision, 9);
  EXPECT_EQ(node(0).scale, 2);
  EXPECT_EQ(node(1).logical_type, LogicalType::kDecimal);
  EXPECT_EQ(node(1).precision, 38);
  EXPECT_EQ(node(2).logical_type, LogicalType::kUuid);
  EXPECT_EQ(node(3).logical_type, LogicalType::kUuid);
  EXPECT_EQ(node(4).logical_type, LogicalType::kDate);
  EXPECT_EQ(node(5).logical_type, LogicalType::kTimeMicros);
  EXPECT_EQ(node(6).logical_type, LogicalType::kTimestampMicros);
  EXPECT_EQ(node(6).FindAttribute("adjust-to-utc"), "true");
  // Unknown or invalid logical types are ignored and kept as attributes ("Logical Types").
  EXPECT_EQ(node(7).logical_type, LogicalType::kNone);
  EXPECT_EQ(node(7).FindAttribute("logicalType"), "\"timestamp-picos\"");
  EXPECT_EQ(node(8).logical_type, LogicalType::kNone);
  EXPECT_EQ(node(9).logical_type, LogicalType::kNone);  // 2 bytes hold 4 digits
  EXPECT_EQ(node(9).FindAttribute("precision"), "5");
  EXPECT_EQ(node(10).logical_type, LogicalType::kNone);
  ExpectRoundTrip(s.ToJson());
}

TEST(AvroSchemaTest, IcebergManifestSchemaRoundTrips) {
  Schema s = ParseOrDie(IcebergManifestEntrySchema());
  ExpectRoundTrip(IcebergManifestEntrySchema());
  const Node& root = s.root_node();
  EXPECT_EQ(root.full_name, "manifest_entry");
  ASSERT_EQ(root.fields.size(), 5u);
  EXPECT_EQ(root.fields[0].FindAttribute("field-id"), "0");
  EXPECT_EQ(root.fields[4].FindAttribute("field-id"), "2");
  const Node& data_file = s.node(root.fields[4].type);
  std::optional<size_t> sizes = data_file.FieldIndex("column_sizes");
  ASSERT_TRUE(sizes.has_value());
  EXPECT_EQ(data_file.fields[*sizes].FindAttribute("field-id"), "108");
  EXPECT_EQ(data_file.fields[*sizes].default_value, Value::Union(0, Value::Null()));
  // map<int, long> is an array of k117_v118 records with logicalType "map".
  const Node& optional = s.node(data_file.fields[*sizes].type);
  ASSERT_EQ(optional.type, Type::kUnion);
  const Node& array = s.node(optional.children[1]);
  EXPECT_EQ(array.type, Type::kArray);
  EXPECT_EQ(array.FindAttribute("logicalType"), "\"map\"");
  const Node& entry = s.node(array.items());
  EXPECT_EQ(entry.full_name, "k117_v118");
  EXPECT_EQ(entry.fields[0].FindAttribute("field-id"), "117");
  EXPECT_EQ(entry.fields[1].FindAttribute("field-id"), "118");
  // The partition tuple with its fields' ids.
  const Node& partition = s.node(data_file.fields[*data_file.FieldIndex("partition")].type);
  EXPECT_EQ(partition.full_name, "r102");
  EXPECT_EQ(partition.fields[0].FindAttribute("field-id"), "1000");

  ExpectRoundTrip(IcebergManifestFileSchema());
  Schema list = ParseOrDie(IcebergManifestFileSchema());
  const Node& partitions =
      list.node(list.root_node().fields[*list.root_node().FieldIndex("partitions")].type);
  EXPECT_EQ(list.node(partitions.children[1]).FindAttribute("element-id"), "508");
}

TEST(AvroSchemaTest, FieldDefaults) {
  Schema s = ParseOrDie(R"({"type": "record", "name": "r", "fields": [
      {"name": "b", "type": "bytes", "default": "\u00ff\u0000a"},
      {"name": "f", "type": {"type": "fixed", "name": "two", "size": 2}, "default": "ab"},
      {"name": "u", "type": ["long", "null"], "default": 7},
      {"name": "rec", "type": {"type": "record", "name": "inner", "fields": [
          {"name": "x", "type": "int", "default": 1}, {"name": "y", "type": "string"}]},
       "default": {"y": "z"}},
      {"name": "d", "type": "double", "default": "NaN"},
      {"name": "arr", "type": {"type": "array", "items": "float"}, "default": [1, 2.5]}]})");
  const Node& root = s.root_node();
  EXPECT_EQ(root.fields[0].default_value, Value::Bytes(Bytes{0xFF, 0x00, 'a'}));
  EXPECT_EQ(root.fields[1].default_value, Value::FixedFromChars("ab"));
  EXPECT_EQ(root.fields[2].default_value, Value::Union(0, Value::Long(7)));
  EXPECT_EQ(root.fields[3].default_value,
            Value::Record({Value::Int(1), Value::String("z")}));
  EXPECT_TRUE(std::isnan(root.fields[4].default_value->double_value()));
  EXPECT_EQ(root.fields[5].default_value,
            Value::Array({Value::Float(1.0f), Value::Float(2.5f)}));
  EXPECT_EQ(root.fields[3].default_json, R"({"y":"z"})");
}

TEST(AvroSchemaTest, InvalidSchemasAreErrorsThatSayWhere) {
  auto error = [](std::string_view json) { return Schema::Parse(json); };
  EXPECT_THAT(error("{\"type\": \"record\", \"name\": \"r\", \"fields\": [}"),
              HasMessage("invalid JSON at byte"));
  EXPECT_THAT(error("\"nope\""), HasMessage("unknown type 'nope'"));
  EXPECT_THAT(error("17"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(error(R"({"type": "record", "name": "1r", "fields": []})"),
              HasMessage("invalid name '1r'"));
  EXPECT_THAT(error(R"({"type": "record", "name": "r", "fields": [
                  {"name": "a", "type": "int"}, {"name": "a", "type": "long"}]})"),
              HasMessage("at fields[1]: record r has two fields named a"));
  EXPECT_THAT(error(R"({"type": "record", "name": "r", "fields": [
                  {"name": "a", "type": {"type": "fixed", "name": "r", "size": 1}}]})"),
              HasMessage("type r is defined twice"));
  EXPECT_THAT(error(R"({"type": "record", "name": "r", "fields": [
                  {"name": "a", "type": {"type": "array", "items": "Later"}}]})"),
              HasMessage("at fields[0].type.items: unknown type 'Later'"));
  EXPECT_THAT(error(R"(["null", ["int"]])"), HasMessage("may not immediately contain"));
  EXPECT_THAT(error(R"(["int", "string", "int"])"), HasMessage("two branches of type int"));
  EXPECT_THAT(error(R"([{"type": "array", "items": "int"}, {"type": "array", "items": "long"}])"),
              HasMessage("two branches of type array"));
  EXPECT_THAT(error("[]"), HasMessage("at least one branch"));
  EXPECT_THAT(error(R"({"type": "enum", "name": "e", "symbols": ["A", "A"]})"),
              HasMessage("the symbol A twice"));
  EXPECT_THAT(error(R"({"type": "enum", "name": "e", "symbols": ["A"], "default": "B"})"),
              HasMessage("not one of its symbols"));
  EXPECT_THAT(error(R"({"type": "fixed", "name": "f", "size": -1})"), HasMessage("\"size\""));
  EXPECT_THAT(error(R"({"type": "fixed", "name": "int", "size": 1})"),
              HasMessage("may not be called int"));
  EXPECT_THAT(error(R"({"type": "array"})"), HasMessage("needs \"items\""));
  EXPECT_THAT(error(R"({"type": {"type": "int"}})"), HasMessage("\"type\" must be a string"));
  EXPECT_THAT(error(R"({"type": "record", "name": "r", "fields": [
                  {"name": "a", "type": "int", "default": "x"}]})"),
              HasMessage("at fields[0]: the default of field a is not a value of its type: "
                         "expected int, got a string"));
  EXPECT_THAT(error(R"({"type": "record", "name": "r", "fields": [
                  {"name": "a", "type": "int", "default": 2147483648}]})"),
              HasMessage("expected an int, got '2147483648'"));
  EXPECT_THAT(error(R"({"type": "record", "name": "r", "fields": [
                  {"name": "a", "type": "bytes", "default": "\u0100"}]})"),
              HasMessage("code point above 255"));
  EXPECT_THAT(error(R"({"type": "record", "name": "r", "fields": [
                  {"name": "a", "type": ["null", "int"], "default": 1}]})"),
              HasMessage("expected null, got a number"));
}

}  // namespace
}  // namespace cqlbulk::formats::avro
