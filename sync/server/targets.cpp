#include "sync/server/targets.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

#include "common/clock.h"
#include "sync/server/county_model.h"
#include "sync/server/indicators.h"
#include "sync/server/upstream.h"

namespace chz::server {
namespace {

using nlohmann::json;

Status bad(std::string msg) {
  return Status(Code::kInvalidArgument, std::move(msg), "server.target");
}

struct TargetKind {
  std::string key, name;
  bool rate = false, hours = false;
};

// What may carry a target: every indicator, and 从业人员持证率.
const TargetKind* target_kind(std::string_view key) {
  static const std::vector<TargetKind> kList = [] {
    std::vector<TargetKind> v;
    for (const auto& i : stats::indicators())
      v.push_back({std::string(i.key), std::string(i.name), i.rate, i.hours});
    v.push_back({std::string(kEmployedCertRate), "从业人员持证率", true, false});
    return v;
  }();
  for (const auto& k : kList)
    if (k.key == key) return &k;
  return nullptr;
}

std::string entity_id(const Target& t) {
  return fmt::format("{}:{}:{}", t.unit.empty() ? "self" : t.unit, t.year, t.indicator);
}

double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

Result<double> parse_target_value(std::string_view indicator, std::string_view text) {
  const TargetKind* k = target_kind(indicator);
  if (!k) return bad("unknown indicator '" + std::string(indicator) + "'");
  std::string s(text);
  bool percent = !s.empty() && s.back() == '%';
  if (percent) s.pop_back();
  if (s.empty()) return bad("a target needs a value");
  // Digits with at most one decimal point: no signs, exponents, hex or spaces.
  if (s.find_first_not_of("0123456789.") != std::string::npos || s.find('.') != s.rfind('.') ||
      s.front() == '.' || s.back() == '.')
    return bad("the value must be a number such as 400000, 0.55 or 55%");
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v) || v < 0)
    return bad("the value must be a number of 0 or more");
  if (k->rate) {
    if (percent) v /= 100;
    if (v > 1) return bad(k->name + " is a rate: give it as 55% or 0.55, at most 100%");
  } else {
    if (percent) return bad(k->name + " is a count, not a rate");
    if (!k->hours && v != std::floor(v)) return bad(k->name + " is a whole number");
    if (v > 1e9) return bad("the value is too large");
  }
  return v;
}

Status set_target(ServerStore& s, const Target& t, std::int64_t now_ms, bool clear) {
  if (!target_kind(t.indicator)) return bad("unknown indicator '" + t.indicator + "'");
  if (t.year < 2000 || t.year > 2100) return bad("the year must be 2000 to 2100");
  if (!t.unit.empty()) {
    if (t.unit.size() != 6 || t.unit.find_first_not_of("0123456789") != std::string::npos ||
        !s.site_name(county_site(t.unit)).ok())
      return bad("county " + t.unit + " has no code from this server (code --county)");
  }
  json body = {{"entity", std::string(kTargetKind) + ":" + entity_id(t)},
               {"unit", t.unit},
               {"year", t.year},
               {"indicator", t.indicator},
               {"value", clear ? std::string() : fmt::format("{}", t.value)},
               {"deleted", clear ? 1 : 0}};
  return s.append_county(
      {{std::string(model::kRegistryFeed), std::string(kTargetKind), body.dump()}}, now_ms);
}

Result<std::vector<Target>> list_targets(Sql& sql, int year) {
  CHZ_ASSIGN_OR_RETURN(auto rows, sql.query("SELECT unit, year, indicator, value FROM cm_targets "
                                            "WHERE deleted = 0 AND value <> '' AND (? = 0 OR "
                                            "year = ?) ORDER BY year, unit, indicator",
                                            {std::int64_t{year}, std::int64_t{year}}));
  std::vector<Target> out;
  for (const auto& r : rows)
    out.push_back({r.text(0), static_cast<int>(r.i64(1)), r.text(2), std::atof(r.text(3).c_str())});
  return out;
}

