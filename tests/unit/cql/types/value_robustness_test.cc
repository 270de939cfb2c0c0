// SPDX-License-Identifier: Apache-2.0
// Decoding hostile bytes: truncations and mutations of real server values, and random bytes,
// must fail cleanly (kProtocol) or give a value that encodes and decodes back to itself.
#include <random>

#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "testing/matchers.h"
#include "testing/testdata.h"
#include "value_test_util.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::Hex;

/// Decodes `bytes`; on success checks that the value re-encodes and decodes to itself.
/// Returns whether decoding succeeded.
bool CheckDecodeIsClean(const DataType& type, BytesView bytes) {
  auto decoded = DecodeValue(type, bytes);
  if (!decoded) {
    EXPECT_EQ(decoded.error().code(), ErrorCode::kProtocol) << decoded.error().ToString();
    return false;
  }
  auto encoded = EncodeValueToBytes(type, *decoded);
  EXPECT_TRUE(encoded.has_value())
      << type.ToCql() << " " << ToHex(bytes) << ": " << encoded.error().ToString();
  if (!encoded) return true;
  auto again = DecodeValue(type, *encoded);
  EXPECT_TRUE(again.has_value()) << ToHex(*encoded);
  if (again) {
    EXPECT_EQ(*again, *decoded) << type.ToCql() << " " << ToHex(bytes);
  }
  return true;
}

class ValueRobustnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto golden = cqlbulk::testing::LoadTestdataJson("cql_values.json");
    for (const auto& t : golden["types"]) {
      Bytes option = Hex(t["result_type_option_hex"].get<std::string>());
      ByteReader r(option, ErrorCode::kProtocol);
      auto type = ReadOption(r);
      ASSERT_TRUE(type.has_value());
      for (const auto& v : t["values"]) {
        if (!v["hex"].is_null()) samples_.emplace_back(*type, Hex(v["hex"].get<std::string>()));
      }
    }
    samples_.emplace_back(DataType::Vector(DataType::Native(TypeId::kVarchar), 3),
                          Hex("0161026263810000"));
    samples_.emplace_back(DataType::Vector(DataType::Native(TypeId::kDouble), 2),
                          Hex("3ff00000000000004000000000000000"));
    samples_.emplace_back(DataType::Native(TypeId::kDuration), Hex("1c06fc1ac004a5c612"));
  }

  std::vector<std::pair<DataTypePtr, Bytes>> samples_;
};

TEST_F(ValueRobustnessTest, EveryTruncationFailsCleanly) {
  int decoded = 0, rejected = 0;

  for (const auto& [type, bytes] : samples_) {
    for (size_t n = 0; n < bytes.size(); ++n) {
      (CheckDecodeIsClean(*type, BytesView(bytes).first(n)) ? decoded : rejected)++;
    }
  }

  EXPECT_GT(rejected, 1000);
  EXPECT_GT(decoded, 100);  // e.g. shorter text, empty values, tuples with fewer fields
}

TEST_F(ValueRobustnessTest, MutatedServerValuesFailCleanlyOrRoundTrip) {
  std::mt19937 rng(20240229);
  int attempts = 0;

  for (const auto& [type, original] : samples_) {
    if (original.empty()) continue;
    for (int round = 0; round < 64; ++round) {
      Bytes bytes = original;
      int flips = 1 + static_cast<int>(rng() % 3);
      for (int f = 0; f < flips; ++f) {
        bytes[rng() % bytes.size()] = static_cast<uint8_t>(rng());
      }
      CheckDecodeIsClean(*type, bytes);
      ++attempts;
    }
  }
  EXPECT_GT(attempts, 10000);
}

TEST_F(ValueRobustnessTest, RandomBytesFailCleanlyForEveryType) {
  std::mt19937 rng(7);

  for (const auto& [type, unused] : samples_) {
    for (int round = 0; round < 50; ++round) {
      Bytes bytes(rng() % 40);
      for (auto& b : bytes) b = static_cast<uint8_t>(rng());
      // Bias towards plausible small counts and lengths.
      if (bytes.size() >= 4 && round % 2 == 0) bytes[0] = bytes[1] = bytes[2] = 0;
      CheckDecodeIsClean(*type, bytes);
    }
  }
}

}  // namespace
}  // namespace cqlbulk::cql
