// Fills a kiosk store with a standalone demo: the county's demo courses,
// one site's staff (with a known demo PIN), demo people from
// sync/protocol/demo_population.h, two classes, sessions over the last days
// with attendance taken and rosters confirmed, and today's sessions left
// scheduled for a live demo. Everything goes through the domain API, so the
// outbox, audit chain and hours are real. Deterministic for a seed, except
// for record uuids and the dates, which follow the clock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/db.h"

namespace chz::kiosk {

struct DemoFillOptions {
  std::uint64_t seed = 1;
  std::size_t people = 60;
  int days_back = 6;             // past days with sessions and attendance
  std::string site = "site-01";  // a demo site id (龙港镇农民夜校)
  std::string pin = "246810";    // every demo staff member's PIN
  int pin_iterations = 600'000;
};

struct DemoFillReport {
  int people = 0, staff = 0, classes = 0, sessions = 0, attendance_events = 0;
  std::vector<std::string> staff_lines;  // "王丽娟  trainer  demo-staff-002"
};

// REQUIRES: a store without demo data yet (kAlreadyExists otherwise).
// Uses `clock` for "now"; the past is replayed on a clock of its own that
// never passes now.
Result<DemoFillReport> fill_demo(Db& db, const Clock& clock, const DemoFillOptions& o = {});

}  // namespace chz::kiosk
