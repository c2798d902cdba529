// Small helpers the statistics tests share: China-time instants, fictional
// ID numbers, and reading a report's figures.
#pragma once

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "sync/protocol/idcard.h"
#include "sync/server/indicators.h"

namespace chz::synctest {

// `day` ("YYYY-MM-DD") at h:m China time, in Unix ms.
inline std::int64_t at(const char* day, int h, int m) {
  return china_midnight_ms(*parse_date(day)) + (h * 60 + m) * 60'000LL;
}

// A valid fictional ID number: region 140521, birth date "YYYYMMDD",
// sequence (odd = male), with its check character.
inline std::string id_number(const char* birth, int seq) {
  std::string first17 = fmt::format("140521{}{:03}", birth, seq);
  return first17 + sync::id_check_char(first17);
}

// Course c1, 中式烹调师（五级）: a 等级 course, theory and practical pass 60.
inline nlohmann::json cookery_course() {
  return {{"entity", "course:c1"},      {"name", "中式烹调师（五级）"},
          {"occupation", "中式烹调师"}, {"level", 5},
          {"practical_pass", 60},       {"theory_pass", 60}};
}

// A figure of a report row; -1 if the row has none.
inline double v(const server::stats::Row& r, const char* k) {
  auto it = r.values.find(k);
  return it == r.values.end() ? -1 : it->second;
}

// The row with `key`; fails the test (and returns the total) if none.
inline const server::stats::Row& row(const server::stats::Report& r, const std::string& key) {
  for (const auto& x : r.rows)
    if (x.key == key) return x;
  FAIL("no row " << key);
  return r.total;
}

}  // namespace chz::synctest
