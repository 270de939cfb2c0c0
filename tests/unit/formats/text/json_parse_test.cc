// SPDX-License-Identifier: Apache-2.0
// JsonDocument: strict RFC 8259, raw numbers, unescaped strings, errors with byte offsets.
#include "cqlbulk/formats/text/json_parse.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsOk;

// A compact rendering of a parsed value, to compare whole trees.
std::string Render(JsonValue v) {
  switch (v.type()) {
    case JsonType::kNull:
      return "null";
    case JsonType::kBoolean:
      return v.boolean() ? "true" : "false";
    case JsonType::kNumber:
      return "#" + std::string(v.text());
    case JsonType::kString:
      return "'" + std::string(v.text()) + "'";
    case JsonType::kArray: {
      std::string out = "[";
      for (JsonValue e : v.elements()) out += (out.size() > 1 ? "," : "") + Render(e);
      return out + "]";
    }
    case JsonType::kObject: {
      std::string out = "{";
      for (JsonMember m : v.members()) {
        out += (out.size() > 1 ? "," : "") + std::string(m.key) + ":" + Render(m.value);
      }
      return out + "}";
    }
  }
  return "?";
}

std::string Parse(std::string_view text) {
  JsonDocument document;
  Status status = document.Parse(text);
  if (!status.has_value()) return "error: " + status.error().message();
  return Render(document.root());
}

TEST(JsonParseTest, ValuesAndStructure) {
  EXPECT_EQ(Parse(R"({"a": 1, "b": [true, false, null], "c": {"d": "e"}, "f": []})"),
            "{a:#1,b:[true,false,null],c:{d:'e'},f:[]}");
  EXPECT_EQ(Parse(" \t\r\n42 \n"), "#42");
  EXPECT_EQ(Parse("\"x\""), "'x'");
  EXPECT_EQ(Parse("{}"), "{}");
  EXPECT_EQ(Parse("[[[]],[{}]]"), "[[[]],[{}]]");
}

TEST(JsonParseTest, NumbersKeepTheirRawText) {
  EXPECT_EQ(Parse("[-0.5e+10, 0, -0, 1E400, 123456789012345678901234567890.000]"),
            "[#-0.5e+10,#0,#-0,#1E400,#123456789012345678901234567890.000]");
}

