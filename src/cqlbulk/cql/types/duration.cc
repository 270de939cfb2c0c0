// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/duration.h"

#include <array>
#include <limits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/text_internal.h"
#include "cqlbulk/cql/types/vint.h"

namespace cqlbulk::cql {
namespace {

constexpr int64_t kNanosPerMicro = 1'000;
constexpr int64_t kNanosPerMilli = 1'000'000;
constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kNanosPerMinute = 60 * kNanosPerSecond;
constexpr int64_t kNanosPerHour = 60 * kNanosPerMinute;

/// Units in the only order they may appear.
enum class Unit : uint8_t {
  kYears,
  kMonths,
  kWeeks,
  kDays,
  kHours,
  kMinutes,
  kSeconds,
  kMillis,
  kMicros,
  kNanos,
};

constexpr std::array<std::string_view, 10> kUnitNames = {
    "years",   "months",  "weeks",        "days",         "hours",
    "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds"};

/// Accumulates magnitudes (always >= 0) with Cassandra's limits; the sign is applied at the end.
class Builder {
 public:
  explicit Builder(std::string_view text) : text_(text) {}

  Status Add(Unit unit, uint64_t amount) {
    auto index = static_cast<int>(unit);
    if (index == last_) {
      return Fail("the " + std::string(kUnitNames[static_cast<size_t>(index)]) +
                  " are specified multiple times");
    }
    if (index < last_) {
      return Fail("the " + std::string(kUnitNames[static_cast<size_t>(index)]) +
                  " should be before the " + std::string(kUnitNames[static_cast<size_t>(last_)]));
    }
    last_ = index;
    switch (unit) {
      case Unit::kYears:
        return AddTo(&months_, amount, 12, kMaxInt32, "months");
      case Unit::kMonths:
        return AddTo(&months_, amount, 1, kMaxInt32, "months");
      case Unit::kWeeks:
        return AddTo(&days_, amount, 7, kMaxInt32, "days");
      case Unit::kDays:
        return AddTo(&days_, amount, 1, kMaxInt32, "days");
      case Unit::kHours:
        return AddTo(&nanos_, amount, kNanosPerHour, kMaxInt64, "nanoseconds");
      case Unit::kMinutes:
        return AddTo(&nanos_, amount, kNanosPerMinute, kMaxInt64, "nanoseconds");
      case Unit::kSeconds:
        return AddTo(&nanos_, amount, kNanosPerSecond, kMaxInt64, "nanoseconds");
      case Unit::kMillis:
        return AddTo(&nanos_, amount, kNanosPerMilli, kMaxInt64, "nanoseconds");
      case Unit::kMicros:
        return AddTo(&nanos_, amount, kNanosPerMicro, kMaxInt64, "nanoseconds");
      case Unit::kNanos:
        return AddTo(&nanos_, amount, 1, kMaxInt64, "nanoseconds");
    }
    return {};
  }

  Duration Build(bool negative) const {
    int sign = negative ? -1 : 1;
    return Duration{static_cast<int32_t>(sign * static_cast<int64_t>(months_)),
                    static_cast<int32_t>(sign * static_cast<int64_t>(days_)),
                    sign * static_cast<int64_t>(nanos_)};
  }

  Error Fail(std::string_view why) const {
    return InvalidArgument("invalid duration '" + std::string(text_) + "': " + std::string(why));
  }

 private:
  static constexpr uint64_t kMaxInt32 = std::numeric_limits<int32_t>::max();
  static constexpr uint64_t kMaxInt64 = std::numeric_limits<int64_t>::max();

  Status AddTo(uint64_t* total, uint64_t amount, int64_t per_unit, uint64_t limit,
               std::string_view what) const {
    auto unit = static_cast<uint64_t>(per_unit);
    if (amount > (limit - *total) / unit) {
      return Fail("the total number of " + std::string(what) + " must be less or equal to " +
                  std::to_string(limit));
    }
    *total += amount * unit;
    return {};
  }

