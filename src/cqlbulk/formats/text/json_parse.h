// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"

namespace cqlbulk::formats {

/// \brief What a JSON value is.
enum class JsonType : uint8_t { kNull, kBoolean, kNumber, kString, kArray, kObject };

/// \brief One value of a parsed document, in document order: a container's descendants
/// follow it, so its first child is the next node and its next sibling is `span` nodes on.
/// An object's members are a key node (a string) then the value's nodes.
struct JsonNode {
  JsonType type = JsonType::kNull;
  bool boolean = false;
  uint32_t size = 0;    ///< array: elements; object: members
  uint32_t span = 1;    ///< nodes of this value, itself and its descendants
  uint32_t length = 0;  ///< bytes at `text`
  /// number: the raw text as written (exact for decimals and big integers); string: the
  /// unescaped UTF-8 (in the parsed text when it had no escapes, else in the document).
  const char* text = nullptr;
};

/// \brief A read-only handle on a node of a JsonDocument (valid until its next Parse).
class JsonValue {
 public:
  JsonValue() = default;
  explicit JsonValue(const JsonNode* node) noexcept : node_(node) {}

  bool valid() const noexcept { return node_ != nullptr; }
  JsonType type() const noexcept { return node_->type; }
  bool is_null() const noexcept { return node_->type == JsonType::kNull; }
  bool boolean() const noexcept { return node_->boolean; }
  /// A number's raw text or a string's unescaped content.
  std::string_view text() const noexcept { return {node_->text, node_->length}; }
  /// Elements of an array, members of an object.
  uint32_t size() const noexcept { return node_->size; }
  const JsonNode* node() const noexcept { return node_; }

  /// The value after this one among its parent's children (for an object member's value: the
  /// next member's key).
  JsonValue next() const noexcept { return JsonValue(node_ + node_->span); }
  /// The first element of a non-empty array (or first key of a non-empty object).
  JsonValue first() const noexcept { return JsonValue(node_ + 1); }

  /// Iterates an array's elements: `for (JsonValue e : v.elements())`.
  class JsonElements elements() const noexcept;
  /// Iterates an object's members: `for (JsonMember m : v.members())`.
  class JsonMembers members() const noexcept;

  /// An object's first member named `key`, or an invalid value.
  JsonValue Find(std::string_view key) const noexcept;

 private:
  const JsonNode* node_ = nullptr;
};

/// \brief One member of an object.
struct JsonMember {
  std::string_view key;
  JsonValue value;
};

/// \brief An array's elements, in order.
class JsonElements {
 public:
  class Iterator {
   public:
    explicit Iterator(const JsonNode* node) noexcept : node_(node) {}
    JsonValue operator*() const noexcept { return JsonValue(node_); }
    Iterator& operator++() noexcept {
      node_ += node_->span;
      return *this;
    }
    bool operator!=(const Iterator& other) const noexcept { return node_ != other.node_; }

   private:
    const JsonNode* node_;
  };
  JsonElements(const JsonNode* begin, const JsonNode* end) noexcept : begin_(begin), end_(end) {}
  Iterator begin() const noexcept { return Iterator(begin_); }
  Iterator end() const noexcept { return Iterator(end_); }

 private:
  const JsonNode* begin_;
  const JsonNode* end_;
};

/// \brief An object's members, in order.
class JsonMembers {
 public:
  class Iterator {
   public:
    explicit Iterator(const JsonNode* key) noexcept : key_(key) {}
    JsonMember operator*() const noexcept {
      return {std::string_view(key_->text, key_->length), JsonValue(key_ + 1)};
    }
    Iterator& operator++() noexcept {
      key_ += 1 + key_[1].span;
      return *this;
    }
    bool operator!=(const Iterator& other) const noexcept { return key_ != other.key_; }

   private:
    const JsonNode* key_;
  };
  JsonMembers(const JsonNode* begin, const JsonNode* end) noexcept : begin_(begin), end_(end) {}
  Iterator begin() const noexcept { return Iterator(begin_); }
  Iterator end() const noexcept { return Iterator(end_); }

 private:
  const JsonNode* begin_;
  const JsonNode* end_;
};

inline JsonElements JsonValue::elements() const noexcept {
  return {node_ + 1, node_ + node_->span};
}
inline JsonMembers JsonValue::members() const noexcept { return {node_ + 1, node_ + node_->span}; }

/// \brief A strict RFC 8259 parser into a flat node vector that is reused across parses, so
/// parsing record after record allocates nothing once the buffers have grown.
///
/// Strict: no comments, no trailing commas, no NaN/Infinity literals, no leading zeros, no
/// control characters or invalid UTF-8 (overlong forms, surrogates) in strings, no lone
/// surrogate escapes; whitespace is space, tab, CR and LF. Numbers keep their raw text.
/// Nesting deeper than `max_depth` is an error (no recursion past it). Not thread-safe.
class JsonDocument {
 public:
  static constexpr int kDefaultMaxDepth = 128;

  explicit JsonDocument(int max_depth = kDefaultMaxDepth) : max_depth_(max_depth) {}
  JsonDocument(JsonDocument&&) noexcept = default;
  JsonDocument& operator=(JsonDocument&&) noexcept = default;

  /// \brief Parses one JSON value (with optional whitespace around it) from `text`, which
  /// must outlive the views of this parse. kInvalidArgument: "invalid JSON at byte 12:
  /// expected ',' or '}'" (the offset is from the start of `text`).
  Status Parse(std::string_view text);

  /// The parsed value (valid after a successful Parse, until the next one).
  JsonValue root() const noexcept { return JsonValue(nodes_.data()); }
  /// Nodes of the last parse.
  size_t num_nodes() const noexcept { return nodes_.size(); }

 private:
  std::vector<JsonNode> nodes_;
  std::unique_ptr<char[]> arena_;  // unescaped strings; sized to the input, never moves
  size_t arena_capacity_ = 0;
  int max_depth_;
};

/// \brief The offset of the first byte of `text` that is not part of valid UTF-8 (overlong
/// forms, surrogates and code points past U+10FFFF are invalid), or nullopt when it is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text) noexcept;

/// \brief Quotes `text` for an error message: 'text', cut to about 60 bytes (at a character
/// boundary) with "..." when longer.
std::string QuoteForError(std::string_view text);

}  // namespace cqlbulk::formats
