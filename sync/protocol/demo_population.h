// Deterministic demo data for 沁水县 (region code 140521): fictional people
// with plausible Chinese names (some with rare characters such as 𠮷, 䶮,
// 堃, 喆, a few minority names with '·'), valid-format ID numbers (correct
// check character, ages 16–60 on a given day), key-group memberships and
// phones; sites in the county's townships; trainers, assessors and site
// admins. The same seed gives the same data on every machine (no std::
// distributions, whose output differs between libraries). Used by the
// county server's demo seed and `chizheng-kioskctl demo-fill`. Fictional:
// any likeness to a real person is chance.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace chz::sync::demo {

inline constexpr std::string_view kCountyName = "沁水县";
inline constexpr std::string_view kRegionCode = "140521";

// The towns and townships of 沁水县 as the county has them (7 镇, 7 乡).
std::span<const std::string_view> townships();

struct DemoPerson {
  std::string id_number, name, township, village;
  std::string phone;                // may be empty
  std::vector<std::string> groups;  // key employment groups
};
// `n` distinct people aged 16–60 on `on`.
std::vector<DemoPerson> people(std::uint64_t seed, std::size_t n, const CivilDate& on);

struct DemoSite {
  std::string id, name, township;  // "site-01", "龙港镇农民夜校", "龙港镇"
};
std::vector<DemoSite> sites();

struct DemoStaff {
  std::string id, name;
  std::string role;  // "trainer" | "assessor" | "site_admin"
  std::string site;  // site id
};
// Per site: one site admin, two trainers, one assessor.
std::vector<DemoStaff> staff(std::uint64_t seed);

// A small deterministic generator (splitmix64), exposed for tests.
class DemoRng {
 public:
  explicit DemoRng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next();
  // 0 <= r < n (n > 0).
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }

 private:
  std::uint64_t s_;
};

}  // namespace chz::sync::demo
