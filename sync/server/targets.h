// The programme's targets (目标) and how far each unit has come: a county
// sets its own for a year; a city sets its own and one per county
// (PROGRAMME.md: 技能劳动者总量, 高技能人才总量, 从业人员持证率, 中高级占比,
// 新增技能人才 …). A target is a county-written record (kind "target", on
// the registry feed no kiosk is on) read into the model's cm_targets, so it
// is stored, backed up and reprojected like everything else, and only this
// server's own records set one (a county's targets stay at the county).
//
// The progress table ("目标完成情况表") puts, per unit, each targeted
// indicator's target, the figure so far this year and target reached
// (figure / target); at a city a row per county and the city's 合计.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sync/server/report_table.h"
#include "sync/server/sql.h"
#include "sync/server/store.h"

namespace chz::server {

inline constexpr std::string_view kTargetKind = "target";
// 从业人员持证率: cert_rate over the employed registry people. Every other
// target names an indicator key (indicators.h).
inline constexpr std::string_view kEmployedCertRate = "employed_cert_rate";

struct Target {
  std::string unit;  // "" = this server's own area; at a city, a county's area code
  int year = 0;
  std::string indicator;
  double value = 0;  // people, 人次, 学时; a rate as a fraction 0..1
};

// Parses a target value typed for `indicator`: a rate as "55%" or "0.55", a
// count as a whole number. kInvalidArgument with the reason otherwise.
Result<double> parse_target_value(std::string_view indicator, std::string_view text);

// Writes (or, with `clear`, withdraws) the target. Checks the indicator,
// the year (2000-2100), the value, and that a unit is a county this server
// issued a code to ("server.target").
Status set_target(ServerStore& s, const Target& t, std::int64_t now_ms, bool clear = false);

// This year's targets (or every year's with year 0), by unit, year, indicator.
Result<std::vector<Target>> list_targets(Sql& sql, int year);

// The progress table for `year`, counted from 1 January to `to_day` (at
// most 31 December). kNotFound if no target is set for the year.
Result<ReportTable> targets_table(Sql& sql, int year, const std::string& to_day,
                                  const std::string& unit_name, const std::string& filled_on,
                                  int minutes_per_hour = 0);  // 0: the county's

}  // namespace chz::server