  std::string_view text_;
  int last_ = -1;
  uint64_t months_ = 0;
  uint64_t days_ = 0;
  uint64_t nanos_ = 0;
};

/// Reads 1+ digits at *pos as an unsigned value; false on none or on overflow of int64.
bool ReadNumber(std::string_view s, size_t* pos, uint64_t* out) {
  size_t start = *pos;
  uint64_t v = 0;
  while (*pos < s.size() && internal::IsDigit(s[*pos])) {
    v = v * 10 + static_cast<uint64_t>(s[*pos] - '0');
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    ++*pos;
  }
  *out = v;
  return *pos > start;
}

/// The unit at *pos in the units form; advances past it.
bool ReadUnit(std::string_view s, size_t* pos, Unit* unit) {
  auto lower = [&](size_t i) -> char {
    char c = i < s.size() ? s[i] : '\0';
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  };
  char c0 = lower(*pos), c1 = lower(*pos + 1);
  if (s.substr(*pos).starts_with("\xC2\xB5") && lower(*pos + 2) == 's') {  // "µs"
    *unit = Unit::kMicros;
    *pos += 3;
    return true;
  }
  struct Two {
    char a, b;
    Unit unit;
  };
  for (Two t : {Two{'m', 'o', Unit::kMonths}, Two{'m', 's', Unit::kMillis},
                Two{'u', 's', Unit::kMicros}, Two{'n', 's', Unit::kNanos}}) {
    if (c0 == t.a && c1 == t.b) {
      *unit = t.unit;
      *pos += 2;
      return true;
    }
  }
  switch (c0) {
    case 'y':
      *unit = Unit::kYears;
      break;
    case 'w':
      *unit = Unit::kWeeks;
      break;
    case 'd':
      *unit = Unit::kDays;
      break;
    case 'h':
      *unit = Unit::kHours;
      break;
    case 'm':
      *unit = Unit::kMinutes;
      break;
    case 's':
      *unit = Unit::kSeconds;
      break;
    default:
      return false;
  }
  ++*pos;
  return true;
}

Status ParseUnits(std::string_view s, Builder& b) {
  if (s.empty()) return b.Fail("no amount");
  size_t pos = 0;
  while (pos < s.size()) {
    uint64_t amount = 0;
    Unit unit{};
    if (!ReadNumber(s, &pos, &amount) || !ReadUnit(s, &pos, &unit)) {
      return b.Fail("expected <number><unit>... (units y mo w d h m s ms us ns)");
    }
    CQLBULK_RETURN_IF_ERROR(b.Add(unit, amount));
  }
  return {};
}

/// "P[nY][nM][nD][T[nH][nM][nS]]" (s starts after 'P').
Status ParseIsoDesignators(std::string_view s, Builder& b) {
  size_t pos = 0;
  bool in_time = false;
  // Designators allowed next, in order; date part first.
  constexpr std::string_view kDate = "YMD", kTime = "HMS";
  size_t next_date = 0, next_time = 0;
  while (pos < s.size()) {
    if (s[pos] == 'T' && !in_time) {
      in_time = true;
      ++pos;
      continue;
    }
    uint64_t amount = 0;
    if (!ReadNumber(s, &pos, &amount) || pos >= s.size()) {
      return b.Fail("expected ISO 8601 P[nY][nM][nD][T[nH][nM][nS]]");
    }
    std::string_view allowed = in_time ? kTime : kDate;
    size_t& next = in_time ? next_time : next_date;
    size_t found = allowed.find(s[pos], next);
    if (found == std::string_view::npos) {
      return b.Fail("expected ISO 8601 P[nY][nM][nD][T[nH][nM][nS]]");
    }
    next = found + 1;
    ++pos;
    static constexpr Unit kDateUnits[] = {Unit::kYears, Unit::kMonths, Unit::kDays};
    static constexpr Unit kTimeUnits[] = {Unit::kHours, Unit::kMinutes, Unit::kSeconds};
    CQLBULK_RETURN_IF_ERROR(b.Add(in_time ? kTimeUnits[found] : kDateUnits[found], amount));
  }
  return {};
}

/// "PYYYY-MM-DDThh:mm:ss" (s starts after 'P').
Status ParseIsoAlternative(std::string_view s, Builder& b) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (s.size() != kShape.size()) return b.Fail("expected ISO 8601 PYYYY-MM-DDThh:mm:ss");
  for (size_t i = 0; i < s.size(); ++i) {
    bool ok = kShape[i] == 'd' ? internal::IsDigit(s[i]) : s[i] == kShape[i];
    if (!ok) return b.Fail("expected ISO 8601 PYYYY-MM-DDThh:mm:ss");
  }
  auto num = [&](size_t at, size_t len) {
    uint64_t v = 0;
    for (size_t i = at; i < at + len; ++i) v = v * 10 + static_cast<uint64_t>(s[i] - '0');
    return v;
  };
  CQLBULK_RETURN_IF_ERROR(b.Add(Unit::kYears, num(0, 4)));
  CQLBULK_RETURN_IF_ERROR(b.Add(Unit::kMonths, num(5, 2)));
  CQLBULK_RETURN_IF_ERROR(b.Add(Unit::kDays, num(8, 2)));
  CQLBULK_RETURN_IF_ERROR(b.Add(Unit::kHours, num(11, 2)));
  CQLBULK_RETURN_IF_ERROR(b.Add(Unit::kMinutes, num(14, 2)));
  return b.Add(Unit::kSeconds, num(17, 2));
}

/// Appends "<amount/unit><suffix>" when non-zero; returns the remainder.
uint64_t AppendPart(std::string& out, uint64_t amount, uint64_t unit, std::string_view suffix) {
  if (amount / unit > 0) out += std::to_string(amount / unit) + std::string(suffix);
  return amount % unit;
}

uint64_t Magnitude(int64_t v) {
  return v < 0 ? ~static_cast<uint64_t>(v) + 1 : static_cast<uint64_t>(v);
}

}  // namespace

