// Hybrid logical clock (Kulkarni et al. 2014): physical ms + a logical
// counter, so stamps order causally even when device clocks disagree.
// Compared as (physical_ms, logical, device) for last-writer-wins.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace chz::sync {

inline constexpr std::size_t kHlcTextMax = 40;

struct Hlc {
  std::int64_t physical_ms = 0;
  std::int32_t logical = 0;
  auto operator<=>(const Hlc&) const = default;
  bool operator==(const Hlc&) const = default;
  // "0001790000000000-0003": fixed width so text order = stamp order.
  std::string text() const;
  // text() written into `out` (room for kHlcTextMax chars) without
  // allocating; returns its length.
  std::size_t text_to(char* out) const;
  static Result<Hlc> parse(std::string_view s);
};

// The state of one node's clock. Not thread-safe; the owner serialises.
class HlcClock {
 public:
  explicit HlcClock(Hlc last = {}) : last_(last) {}
  // A stamp for a local event at wall time `now_ms`.
  Hlc tick(std::int64_t now_ms);
  // Merges a stamp received from elsewhere; returns the new local stamp.
  Hlc observe(const Hlc& remote, std::int64_t now_ms);
  const Hlc& last() const { return last_; }

 private:
  Hlc last_;
};

// The server refuses to let a stamp run ahead of its own clock by more than
// this; it clamps such stamps (docs/time-model.md).
inline constexpr std::int64_t kMaxHlcAheadMs = 24LL * 3600 * 1000;
Hlc clamp_hlc(const Hlc& h, std::int64_t server_now_ms);

}  // namespace chz::sync
