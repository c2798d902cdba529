#include "sync/protocol/hlc.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace chz::sync {

std::string Hlc::text() const {
  return fmt::format("{:016}-{:04}", physical_ms, logical);
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
