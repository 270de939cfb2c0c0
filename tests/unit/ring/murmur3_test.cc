// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/murmur3.h"

#include <string>
#include <vector>

#include "cqlbulk/ring/routing_key.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::HasValue;
using ::cqlbulk::testing::Hex;
using ::cqlbulk::testing::IsError;
using ::cqlbulk::testing::LoadTestdataJson;

std::vector<Bytes> KeyComponents(const nlohmann::json& row) {
  std::vector<Bytes> components;
  for (const auto& hex : row["key_hex"]) {
    components.push_back(Hex(hex.get<std::string>()));
  }
  return components;
}

std::vector<BytesView> Views(const std::vector<Bytes>& components) {
  return {components.begin(), components.end()};
}

TEST(Murmur3GoldenTest, ReproducesEveryServerToken) {
  const nlohmann::json golden = LoadTestdataJson("murmur3_tokens.json");
  size_t num_rows = 0;

  for (const auto& table : golden["tables"]) {
    for (const auto& row : table["rows"]) {
      const std::vector<Bytes> components = KeyComponents(row);
      const Bytes key = row.contains("routing_key_hex")
                            ? Hex(row["routing_key_hex"].get<std::string>())
                            : components.at(0);
      const Token expected = Token::Parse(row["token"].get<std::string>()).value();

      EXPECT_EQ(Murmur3Token(key), expected)
          << table["table"] << " " << row["cql_literals"].dump() << " key " << ToHex(key);
      ++num_rows;
    }
  }

  EXPECT_EQ(num_rows, 700u);
}

TEST(Murmur3GoldenTest, CompositeBuilderReproducesServerRoutingKeys) {
  const nlohmann::json golden = LoadTestdataJson("murmur3_tokens.json");
  RoutingKeyBuilder builder;
  size_t num_composite = 0;

  for (const auto& table : golden["tables"]) {
    for (const auto& row : table["rows"]) {
      if (!row.contains("routing_key_hex")) {
        continue;
      }
      const std::vector<Bytes> components = KeyComponents(row);
      const std::string expected = row["routing_key_hex"].get<std::string>();

      auto built = BuildRoutingKey(Views(components));
      auto reused = builder.Build(Views(components));

      ASSERT_TRUE(built.has_value()) << built.error().ToString();
      ASSERT_TRUE(reused.has_value()) << reused.error().ToString();
      EXPECT_EQ(ToHex(*built), expected) << row["cql_literals"].dump();
      EXPECT_EQ(ToHex(*reused), expected) << row["cql_literals"].dump();
      ++num_composite;
    }
  }

  EXPECT_EQ(num_composite, 60u);
}

TEST(Murmur3GoldenTest, SingleColumnRoutingKeyIsTheValueItself) {
  const nlohmann::json golden = LoadTestdataJson("murmur3_tokens.json");
  RoutingKeyBuilder builder;

  for (const auto& table : golden["tables"]) {
    if (table["key_columns"].size() != 1) {
      continue;
    }
    for (const auto& row : table["rows"]) {
      const std::vector<Bytes> components = KeyComponents(row);

      auto key = builder.Build(Views(components));

      ASSERT_TRUE(key.has_value());
      EXPECT_EQ(key->data(), components[0].data()) << "a single component is not copied";
      EXPECT_EQ(ToHex(*key), row["key_hex"][0].get<std::string>());
    }
  }
}

TEST(Murmur3Test, SignExtendsTailBytes) {
  // A one-byte tail of 0x9f: the server's token (tok_blob in murmur3_tokens.json). A textbook
  // MurmurHash3 that zero-extends the byte gives a different h1.
  const Bytes key = {0x9f};

  EXPECT_EQ(Murmur3Token(key), Token(-3700297922047225212));
}

TEST(Murmur3Test, HashOfMinimumIsMappedToMaximum) {
  EXPECT_EQ(Murmur3TokenFromHash(INT64_MIN), Token::Max());
  EXPECT_EQ(Murmur3TokenFromHash(INT64_MAX), Token::Max());
  EXPECT_EQ(Murmur3TokenFromHash(-5), Token(-5));
}

TEST(Murmur3Test, EmptyKeyHasMinimumToken) { EXPECT_EQ(Murmur3Token(BytesView()), Token::Min()); }

TEST(Murmur3Test, HashDependsOnEveryByteOfLongKeys) {
  Bytes key(100, 0x41);
  const int64_t base = Murmur3Hash(key);

  for (size_t i = 0; i < key.size(); ++i) {
    Bytes changed = key;
    changed[i] ^= 0x80;
    EXPECT_NE(Murmur3Hash(changed), base) << "byte " << i;
  }
}

TEST(RoutingKeyTest, CompositeKeyEncodesLengthBytesAndEndOfComponent) {
  const Bytes text = {'a', 'b'};
  const Bytes number = {0x00, 0x00, 0x00, 0x07};
  const Bytes empty;
  const std::vector<BytesView> components = {text, number, empty};

  auto key = BuildRoutingKey(components);

  EXPECT_THAT(key, HasValue(Hex("0002616200"
                                "000400000007"
                                "00"
                                "000000")));
}

TEST(RoutingKeyTest, RejectsNoComponents) {
  EXPECT_THAT(BuildRoutingKey({}), IsError(ErrorCode::kInvalidArgument));
}

TEST(RoutingKeyTest, RejectsComponentLongerThanTwoByteLength) {
  const Bytes big(kMaxPartitionKeyBytes + 1, 0x01);
  const Bytes small = {0x01};
  const std::vector<BytesView> components = {small, big};
  RoutingKeyBuilder builder;

  EXPECT_THAT(BuildRoutingKey(components), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(builder.Build(components), IsError(ErrorCode::kInvalidArgument));
}

TEST(RoutingKeyTest, SingleComponentAtAndPastTheLimitAsBuildRoutingKey) {
  RoutingKeyBuilder builder;
  const size_t max = kMaxPartitionKeyBytes;
  for (size_t size : {size_t{0}, size_t{1}, size_t{4}, max - 1, max, max + 1, max + 9}) {
    const Bytes value(size, 0x5a);
    const std::vector<BytesView> components = {value};
    auto built = BuildRoutingKey(components);
    auto reused = builder.Build(components);
    ASSERT_EQ(built.has_value(), reused.has_value()) << size;
    EXPECT_EQ(built.has_value(), size <= kMaxPartitionKeyBytes) << size;
    if (built.has_value()) {
      EXPECT_EQ(reused->data(), value.data()) << size;
      EXPECT_EQ(reused->size(), built->size()) << size;
    } else {
      EXPECT_EQ(reused.error().message(), built.error().message()) << size;
    }
  }
}

TEST(RoutingKeyTest, BuilderReusesItsBuffer) {
  const Bytes a = {0x01};
  const Bytes b = {0x02, 0x03};
  RoutingKeyBuilder builder;
  const std::vector<BytesView> first = {a, b};
  const std::vector<BytesView> second = {b, a};

  auto key1 = builder.Build(first);
  const std::string hex1 = ToHex(*key1);
  auto key2 = builder.Build(second);

  EXPECT_EQ(hex1,
            "00010100"
            "0002020300");
  EXPECT_EQ(ToHex(*key2),
            "0002020300"
            "00010100");
}

}  // namespace
}  // namespace cqlbulk::ring
