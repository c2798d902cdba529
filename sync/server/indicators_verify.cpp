// `stats verify`: the derived rows recounted from the base tables, and the
// additive figures summed across cuts.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sync/server/county_model_derived.h"
#include "sync/server/indicators.h"

namespace chz::server::stats {
namespace {

Status verify_credit(Sql& sql, std::vector<std::string>* out) {
  std::map<std::pair<std::string, std::string>, std::int64_t> held;
  CHZ_TRY(sql.each("SELECT session, person, minutes FROM cm_credit", {}, [&](const SqlRow& r) {
    held[{r.text(0), r.text(1)}] = r.i64(2);
    return OkStatus();
  }));
  std::set<std::pair<std::string, std::string>> pairs;
  CHZ_TRY(sql.each("SELECT DISTINCT session, person FROM cm_attendance", {}, [&](const SqlRow& r) {
    pairs.insert({r.text(0), r.text(1)});
    return OkStatus();
  }));
  for (const auto& [k, v] : held) pairs.insert(k);
  int shown = 0;
  std::int64_t wrong = 0;
  for (const auto& [s, p] : pairs) {
    CHZ_ASSIGN_OR_RETURN(std::int64_t m, model::credit_minutes(sql, s, p));
    auto it = held.find({s, p});
    std::int64_t have = it == held.end() ? 0 : it->second;
    if (m == have) continue;
    ++wrong;
    if (shown++ < 20)
      out->push_back(fmt::format("credit: session {}: {} minutes held, {} recounted", s, have, m));
  }
  if (wrong > 20) out->push_back(fmt::format("credit: {} differences in all", wrong));
  return OkStatus();
}

// Passes and held certificates recounted with plain SQL, independently of
// the projection's code.
Status verify_passes(Sql& sql, std::vector<std::string>* out) {
  std::map<std::pair<std::string, std::string>, std::string> want, have;
  CHZ_TRY(sql.each(
      "SELECT t.person, t.course, t.d, pr.d FROM (SELECT person, course, min(day) AS d FROM "
      "cm_attempts WHERE passed = 1 GROUP BY person, course) t JOIN (SELECT p.person, p.course, "
      "min(p.day) AS d FROM cm_practicals p JOIN cm_courses c ON c.id = p.course WHERE "
      "p.score_x100 >= c.practical_pass * 100 AND NOT EXISTS (SELECT 1 FROM cm_practicals q "
      "WHERE q.corrects = p.uuid) GROUP BY p.person, p.course) pr ON pr.person = t.person AND "
      "pr.course = t.course",
      {}, [&](const SqlRow& r) {
        want[{r.text(0), r.text(1)}] = std::max(r.text(2), r.text(3));
        return OkStatus();
      }));
  CHZ_TRY(sql.each("SELECT person, course, day FROM cm_passes", {}, [&](const SqlRow& r) {
    have[{r.text(0), r.text(1)}] = r.text(2);
    return OkStatus();
  }));
  if (want != have)
    out->push_back(fmt::format("passes: {} held, {} recounted, or their days differ", have.size(),
                               want.size()));
  std::set<std::string> held_refs, want_refs;
  CHZ_TRY(sql.each("SELECT ref FROM cm_held WHERE source = 'chizheng'", {}, [&](const SqlRow& r) {
    held_refs.insert(r.text(0));
    return OkStatus();
  }));
  CHZ_TRY(sql.each(
      "SELECT c.number FROM cm_certificates c JOIN cm_courses k ON k.id = c.course WHERE "
      "(SELECT d.status FROM cm_cert_decisions d WHERE d.number = c.number ORDER BY d.at_ms DESC, "
      "d.uuid DESC LIMIT 1) = '已确认'",
      {}, [&](const SqlRow& r) {
        want_refs.insert(r.text(0));
        return OkStatus();
      }));
  if (held_refs != want_refs)
    out->push_back(fmt::format("certificates held: {} in the model, {} confirmed by the county",
                               held_refs.size(), want_refs.size()));
  return OkStatus();
}

// The pre-aggregated facts recounted from the rows they sum.
Status verify_facts(Sql& sql, std::vector<std::string>* out) {
  struct Fact {
    const char* table;
    const char* columns;
    Result<std::vector<std::string>> (*recount)(Sql&);
  };
  for (const Fact& f : {Fact{"cm_credit_month", "person, class, month, course, site, minutes",
                             &model::recount_credit_month},
                        Fact{"cm_held_first", "person, any_day, grade_day, mid_high_day, high_day",
                             &model::recount_held_first}}) {
    CHZ_ASSIGN_OR_RETURN(auto want, f.recount(sql));
    CHZ_ASSIGN_OR_RETURN(
        auto have, model::sorted_rows(sql, fmt::format("SELECT {} FROM {}", f.columns, f.table)));
    if (have != want)
      out->push_back(fmt::format("{}: {} rows held, {} recounted, or their values differ", f.table,
                                 have.size(), want.size()));
  }
  return OkStatus();
}

// Every figure of `a` (from the facts) equals `b` (from the base rows).
void compare(const Report& a, const Report& b, Cut c, std::vector<std::string>* out) {
  auto same = [](double x, double y) {
    return (std::isnan(x) && std::isnan(y)) || std::fabs(x - y) < 1e-9;
  };
  std::map<std::string, const Row*> rows;
  for (const auto& r : b.rows) rows[r.key] = &r;
  std::vector<std::pair<const Row*, const Row*>> pairs{{&a.total, &b.total}};
  if (a.rows.size() != b.rows.size())
    out->push_back(fmt::format("by {}: {} rows from the facts, {} from the base rows", cut_name(c),
                               a.rows.size(), b.rows.size()));
  for (const auto& r : a.rows) {
    auto it = rows.find(r.key);
    if (it == rows.end())
      out->push_back(fmt::format("by {}: row {} only from the facts", cut_name(c), r.label));
    else
      pairs.emplace_back(&r, it->second);
  }
  int shown = 0;
  for (const auto& [x, y] : pairs)
    for (const auto& [key, v] : y->values) {
      auto it = x->values.find(key);
      double got = it == x->values.end() ? std::nan("") : it->second;
      if (!same(got, v) && shown++ < 10)
        out->push_back(fmt::format("by {}: {} {}: {} from the facts, {} from the base rows",
                                   cut_name(c), x->label, key, got, v));
    }
}

}  // namespace

Result<std::vector<std::string>> verify(Sql& sql, const Query& q) {
  std::vector<std::string> out;
  CHZ_TRY(verify_credit(sql, &out));
  CHZ_TRY(verify_passes(sql, &out));
  CHZ_TRY(verify_facts(sql, &out));
  // Every cut's report from the facts equals the one from the base rows.
  for (Cut c :
       {Cut::kTotal, Cut::kTownship, Cut::kResidence, Cut::kSite, Cut::kOccupation, Cut::kLevel,
        Cut::kClass, Cut::kGroup, Cut::kGender, Cut::kAge, Cut::kMonth, Cut::kCounty}) {
    Query x = q, y = q;
    x.by = y.by = c;
    x.from_base = false;
    y.from_base = true;
    CHZ_ASSIGN_OR_RETURN(Report a, compute(sql, x));
    CHZ_ASSIGN_OR_RETURN(Report b, compute(sql, y));
    compare(a, b, c, &out);
  }
  // Additive figures: rows of a partitioning cut sum to the total.
  Query base = q;
  base.by = Cut::kTotal;
  CHZ_ASSIGN_OR_RETURN(Report total, compute(sql, base));
  for (Cut c :
       {Cut::kTownship, Cut::kSite, Cut::kOccupation, Cut::kLevel, Cut::kClass, Cut::kMonth}) {
    Query x = q;
    x.by = c;
    CHZ_ASSIGN_OR_RETURN(Report r, compute(sql, x));
    for (const char* key : {"hours", "exam_attempts", "trained_enrolments"}) {
      if (c == Cut::kMonth && std::string_view(key) == "trained_enrolments") continue;
      double sum = 0;
      for (const auto& row : r.rows) {
        auto it = row.values.find(key);
        if (it != row.values.end()) sum += it->second;
      }
      double want = total.total.values[key];
      // 学时 are rounded per row to 0.1.
      double slack = std::string_view(key) == "hours" ? 0.05 * (r.rows.size() + 1) : 0.0;
      if (std::fabs(sum - want) > slack + 1e-9)
        out.push_back(
            fmt::format("{} by {}: rows sum to {}, the total is {}", key, cut_name(c), sum, want));
    }
  }
  return out;
}

}  // namespace chz::server::stats
