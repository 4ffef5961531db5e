#include "greentwin/core/time.hpp"

#include <chrono>
#include <cstdio>

namespace gt {

namespace {

namespace chr = std::chrono;

constexpr Duration kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr Duration kMicrosPerDay = 86'400 * kMicrosPerSecond;

// A tiny cursor over the text; every reader returns false on mismatch and leaves the error to the caller.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return atEnd() ? '\0' : text_[pos_]; }
  std::size_t pos() const { return pos_; }

  bool consume(char c) {
    if (peek() != c || atEnd()) return false;
    ++pos_;
    return true;
  }

  // Exactly `n` decimal digits.
  bool digits(int n, int& out) {
    int v = 0;
    for (int i = 0; i < n; ++i) {
      const char c = peek();
      if (atEnd() || c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
      ++pos_;
    }
    out = v;
    return true;
  }

  // One or more digits of a fraction; keeps the first six (microseconds), truncates the rest.
  bool fraction(Duration& micros) {
    Duration v = 0;
    int kept = 0;
    int seen = 0;
    while (!atEnd() && peek() >= '0' && peek() <= '9') {
      if (kept < 6) {
        v = v * 10 + (peek() - '0');
        ++kept;
      }
      ++seen;
      ++pos_;
    }
    if (seen == 0) return false;
    for (; kept < 6; ++kept) v *= 10;
    micros = v;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

Status parseError(std::string_view text, std::string_view why) {
  std::string msg = "invalid ISO 8601 time '";
  msg.append(text);
  msg += "': ";
  msg.append(why);
  return {ErrorCode::ParseError, std::move(msg)};
}

// Floor division and modulo for negative times (before 1970).
constexpr std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

TimePoint wallNow() {
  return chr::duration_cast<chr::microseconds>(chr::system_clock::now().time_since_epoch()).count();
}

Result<TimePoint> parseIsoTime(std::string_view text) {
  Reader r(text);
  int year = 0;
  int month = 0;
  int day = 0;
  if (!r.digits(4, year)) return parseError(text, "expected a 4-digit year");
  if (!r.consume('-') || !r.digits(2, month)) return parseError(text, "expected '-MM' after the year");
  if (!r.consume('-') || !r.digits(2, day)) return parseError(text, "expected '-DD' after the month");
  if (month < 1 || month > 12) return parseError(text, "month out of range 01..12");
  const chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                chr::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return parseError(text, "day out of range for the month");

  int hour = 0;
  int minute = 0;
  int second = 0;
  Duration frac = 0;
  Duration offset = 0;
  if (!r.atEnd()) {  // a date alone means midnight UTC
    if (!(r.consume('T') || r.consume('t') || r.consume(' ')))
      return parseError(text, "expected 'T' or ' ' between date and time");
    if (!r.digits(2, hour)) return parseError(text, "expected 2-digit hour");
    if (!r.consume(':') || !r.digits(2, minute)) return parseError(text, "expected ':MM' after the hour");
    if (r.consume(':')) {
      if (!r.digits(2, second)) return parseError(text, "expected 2-digit seconds");
      if (r.consume('.') || r.consume(',')) {
        if (!r.fraction(frac)) return parseError(text, "expected digits after the decimal point");
      }
    }
    if (hour > 23) return parseError(text, "hour out of range 00..23");
    if (minute > 59) return parseError(text, "minute out of range 00..59");
    if (second > 59) return parseError(text, "second out of range 00..59");

    if (r.consume('Z') || r.consume('z')) {
      // UTC
    } else if (r.peek() == '+' || r.peek() == '-') {
      const bool negative = r.peek() == '-';
      r.consume(r.peek());
      int oh = 0;
      int om = 0;
      if (!r.digits(2, oh)) return parseError(text, "expected a UTC offset '+HH:MM'");
      r.consume(':');  // "+0800" is accepted too
      if (!r.digits(2, om)) return parseError(text, "expected a UTC offset '+HH:MM'");
      if (oh > 23 || om > 59) return parseError(text, "UTC offset out of range");
      offset = (oh * 60 + om) * kMicrosPerMinute;
      if (negative) offset = -offset;
    }
  }
  if (!r.atEnd()) return parseError(text, "unexpected trailing text at position " + std::to_string(r.pos()));

  const std::int64_t days = chr::sys_days{ymd}.time_since_epoch().count();
  const TimePoint local = days * kMicrosPerDay +
                          ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + frac;
  return local - offset;  // local = UTC + offset
}

std::string formatIsoTime(TimePoint t, int utcOffsetMinutes) {
  const TimePoint local = t + static_cast<Duration>(utcOffsetMinutes) * kMicrosPerMinute;
  const std::int64_t days = floorDiv(local, kMicrosPerDay);
  const Duration inDay = local - days * kMicrosPerDay;
  const chr::year_month_day ymd{chr::sys_days{chr::days{days}}};

  const auto secsOfDay = inDay / kMicrosPerSecond;
  const auto micros = inDay % kMicrosPerSecond;
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                        static_cast<int>(secsOfDay / 3600), static_cast<int>((secsOfDay / 60) % 60),
                        static_cast<int>(secsOfDay % 60));
  std::string out(buf, static_cast<std::size_t>(n));
  if (micros != 0) {
    n = std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(micros));
    out.append(buf, static_cast<std::size_t>(n));
  }
  if (utcOffsetMinutes == 0) {
    out += 'Z';
  } else {
    const int a = utcOffsetMinutes < 0 ? -utcOffsetMinutes : utcOffsetMinutes;
    n = std::snprintf(buf, sizeof buf, "%c%02d:%02d", utcOffsetMinutes < 0 ? '-' : '+', a / 60, a % 60);
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace gt
