// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace cqlbulk {

/// \brief What went wrong, chosen by what the caller does about it (see STYLE.md §3).
enum class ErrorCode : uint8_t {
  kInvalidArgument,  ///< user input or configuration: report, exit 2
  kNotFound,
  kAlreadyExists,
  kConflict,  ///< a compare-and-swap lost a race (e.g. a catalog commit): reload and retry
  kUnavailable,  ///< retry elsewhere or later
  kTimeout,      ///< retry per policy
  kOverloaded,   ///< back off
  kProtocol,     ///< the peer broke the protocol: drop the connection
  kServer,       ///< a CQL error response; the raw code travels in Error::server_code
  kIo,           ///< local files
  kCorrupt,      ///< bad input file or data loss
  kCancelled,
  kInternal,  ///< a bug
  kUnimplemented,
};

std::string_view ErrorCodeName(ErrorCode code);

/// \brief An expected failure: a code, a message, and context added while unwinding.
class [[nodiscard]] Error {
 public:
  Error(ErrorCode code, std::string message, int32_t server_code = 0)
      : code_(code), server_code_(server_code), message_(std::move(message)) {}

  ErrorCode code() const noexcept { return code_; }
  /// The raw CQL error code for kServer (and for errors mapped from a CQL ERROR); 0 otherwise.
  int32_t server_code() const noexcept { return server_code_; }
  const std::string& message() const noexcept { return message_; }

  /// \brief Prepends context: "reading frame: truncated ...". Returns *this for chaining.
  Error& AddContext(std::string_view context);
  Error WithContext(std::string_view context) &&;

  /// "kProtocol: message"
  std::string ToString() const;

  friend bool operator==(const Error&, const Error&) = default;

 private:
  ErrorCode code_;
  int32_t server_code_;
  std::string message_;
};

template <typename T>
class Result;

/// \brief Marker that makes `return Unexpected(err)` read like std::expected.
inline Error Unexpected(Error e) { return e; }

/// \brief A value or an Error, with the std::expected API subset we use.
template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cvref_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  using value_type = T;

  Result(Error error) : storage_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  template <typename U = T>
    requires std::is_constructible_v<T, U&&> &&
             (!std::is_same_v<std::remove_cvref_t<U>, Result>) &&
             (!std::is_same_v<std::remove_cvref_t<U>, Error>)
  Result(U&& value) : storage_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT

  bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(storage_); }
  Error& error() & { return std::get<1>(storage_); }
  Error&& error() && { return std::get<1>(std::move(storage_)); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> storage_;
};

/// \brief Success or an Error. OK is a null pointer: cheap to create and to test.
///
/// (An Error held in place cost a string's construction and destruction per OK status: a load
/// returns several per value it reads and encodes, 5% of its instructions.)
template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;

  Result() noexcept = default;
  Result(Error error) : error_(std::make_unique<Error>(std::move(error))) {}  // NOLINT
  Result(const Result& other)
      : error_(other.error_ ? std::make_unique<Error>(*other.error_) : nullptr) {}
  Result& operator=(const Result& other) {
    if (this != &other) error_ = other.error_ ? std::make_unique<Error>(*other.error_) : nullptr;
    return *this;
  }
  Result(Result&&) noexcept = default;
  Result& operator=(Result&&) noexcept = default;

  bool has_value() const noexcept { return error_ == nullptr; }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const {}

  /// The error; only when has_value() is false.
  const Error& error() const& { return *error_; }
  Error& error() & { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::unique_ptr<Error> error_;
};

using Status = Result<void>;

inline Status OkStatus() { return {}; }

// Constructors by code, so call sites read `return InvalidArgument("...")`.
inline Error InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Error AlreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
inline Error Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
inline Error Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
inline Error Timeout(std::string m) { return {ErrorCode::kTimeout, std::move(m)}; }
inline Error Overloaded(std::string m) { return {ErrorCode::kOverloaded, std::move(m)}; }
inline Error ProtocolError(std::string m) { return {ErrorCode::kProtocol, std::move(m)}; }
inline Error IoError(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
inline Error Corrupt(std::string m) { return {ErrorCode::kCorrupt, std::move(m)}; }
inline Error Cancelled(std::string m) { return {ErrorCode::kCancelled, std::move(m)}; }
inline Error Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }
inline Error Unimplemented(std::string m) { return {ErrorCode::kUnimplemented, std::move(m)}; }

}  // namespace cqlbulk