TEST(JsonParseTest, StringsAreUnescaped) {
  EXPECT_EQ(Parse(R"("a\"b\\c\/d\b\f\n\r\t")"), "'a\"b\\c/d\b\f\n\r\t'");
  EXPECT_EQ(Parse(R"("\u00e9\u20AC\ud83d\ude00")"), "'\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80'");
  EXPECT_EQ(Parse(R"("\u0000")"), std::string("'\0'", 3));
  EXPECT_EQ(Parse("\"h\xC3\xA9llo\""), "'h\xC3\xA9llo'");
  // Several escaped strings in one document each keep their own text.
  EXPECT_EQ(Parse(R"(["\n1", "2\t", "plain", "\"3\""])"), "['\n1','2\t','plain','\"3\"']");
}

TEST(JsonParseTest, ObjectLookup) {
  JsonDocument document;
  ASSERT_THAT(document.Parse(R"({"a": 1, "b": {"c": 2}, "d": 3})"), IsOk());
  JsonValue root = document.root();
  EXPECT_EQ(root.size(), 3u);
  EXPECT_EQ(Render(root.Find("b")), "{c:#2}");
  EXPECT_EQ(Render(root.Find("d")), "#3");
  EXPECT_FALSE(root.Find("c").valid());
}

TEST(JsonParseTest, ErrorsNameTheByteOffset) {
  EXPECT_EQ(Parse(""), "error: invalid JSON at byte 0: no value");
  EXPECT_EQ(Parse("[1,]"), "error: invalid JSON at byte 3: unexpected character");
  EXPECT_EQ(Parse(R"({"a" 1})"), "error: invalid JSON at byte 5: expected ':'");
  EXPECT_EQ(Parse(R"({"a": 1,})"), "error: invalid JSON at byte 8: expected a string key");
  EXPECT_EQ(Parse("{a: 1}"), "error: invalid JSON at byte 1: expected a string key");
  EXPECT_EQ(Parse("[1 2]"), "error: invalid JSON at byte 3: expected ',' or ']'");
  EXPECT_EQ(Parse("01"), "error: invalid JSON at byte 1: leading zero in a number");
  EXPECT_EQ(Parse("1."), "error: invalid JSON at byte 2: expected a digit after '.'");
  EXPECT_EQ(Parse("1e+"), "error: invalid JSON at byte 3: expected a digit in the exponent");
  EXPECT_EQ(Parse("-"), "error: invalid JSON at byte 1: expected a digit");
  EXPECT_EQ(Parse("+1"), "error: invalid JSON at byte 0: unexpected character");
  EXPECT_EQ(Parse("NaN"), "error: invalid JSON at byte 0: unexpected character");
  EXPECT_EQ(Parse("tru"), "error: invalid JSON at byte 0: unexpected character");
  EXPECT_EQ(Parse("[1] x"), "error: invalid JSON at byte 4: unexpected text after the value");
  EXPECT_EQ(Parse("\"abc"), "error: invalid JSON at byte 4: unterminated string");
  EXPECT_EQ(Parse("\"a\x01\""), "error: invalid JSON at byte 2: control character in a string");
  EXPECT_EQ(Parse("\"a\nb\""), "error: invalid JSON at byte 2: control character in a string");
  EXPECT_EQ(Parse("\"\xFF\""), "error: invalid JSON at byte 1: invalid UTF-8 in a string");
  EXPECT_EQ(Parse("\"\xED\xA0\x80\""), "error: invalid JSON at byte 1: invalid UTF-8 in a string");
  EXPECT_EQ(Parse(R"("\x")"), "error: invalid JSON at byte 1: bad escape");
  EXPECT_EQ(Parse(R"("\u12")"), "error: invalid JSON at byte 1: bad \\u escape");
  EXPECT_EQ(Parse(R"("\ud800")"),
            "error: invalid JSON at byte 1: high surrogate escape without its low surrogate");
  EXPECT_EQ(Parse(R"("\ud800\u0041")"),
            "error: invalid JSON at byte 1: high surrogate escape without its low surrogate");
  EXPECT_EQ(Parse(R"("\udc00")"), "error: invalid JSON at byte 1: lone low surrogate escape");
  EXPECT_EQ(Parse("[1, 2"), "error: invalid JSON at byte 5: unterminated array");
  EXPECT_EQ(Parse(R"({"a": 1)"), "error: invalid JSON at byte 7: unterminated object");
  EXPECT_EQ(Parse("[1] // comment"), "error: invalid JSON at byte 4: unexpected text after the value");
}

TEST(JsonParseTest, DepthIsLimited) {
  std::string ok(JsonDocument::kDefaultMaxDepth, '[');
  ok += std::string(JsonDocument::kDefaultMaxDepth, ']');
  JsonDocument document;
  EXPECT_THAT(document.Parse(ok), IsOk());
  std::string deep(100000, '[');
  EXPECT_THAT(document.Parse(deep), HasMessage("nested too deeply"));
  JsonDocument shallow(2);
  EXPECT_THAT(shallow.Parse("[[1]]"), IsOk());
  EXPECT_THAT(shallow.Parse("[[[1]]]"), HasMessage("at byte 2: nested too deeply"));
}

TEST(JsonParseTest, DocumentIsReusedAcrossParses) {
  JsonDocument document;
  ASSERT_THAT(document.Parse(R"({"a": [1, 2, 3], "b": "\n"})"), IsOk());
  EXPECT_EQ(document.num_nodes(), 8u);
  ASSERT_THAT(document.Parse("[\"x\\t\"]"), IsOk());
  EXPECT_EQ(document.num_nodes(), 2u);
  EXPECT_EQ(Render(document.root()), "['x\t']");
  EXPECT_FALSE(document.Parse("[").has_value());
  ASSERT_THAT(document.Parse(std::string(10000, ' ') + "\"\\u0041\""), IsOk());
  EXPECT_EQ(Render(document.root()), "'A'");
}

TEST(JsonParseTest, FindInvalidUtf8) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii text, long enough for words"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("abcdefgh\x80"), 8u);
  EXPECT_EQ(FindInvalidUtf8("ab\xE2\x82"), 2u);  // truncated
  EXPECT_EQ(FindInvalidUtf8("\xE0\x80\x80"), 0u);  // overlong
  EXPECT_EQ(FindInvalidUtf8("\xF0\x80\x80\x80"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xC1\xBF"), 0u);
}

TEST(JsonParseTest, QuoteForErrorCutsAtACharacter) {
  EXPECT_EQ(QuoteForError("abc"), "'abc'");
  std::string text(59, 'a');
  text += "\xC3\xA9tail";
  EXPECT_EQ(QuoteForError(text), "'" + std::string(59, 'a') + "...'");
}

}  // namespace
}  // namespace cqlbulk::formats