Result<Duration> Duration::Parse(std::string_view text) {
  Builder b(text);
  bool negative = text.starts_with('-');
  std::string_view s = negative ? text.substr(1) : text;
  if (s.starts_with('P')) {
    s.remove_prefix(1);
    if (s.ends_with('W')) {
      size_t pos = 0;
      uint64_t weeks = 0;
      if (!ReadNumber(s, &pos, &weeks) || pos != s.size() - 1) {
        return b.Fail("expected ISO 8601 PnW");
      }
      CQLBULK_RETURN_IF_ERROR(b.Add(Unit::kWeeks, weeks));
    } else if (s.find('-') != std::string_view::npos) {
      CQLBULK_RETURN_IF_ERROR(ParseIsoAlternative(s, b));
    } else {
      CQLBULK_RETURN_IF_ERROR(ParseIsoDesignators(s, b));
    }
  } else {
    CQLBULK_RETURN_IF_ERROR(ParseUnits(s, b));
  }
  return b.Build(negative);
}

std::string Duration::ToString() const {
  std::string out;
  if (months < 0 || days < 0 || nanoseconds < 0) out += '-';
  uint64_t rest = AppendPart(out, Magnitude(months), 12, "y");
  AppendPart(out, rest, 1, "mo");
  AppendPart(out, Magnitude(days), 1, "d");
  rest = AppendPart(out, Magnitude(nanoseconds), kNanosPerHour, "h");
  rest = AppendPart(out, rest, kNanosPerMinute, "m");
  rest = AppendPart(out, rest, kNanosPerSecond, "s");
  rest = AppendPart(out, rest, kNanosPerMilli, "ms");
  rest = AppendPart(out, rest, kNanosPerMicro, "us");
  AppendPart(out, rest, 1, "ns");
  if (out.empty() || out == "-") return "0s";
  return out;
}

bool Duration::has_consistent_sign() const noexcept {
  bool any_negative = months < 0 || days < 0 || nanoseconds < 0;
  bool any_positive = months > 0 || days > 0 || nanoseconds > 0;
  return !(any_negative && any_positive);
}

void Duration::Encode(ByteWriter& out) const {
  WriteVint(out, months);
  WriteVint(out, days);
  WriteVint(out, nanoseconds);
}

Result<Duration> Duration::Decode(BytesView bytes) {
  // Cassandra's DurationSerializer: at least one byte per component.
  if (bytes.size() < 3) {
    return ProtocolError("a duration has at least 3 bytes, got " + std::to_string(bytes.size()));
  }
  ByteReader in(bytes, ErrorCode::kProtocol);
  CQLBULK_ASSIGN_OR_RETURN(int64_t months, ReadVint(in));
  CQLBULK_ASSIGN_OR_RETURN(int64_t days, ReadVint(in));
  CQLBULK_ASSIGN_OR_RETURN(int64_t nanos, ReadVint(in));
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (months < kMin || months > kMax || days < kMin || days > kMax) {
    return ProtocolError("duration months and days must fit 32 bits");
  }
  if (!in.empty()) {
    return ProtocolError("duration has " + std::to_string(in.remaining()) +
                         " bytes after its three vints");
  }
  Duration d{static_cast<int32_t>(months), static_cast<int32_t>(days), nanos};
  if (!d.has_consistent_sign()) {
    return ProtocolError("duration months, days and nanoseconds must share one sign");
  }
  return d;
}

}  // namespace cqlbulk::cql
