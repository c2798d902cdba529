#include "sync/protocol/hlc.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace chz::sync {

std::string Hlc::text() const {
  char buf[kHlcTextMax];
  return std::string(buf, text_to(buf));
}

std::size_t Hlc::text_to(char* out) const {
  if (physical_ms >= 0 && physical_ms < 10'000'000'000'000'000 && logical >= 0 &&
      logical < 10'000) {
    // The usual stamp: fixed width, digits only.
    auto p = static_cast<std::uint64_t>(physical_ms);
    for (int i = 15; i >= 0; --i, p /= 10) out[i] = static_cast<char>('0' + p % 10);
    out[16] = '-';
    auto l = static_cast<unsigned>(logical);
    for (int i = 20; i >= 17; --i, l /= 10) out[i] = static_cast<char>('0' + l % 10);
    return 21;
  }
  auto r = fmt::format_to_n(out, kHlcTextMax, "{:016}-{:04}", physical_ms, logical);
  return r.size;
}

Result<Hlc> Hlc::parse(std::string_view s) {
  auto dash = s.find('-');
  if (dash == std::string_view::npos) return Status(Code::kInvalidArgument, "bad HLC stamp");
  Hlc h;
  auto a = std::from_chars(s.data(), s.data() + dash, h.physical_ms);
  auto b = std::from_chars(s.data() + dash + 1, s.data() + s.size(), h.logical);
  if (a.ec != std::errc() || b.ec != std::errc() || a.ptr != s.data() + dash ||
      b.ptr != s.data() + s.size() || h.physical_ms < 0 || h.logical < 0)
    return Status(Code::kInvalidArgument, "bad HLC stamp");
  return h;
}

Hlc HlcClock::tick(std::int64_t now_ms) {
  if (now_ms > last_.physical_ms) {
    last_ = {now_ms, 0};
  } else {
    ++last_.logical;
  }
  return last_;
}

Hlc HlcClock::observe(const Hlc& r, std::int64_t now_ms) {
  std::int64_t pt = std::max({last_.physical_ms, r.physical_ms, now_ms});
  std::int32_t l;
  if (pt == last_.physical_ms && pt == r.physical_ms)
    l = std::max(last_.logical, r.logical) + 1;
  else if (pt == last_.physical_ms)
    l = last_.logical + 1;
  else if (pt == r.physical_ms)
    l = r.logical + 1;
  else
    l = 0;
  last_ = {pt, l};
  return last_;
}

Hlc clamp_hlc(const Hlc& h, std::int64_t server_now_ms) {
  if (h.physical_ms > server_now_ms + kMaxHlcAheadMs)
    return {server_now_ms + kMaxHlcAheadMs, h.logical};
  return h;
}

}  // namespace chz::sync
