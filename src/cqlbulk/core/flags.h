// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"

namespace cqlbulk {

/// \brief One command-line flag: `--name VALUE`, `--name=VALUE`, or `--name` for switches.
struct Flag {
  std::string name;        ///< without the leading dashes
  std::string short_name;  ///< optional one-letter alias ("k" for -k), as DSBulk users expect
  std::string value_name;  ///< empty for a switch
  std::string help;
  /// Receives the value ("" for a switch); an error names what is wrong with the value.
  std::function<Status(std::string_view)> set;
};

/// \brief The flags of one subcommand, parsed in order; unknown flags are errors.
class FlagSet {
 public:
  void Add(Flag flag) { flags_.push_back(std::move(flag)); }

  // Typed helpers bind a flag to a field of an options struct.
  void AddString(std::string name, std::string value_name, std::string help, std::string* target,
                 std::string short_name = {});
  void AddInt(std::string name, std::string value_name, std::string help, int64_t* target,
              int64_t min, int64_t max, std::string short_name = {});
  void AddSwitch(std::string name, std::string help, bool* target);

  /// Parses `args`; returns the positional arguments. kInvalidArgument names the flag.
  Result<std::vector<std::string>> Parse(std::span<const std::string> args) const;

  /// "  --name VALUE   help" lines, aligned.
  std::string Usage() const;

 private:
  const Flag* Find(std::string_view name, bool is_short) const;

  std::vector<Flag> flags_;
};

/// Parses a decimal integer in [min, max]; the error starts with `what` when it is not empty.
Result<int64_t> ParseInt(std::string_view text, int64_t min, int64_t max, std::string_view what);

}  // namespace cqlbulk
