// Test support for the domain (header only, tests include it): a real
// encrypted store in a fresh temp folder, removed on destruction, and a
// FakeClock set safely after the build date so the kiosk's time is trusted.
#pragma once

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "common/build_info.h"
#include "common/clock.h"
#include "kiosk/store.h"
#include "sync/protocol/idcard.h"

namespace chz::kiosk::testing {

// 09:00 China time, 30 days after the build date.
inline std::int64_t test_morning_ms() {
  CivilDate b{kBuildYear, kBuildMonth, kBuildDay};
  return china_midnight_ms(civil_from_days(days_from_civil(b) + 30)) + 9LL * 3600 * 1000;
}

// A valid (fictional) ID number from 沁水县 (140521) for someone born on
// `birth`; `seq` (0..999) tells people born the same day apart.
inline std::string id_number_born(const CivilDate& birth, int seq = 123) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "140521%04d%02d%02d%03d", birth.year, birth.month, birth.day,
                seq % 1000);
  std::string s(buf);
  return s + sync::id_check_char(s);
}

// "YYYY-MM-DD".
inline std::string date_text(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

struct TempStore {
  std::filesystem::path dir;
  FakeClock clock{test_morning_ms()};
  Store store;

  explicit TempStore(const StoreOpenOptions& o = {}) : store(make(o)) {}
  ~TempStore() {
    store.db().close();
    std::error_code ec;
    std::filesystem::remove_all(dir.parent_path(), ec);
  }
  Db& db() { return store.db(); }

 private:
  Store make(const StoreOpenOptions& o) {
    std::random_device rd;
    auto base = std::filesystem::temp_directory_path() /
                ("chz-domain-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(base);
    dir = base / "kiosk";
    auto s = Store::init(dir, clock, o);
    if (!s.ok()) throw std::runtime_error("test store: " + s.status().to_string());
    return std::move(s).value();
  }
};

}  // namespace chz::kiosk::testing
