// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/parser/cql_lexer.h"

#include <string>
#include <vector>

#include "testing/matchers.h"

namespace cqlbulk::sim {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

// Kind and normalised text of each token, without the final kEnd.
std::vector<std::pair<TokenKind, std::string>> Lex(std::string_view text) {
  std::vector<std::pair<TokenKind, std::string>> out;
  auto tokens = Tokenize(text);
  EXPECT_TRUE(tokens.has_value()) << tokens.error().ToString();
  if (!tokens) {
    return out;
  }
  EXPECT_EQ(tokens->back().kind, TokenKind::kEnd);
  for (size_t i = 0; i + 1 < tokens->size(); ++i) {
    out.emplace_back((*tokens)[i].kind, (*tokens)[i].text);
  }
  return out;
}

using K = TokenKind;
using Lexed = std::vector<std::pair<TokenKind, std::string>>;

TEST(CqlLexerTest, LowerCasesUnquotedWordsAndKeepsQuotedNames) {
  EXPECT_EQ(Lex("SELECT Foo \"MixedCase\" \"with \"\"quote\"\"\""),
            (Lexed{{K::kIdentifier, "select"},
                   {K::kIdentifier, "foo"},
                   {K::kQuotedName, "MixedCase"},
                   {K::kQuotedName, "with \"quote\""}}));
}

TEST(CqlLexerTest, UnescapesStringLiterals) {
  EXPECT_EQ(Lex("'it''s' '' $$a 'dollar' $ string$$"),
            (Lexed{{K::kString, "it's"}, {K::kString, ""}, {K::kString, "a 'dollar' $ string"}}));
}

TEST(CqlLexerTest, KeepsRawSourceTextOfEveryToken) {
  auto tokens = Tokenize("'it''s' Foo");
  ASSERT_TRUE(tokens.has_value());

  EXPECT_EQ((*tokens)[0].raw, "'it''s'");
  EXPECT_EQ((*tokens)[1].raw, "Foo");
  EXPECT_EQ((*tokens)[1].Display(), "Foo");
  EXPECT_EQ((*tokens)[2].Display(), "<EOF>");
}

TEST(CqlLexerTest, ReadsNumbers) {
  EXPECT_EQ(Lex("42 1.5 1. 2e10 1.5E-3 7e+2 0"), (Lexed{{K::kInteger, "42"},
                                                        {K::kFloat, "1.5"},
                                                        {K::kFloat, "1."},
                                                        {K::kFloat, "2e10"},
                                                        {K::kFloat, "1.5E-3"},
                                                        {K::kFloat, "7e+2"},
                                                        {K::kInteger, "0"}}));
}

TEST(CqlLexerTest, ReadsSignAsSeparateSymbol) {
  EXPECT_EQ(Lex("-5 - 5"),
            (Lexed{{K::kSymbol, "-"}, {K::kInteger, "5"}, {K::kSymbol, "-"}, {K::kInteger, "5"}}));
}

TEST(CqlLexerTest, ReadsBlobsAndUuids) {
  EXPECT_EQ(Lex("0xCAFEbabe 0x 550e8400-e29b-41d4-a716-446655440000 "
                "deadbeef-0000-1000-8000-00aabbccddee"),
            (Lexed{{K::kHex, "0xCAFEbabe"},
                   {K::kHex, "0x"},
                   {K::kUuid, "550e8400-e29b-41d4-a716-446655440000"},
                   {K::kUuid, "deadbeef-0000-1000-8000-00aabbccddee"}}));
}

TEST(CqlLexerTest, ReadsDurationsInEveryForm) {
  EXPECT_EQ(Lex("1h30m 12mo 3ms 10us 5\xC2\xB5s 7ns 2y1w P1D PT2H30M P1Y2M3DT4H5M6S P2W "
                "P0001-02-03T04:05:06"),
            (Lexed{{K::kDuration, "1h30m"},
                   {K::kDuration, "12mo"},
                   {K::kDuration, "3ms"},
                   {K::kDuration, "10us"},
                   {K::kDuration, "5\xC2\xB5s"},
                   {K::kDuration, "7ns"},
                   {K::kDuration, "2y1w"},
                   {K::kDuration, "P1D"},
                   {K::kDuration, "PT2H30M"},
                   {K::kDuration, "P1Y2M3DT4H5M6S"},
                   {K::kDuration, "P2W"},
                   {K::kDuration, "P0001-02-03T04:05:06"}}));
}

TEST(CqlLexerTest, WordsStartingWithPAreStillIdentifiers) {
  EXPECT_EQ(Lex("p pk peers_v2 PT"), (Lexed{{K::kIdentifier, "p"},
                                            {K::kIdentifier, "pk"},
                                            {K::kIdentifier, "peers_v2"},
                                            {K::kIdentifier, "pt"}}));
}

TEST(CqlLexerTest, ReadsSymbols) {
  EXPECT_EQ(Lex("<= >= != < > = ( ) [ ] { } , ; . * + - : ?"),
            (Lexed{{K::kSymbol, "<="}, {K::kSymbol, ">="}, {K::kSymbol, "!="}, {K::kSymbol, "<"},
                   {K::kSymbol, ">"},  {K::kSymbol, "="},  {K::kSymbol, "("},  {K::kSymbol, ")"},
                   {K::kSymbol, "["},  {K::kSymbol, "]"},  {K::kSymbol, "{"},  {K::kSymbol, "}"},
                   {K::kSymbol, ","},  {K::kSymbol, ";"},  {K::kSymbol, "."},  {K::kSymbol, "*"},
                   {K::kSymbol, "+"},  {K::kSymbol, "-"},  {K::kSymbol, ":"},  {K::kSymbol, "?"}}));
}

TEST(CqlLexerTest, SkipsCommentsOfAllThreeKinds) {
  EXPECT_EQ(Lex("a -- to end of line\nb // also\nc /* block\n comment */ d"),
            (Lexed{{K::kIdentifier, "a"},
                   {K::kIdentifier, "b"},
                   {K::kIdentifier, "c"},
                   {K::kIdentifier, "d"}}));
}

TEST(CqlLexerTest, TracksLinesAndColumns) {
  auto tokens = Tokenize("SELECT *\n  FROM /* x\n y */ t");
  ASSERT_TRUE(tokens.has_value());

  EXPECT_EQ((*tokens)[0].line, 1u);
  EXPECT_EQ((*tokens)[0].column, 0u);
  EXPECT_EQ((*tokens)[1].column, 7u);
  EXPECT_EQ((*tokens)[2].line, 2u);
  EXPECT_EQ((*tokens)[2].column, 2u);
  EXPECT_EQ((*tokens)[3].line, 3u);
  EXPECT_EQ((*tokens)[3].column, 6u);
}

TEST(CqlLexerTest, RejectsUnterminatedStringNamingItsStart) {
  auto tokens = Tokenize("SELECT 'abc");

  EXPECT_THAT(tokens, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(tokens, HasMessage("line 1:7 unterminated string literal at input ''abc'"));
  EXPECT_EQ(tokens.error().server_code(), kCqlSyntaxErrorCode);
}

TEST(CqlLexerTest, RejectsUnterminatedQuotedNameDollarStringAndComment) {
  EXPECT_THAT(Tokenize("a \"b"), HasMessage("line 1:2 unterminated quoted name"));
  EXPECT_THAT(Tokenize("a $$b"), HasMessage("line 1:2 unterminated string literal"));
  EXPECT_THAT(Tokenize("a\n /* b"), HasMessage("line 2:1 unterminated comment"));
  EXPECT_THAT(Tokenize("\"\""), HasMessage("line 1:0 empty quoted name"));
}

TEST(CqlLexerTest, RejectsCharactersThatStartNoToken) {
  EXPECT_THAT(Tokenize("SELECT # FROM t"), HasMessage("line 1:7 token recognition error at: '#'"));
  EXPECT_THAT(Tokenize("a ! b"), HasMessage("line 1:2 token recognition error at: '!'"));
  EXPECT_THAT(Tokenize("x = 12abc"), HasMessage("line 1:4 token recognition error at: '12abc'"));
  EXPECT_THAT(Tokenize("x = 0x1g"), HasMessage("line 1:4 token recognition error at: '0x1g'"));
  EXPECT_THAT(Tokenize("x = 1.5h"), HasMessage("token recognition error at: '1.5h'"));
}

TEST(CqlLexerTest, EmptyInputIsJustEnd) {
  auto tokens = Tokenize("  -- nothing\n");
  ASSERT_TRUE(tokens.has_value());

  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ(tokens->front().kind, TokenKind::kEnd);
}

}  // namespace
}  // namespace cqlbulk::sim
