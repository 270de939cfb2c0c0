// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/flags.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace cqlbulk {
namespace {

using testing::HasMessage;
using testing::IsError;

struct Parsed {
  std::string keyspace;
  int64_t splits = 0;
  bool help = false;
};

FlagSet MakeFlags(Parsed& p) {
  FlagSet flags;
  flags.AddString("keyspace", "KS", "keyspace", &p.keyspace, "k");
  flags.AddInt("splits", "N", "pieces", &p.splits, 1, 100);
  flags.AddSwitch("help", "show help", &p.help);
  return flags;
}

Result<std::vector<std::string>> ParseArgs(FlagSet& flags, std::vector<std::string> args) {
  return flags.Parse(args);
}

TEST(FlagSetTest, LongShortAndEqualsFormsAndPositionals) {
  Parsed p;
  FlagSet flags = MakeFlags(p);

  auto positional = ParseArgs(flags, {"-k", "ks", "first", "--splits=7", "--help", "second"});

  ASSERT_TRUE(positional.has_value()) << positional.error().ToString();
  EXPECT_EQ(*positional, (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(p.keyspace, "ks");
  EXPECT_EQ(p.splits, 7);
  EXPECT_TRUE(p.help);
}

TEST(FlagSetTest, ErrorsNameTheFlagOnceAndTheBadValue) {
  Parsed p;
  FlagSet flags = MakeFlags(p);

  auto out_of_range = ParseArgs(flags, {"--splits", "0"});
  auto not_a_number = ParseArgs(flags, {"--splits", "many"});
  auto missing_value = ParseArgs(flags, {"--keyspace"});
  auto unknown = ParseArgs(flags, {"--keyspaces", "ks"});
  auto switch_value = ParseArgs(flags, {"--help=yes"});

  EXPECT_THAT(out_of_range, IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(out_of_range.error().message(), "option --splits: 0 is out of range [1, 100]");
  EXPECT_EQ(not_a_number.error().message(), "option --splits: 'many' is not an integer");
  EXPECT_THAT(missing_value, HasMessage("option --keyspace needs a value (KS)"));
  EXPECT_THAT(unknown, HasMessage("--keyspaces"));
  EXPECT_THAT(switch_value, HasMessage("option --help takes no value"));
}

TEST(ParseIntTest, NamesWhatWhenGiven) {
  EXPECT_EQ(ParseInt("12", 0, 20, "--n").value(), 12);
  EXPECT_EQ(ParseInt("-3", -5, 5, {}).value(), -3);
  EXPECT_THAT(ParseInt("30", 0, 20, "--n"), HasMessage("--n: 30 is out of range [0, 20]"));
  EXPECT_THAT(ParseInt("1x", 0, 20, {}), HasMessage("'1x' is not an integer"));
}

}  // namespace
}  // namespace cqlbulk
