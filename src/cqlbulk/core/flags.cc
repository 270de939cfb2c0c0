// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/flags.h"

#include <algorithm>
#include <charconv>

#include "cqlbulk/core/macros.h"

namespace cqlbulk {

Result<int64_t> ParseInt(std::string_view text, int64_t min, int64_t max, std::string_view what) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  std::string prefix = what.empty() ? std::string() : std::string(what) + ": ";
  if (ec != std::errc() || end != text.data() + text.size()) {
    return InvalidArgument(prefix + "'" + std::string(text) + "' is not an integer");
  }
  if (v < min || v > max) {
    return InvalidArgument(prefix + std::string(text) + " is out of range [" +
                           std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return v;
}

void FlagSet::AddString(std::string name, std::string value_name, std::string help,
                        std::string* target, std::string short_name) {
  Add({std::move(name), std::move(short_name), std::move(value_name), std::move(help),
       [target](std::string_view v) -> Status {
         *target = std::string(v);
         return {};
       }});
}

void FlagSet::AddInt(std::string name, std::string value_name, std::string help, int64_t* target,
                     int64_t min, int64_t max, std::string short_name) {
  Add({std::move(name), std::move(short_name), std::move(value_name), std::move(help),
       [target, min, max](std::string_view v) -> Status {
         // Parse() names the flag.
         CQLBULK_ASSIGN_OR_RETURN(*target, ParseInt(v, min, max, {}));
         return {};
       }});
}

void FlagSet::AddSwitch(std::string name, std::string help, bool* target) {
  Add({std::move(name), {}, {}, std::move(help), [target](std::string_view) -> Status {
         *target = true;
         return {};
       }});
}

const Flag* FlagSet::Find(std::string_view name, bool is_short) const {
  for (const Flag& f : flags_) {
    if ((is_short ? f.short_name : f.name) == name) return &f;
  }
  return nullptr;
}

Result<std::vector<std::string>> FlagSet::Parse(std::span<const std::string> args) const {
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--") {
      positional.insert(positional.end(), args.begin() + static_cast<ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional.emplace_back(arg);
      continue;
    }
    bool is_short = arg[1] != '-';
    std::string_view body = arg.substr(is_short ? 1 : 2);
    std::string_view inline_value;
    bool has_inline = false;
    if (size_t eq = body.find('='); eq != std::string_view::npos) {
      inline_value = body.substr(eq + 1);
      body = body.substr(0, eq);
      has_inline = true;
    }
    const Flag* flag = Find(body, is_short);
    if (flag == nullptr) {
      return InvalidArgument("unknown option '" + std::string(arg) + "' (see --help)");
    }
    std::string_view value;
    if (flag->value_name.empty()) {
      if (has_inline) {
        return InvalidArgument("option --" + flag->name + " takes no value");
      }
    } else if (has_inline) {
      value = inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return InvalidArgument("option --" + flag->name + " needs a value (" + flag->value_name + ")");
    }
    Status s = flag->set(value);
    if (!s) {
      return std::move(s).error().WithContext("option --" + flag->name);
    }
  }
  return positional;
}

std::string FlagSet::Usage() const {
  std::vector<std::string> heads;
  size_t width = 0;
  for (const Flag& f : flags_) {
    std::string head = f.short_name.empty() ? "      " : "  -" + f.short_name + ", ";
    head += "--" + f.name;
    if (!f.value_name.empty()) head += " " + f.value_name;
    width = std::max(width, head.size());
    heads.push_back(std::move(head));
  }
  std::string out;
  for (size_t i = 0; i < flags_.size(); ++i) {
    out += heads[i] + std::string(width - heads[i].size() + 2, ' ') + flags_[i].help + "\n";
  }
  return out;
}

}  // namespace cqlbulk