Result<ReportTable> targets_table(Sql& sql, int year, const std::string& to_day,
                                  const std::string& unit_name, const std::string& filled_on,
                                  int minutes_per_hour) {
  std::string from = fmt::format("{:04}-01-01", year), last = fmt::format("{:04}-12-31", year);
  std::string to = to_day < last ? to_day : last;
  if (to < from)
    return Status(Code::kInvalidArgument, fmt::format("{} has not begun", year), "server.target");
  CHZ_ASSIGN_OR_RETURN(auto targets, list_targets(sql, year));
  if (targets.empty())
    return Status(Code::kNotFound,
                  fmt::format("no targets are set for {} (chizheng-server target set)", year),
                  "server.target");
  // unit -> indicator -> target
  std::map<std::string, std::map<std::string, double>> goal;
  for (const auto& t : targets) goal[t.unit][t.indicator] = t.value;
  std::vector<const TargetKind*> kinds;
  for (const auto& i : stats::indicators())
    for (const auto& t : targets)
      if (t.indicator == i.key) {
        kinds.push_back(target_kind(i.key));
        break;
      }
  for (const auto& t : targets)
    if (t.indicator == kEmployedCertRate) {
      kinds.push_back(target_kind(kEmployedCertRate));
      break;
    }

  // The counties below, if any: a row each.
  CHZ_ASSIGN_OR_RETURN(auto counties, stats::counties_below(sql));
  const bool multi = !counties.empty();
  stats::Query q{from, to, multi ? stats::Cut::kCounty : stats::Cut::kTotal};
  q.minutes_per_hour = minutes_per_hour;
  CHZ_ASSIGN_OR_RETURN(stats::Report all, stats::compute(sql, q));
  stats::Report employed;
  bool want_employed = false;
  for (const TargetKind* k : kinds) want_employed = want_employed || k->key == kEmployedCertRate;
  if (want_employed) {
    q.employed = true;
    CHZ_ASSIGN_OR_RETURN(employed, stats::compute(sql, q));
  }
  auto figure = [&](const std::string& area, const TargetKind& k) {
    const stats::Report& r = k.key == kEmployedCertRate ? employed : all;
    std::string key = k.key == kEmployedCertRate ? "cert_rate" : k.key;
    const stats::Row* row = &r.total;
    if (!area.empty()) {
      row = nullptr;
      for (const auto& x : r.rows)
        if (x.key == area) row = &x;
    }
    if (!row) return k.rate ? nan() : 0.0;
    auto it = row->values.find(key);
    return it == row->values.end() ? (k.rate ? nan() : 0.0) : it->second;
  };

  ReportTable t;
  t.title = fmt::format("{}年技能人才工作目标完成情况表", year);
  t.unit_name = unit_name;
  t.period = from + " 至 " + to;
  t.filled_on = filled_on;
  t.units = "单位：人、人次、学时、%";
  t.sheet_name = "目标完成情况";
  t.columns.push_back({multi ? "县（市、区）" : "单位", ReportColumn::Type::kText, 0});
  for (const TargetKind* k : kinds) {
    auto type = k->rate    ? ReportColumn::Type::kPercent1
                : k->hours ? ReportColumn::Type::kDecimal1
                           : ReportColumn::Type::kInt;
    t.columns.push_back({k->name + "目标", type, 0});
    t.columns.push_back({k->name + "完成", type, 0});
    t.columns.push_back({k->name + "完成率", ReportColumn::Type::kPercent1, 0});
  }
  auto cells = [&](const std::string& label, const std::string& area, const std::string& unit) {
    std::vector<ReportCell> c{label};
    auto g = goal.find(unit);
    for (const TargetKind* k : kinds) {
      double actual = figure(area, *k);
      double target = nan();
      if (g != goal.end())
        if (auto it = g->second.find(k->key); it != g->second.end()) target = it->second;
      auto num = [&](double x) -> ReportCell {
        if (std::isnan(x)) return std::monostate{};
        if (k->rate || k->hours) return x;
        return static_cast<std::int64_t>(std::llround(x));
      };
      c.push_back(num(target));
      c.push_back(num(actual));
      if (std::isnan(target) || std::isnan(actual) || target <= 0)
        c.emplace_back(std::monostate{});
      else
        c.emplace_back(actual / target);
    }
    return c;
  };
  if (multi) {
    for (const auto& k : counties) t.rows.push_back(cells(k.name, k.area, k.area));
    t.total = cells("合计", "", "");
  } else {
    t.rows.push_back(cells(unit_name.empty() ? "本县" : unit_name, "", ""));
  }
  t.notes.push_back(fmt::format(
      "统计时段 {} 至 {}；完成率 = 完成 / 目标。持证类指标取统计时段末日数。", from, to));
  t.notes.push_back(
      "技能劳动者总量对应持证人数，高技能人才总量对应三级（高级工）及以上人数；口径见各指标定义。");
  if (multi) t.notes.push_back("合计行为全市数：一人在两个县培训或登记只计一人，不等于各县之和。");
  return t;
}

}  // namespace chz::server
