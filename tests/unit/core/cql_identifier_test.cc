// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/cql_identifier.h"

#include <gtest/gtest.h>

namespace cqlbulk {
namespace {

TEST(CqlIdentifierTest, LeavesPlainLowerCaseNamesAlone) {
  EXPECT_EQ(QuoteCqlIdentifier("pk"), "pk");
  EXPECT_EQ(QuoteCqlIdentifier("user_id2"), "user_id2");
}

TEST(CqlIdentifierTest, QuotesCaseSpacesDigitsFirstAndKeywords) {
  EXPECT_EQ(QuoteCqlIdentifier("UserId"), "\"UserId\"");
  EXPECT_EQ(QuoteCqlIdentifier("a b"), "\"a b\"");
  EXPECT_EQ(QuoteCqlIdentifier("1col"), "\"1col\"");
  EXPECT_EQ(QuoteCqlIdentifier("token"), "\"token\"");
  EXPECT_EQ(QuoteCqlIdentifier("select"), "\"select\"");
  EXPECT_EQ(QuoteCqlIdentifier("_x"), "\"_x\"");
}

TEST(CqlIdentifierTest, DoublesEmbeddedQuotes) {
  EXPECT_EQ(QuoteCqlIdentifier("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(CqlIdentifierTest, KnowsReservedWords) {
  EXPECT_TRUE(IsReservedCqlWord("select"));
  EXPECT_TRUE(IsReservedCqlWord("true"));
  EXPECT_FALSE(IsReservedCqlWord("value"));
  EXPECT_FALSE(IsReservedCqlWord("SELECT"));  // words are compared lower-case
}

}  // namespace
}  // namespace cqlbulk
