#include "sync/protocol/hlc.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <climits>

using namespace chz::sync;

TEST_CASE("hlc: local ticks never go backwards, even when the wall clock does") {
  HlcClock c;
  Hlc a = c.tick(1000);
  Hlc b = c.tick(1000);
  Hlc d = c.tick(500);  // clock stepped back
  CHECK(a < b);
  CHECK(b < d);
  CHECK(d.physical_ms == 1000);
}

TEST_CASE("hlc: observing a remote stamp moves past it") {
  HlcClock c;
  c.tick(1000);
  Hlc r{5000, 3};
  Hlc m = c.observe(r, 2000);
  CHECK(m > r);
  CHECK(c.tick(2000) > m);
}

TEST_CASE("hlc: text form sorts like the stamp and parses back") {
  Hlc a{1790000000000, 2}, b{1790000000000, 10};
  CHECK(a.text() < b.text());
  CHECK(Hlc::parse(a.text()).value() == a);
  CHECK_FALSE(Hlc::parse("abc").ok());
  CHECK_FALSE(Hlc::parse("12-").ok());
}

TEST_CASE("hlc: text form is the fixed-width format for every stamp, odd ones too") {
  const Hlc cases[] = {{0, 0},
                       {1790000000000, 2},
                       {9'999'999'999'999'999, 9999},
                       {10'000'000'000'000'000, 0},
                       {-5, 3},
                       {1790000000000, 10000},
                       {1790000000000, -1},
                       {INT64_MIN, INT32_MIN},
                       {INT64_MAX, INT32_MAX}};
  for (const auto& h : cases) {
    CHECK(h.text() == fmt::format("{:016}-{:04}", h.physical_ms, h.logical));
    char buf[kHlcTextMax];
    CHECK(std::string(buf, h.text_to(buf)) == h.text());
  }
}

TEST_CASE("hlc: the server clamps stamps more than 24 h ahead") {
  std::int64_t now = 1790000000000;
  CHECK(clamp_hlc({now + kMaxHlcAheadMs + 1, 0}, now).physical_ms == now + kMaxHlcAheadMs);
  CHECK(clamp_hlc({now + 1000, 4}, now) == Hlc{now + 1000, 4});
}
