#include "sync/server/indicators.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

#include "common/clock.h"
#include "content/model.h"
#include "sync/protocol/certificate.h"
#include "sync/server/county_model.h"

namespace chz::server::stats {
namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

struct CutInfo {
  Cut cut;
  std::string_view name, label;
  bool training, population;
};
constexpr CutInfo kCuts[] = {
    {Cut::kTotal, "total", "合计", true, true},
    {Cut::kTownship, "township", "乡镇", true, true},
    {Cut::kResidence, "residence", "乡镇·村", false, true},
    {Cut::kSite, "site", "培训点", true, false},
    {Cut::kOccupation, "occupation", "职业(工种)", true, false},
    {Cut::kLevel, "level", "等级", true, false},
    {Cut::kClass, "class", "班级", true, false},
    {Cut::kGroup, "group", "重点群体", true, true},
    {Cut::kGender, "gender", "性别", true, true},
    {Cut::kAge, "age", "年龄段", true, true},
    {Cut::kMonth, "month", "月份", true, true},
    {Cut::kCounty, "county", "县（市、区）", true, true},
};
const CutInfo& info(Cut c) {
  for (const auto& i : kCuts)
    if (i.cut == c) return i;
  return kCuts[0];
}

// A person's whole years of age on `day` (a validated "YYYY-MM-DD"), in SQL.
std::string age_sql(const std::string& day) {
  return fmt::format(
      "({} - CAST(substr(p.birth, 1, 4) AS INTEGER) - CASE WHEN substr(p.birth, 6, 5) > '{}' "
      "THEN 1 ELSE 0 END)",
      day.substr(0, 4), day.substr(5, 5));
}
std::string age_band_sql(const std::string& day) {
  std::string a = age_sql(day);
  return fmt::format(
      "CASE WHEN p.birth IS NULL OR p.birth = '' THEN '未知' "
      "WHEN {0} BETWEEN 16 AND 25 THEN '16-25岁' WHEN {0} BETWEEN 26 AND 35 THEN '26-35岁' "
      "WHEN {0} BETWEEN 36 AND 45 THEN '36-45岁' WHEN {0} BETWEEN 46 AND 55 THEN '46-55岁' "
      "WHEN {0} BETWEEN 56 AND 60 THEN '56-60岁' ELSE '其他' END",
      a);
}

// At a city or province (Builder::multi_), where people and places are
// under their county's area (county_model_scope.h): the county a row
// belongs to, from a scoped id column, and its name from the site the
// city made for it when it issued the county's code.
std::string county_key(const std::string& col) {
  return fmt::format("CASE WHEN {0} LIKE '______/%' THEN substr({0}, 1, 6) ELSE '' END", col);
}
std::string county_join(const std::string& col) {
  return fmt::format("LEFT JOIN sites cty ON cty.id = 'county:' || substr({}, 1, 6)", col);
}
// One person across counties: the same ID number is one person at the
// level above (DESIGN: 人数 counted once), whatever county key it came
// under; at a county the person key already is that.
std::string person_uid(const std::string& alias) {
  return fmt::format("COALESCE(NULLIF(upper({0}.id_number), ''), {0}.id)", alias);
}

// The key, label and joins a training cut adds to a table aliased `c`
// (cm_credit, cm_attempts and cm_passes share person, course, class,
// site and day).
struct CutSql {
  std::string key, label, joins;
};
CutSql training_cut(Cut c, const std::string& to, bool multi) {
  switch (c) {
    case Cut::kTownship:
      // Every county has its 城关镇: above a county, a township is named
      // with its county.
      if (multi)
        return {county_key("c.person") + " || ':' || COALESCE(st.township, '')",
                "COALESCE(cty.name, '') || ' ' || COALESCE(st.township, '')",
                "LEFT JOIN sites st ON st.id = c.site " + county_join("c.person")};
      return {"COALESCE(st.township, '')", "COALESCE(st.township, '')",
              "LEFT JOIN sites st ON st.id = c.site"};
    case Cut::kCounty:
      return {county_key("c.person"), "COALESCE(cty.name, " + county_key("c.person") + ")",
              county_join("c.person")};
    case Cut::kSite:
      return {"c.site", "COALESCE(st.name, c.site)", "LEFT JOIN sites st ON st.id = c.site"};
    case Cut::kOccupation:
      return {"COALESCE(k.occupation, '')", "COALESCE(k.occupation, '')",
              "LEFT JOIN cm_courses k ON k.id = c.course"};
    case Cut::kLevel:
      return {"CAST(COALESCE(k.level, -1) AS TEXT)", "CAST(COALESCE(k.level, -1) AS TEXT)",
              "LEFT JOIN cm_courses k ON k.id = c.course"};
    case Cut::kClass:
      return {"c.class", "COALESCE(cl.name, c.class)",
              "LEFT JOIN cm_classes cl ON cl.id = c.class"};
    case Cut::kGroup:
      return {"g.grp", "g.grp", "JOIN cm_person_groups g ON g.person = c.person AND g.member = 1"};
    case Cut::kGender:
      return {"COALESCE(p.gender, '')", "COALESCE(p.gender, '')",
              "LEFT JOIN cm_people p ON p.id = c.person"};
    case Cut::kAge:
      return {age_band_sql(to), age_band_sql(to), "LEFT JOIN cm_people p ON p.id = c.person"};
    case Cut::kMonth:
      return {"substr(c.day, 1, 7)", "substr(c.day, 1, 7)", ""};
    default:
      return {"''", "''", ""};
  }
}
CutSql population_cut(Cut c, const std::string& to, bool multi) {
  switch (c) {
    case Cut::kTownship:
      if (multi)
        return {county_key("p.id") + " || ':' || p.township",
                "COALESCE(cty.name, '') || ' ' || p.township", county_join("p.id")};
      return {"p.township", "p.township", ""};
    case Cut::kResidence:
      if (multi)
        return {county_key("p.id") + " || ':' || p.township || ' ' || p.village",
                "COALESCE(cty.name, '') || ' ' || p.township || ' ' || p.village",
                county_join("p.id")};
      return {"p.township || ' ' || p.village", "p.township || ' ' || p.village", ""};
    case Cut::kCounty:
      return {county_key("p.id"), "COALESCE(cty.name, " + county_key("p.id") + ")",
              county_join("p.id")};
    case Cut::kGroup:
      return {"g.grp", "g.grp", "JOIN cm_person_groups g ON g.person = p.id AND g.member = 1"};
    case Cut::kGender:
      return {"p.gender", "p.gender", ""};
    case Cut::kAge:
      return {age_band_sql(to), age_band_sql(to), ""};
    default:
      return {"''", "''", ""};
  }
}

std::string level_label(const std::string& key) {
  int l = std::atoi(key.c_str());
  if (l < 0 || l > 5) return "未知";
  return std::string(content::level_name(static_cast<content::Level>(l)));
}

// The credited rows of [from, to] for the training figures, as a table
// with cm_credit's person, class, course, site, day and minutes: whole
// months from cm_credit_month (its `day` is then "YYYY-MM", which the
// month cut reads the same), the days of a month the period only partly
// covers from cm_credit. `from_base`: cm_credit alone.
std::string credit_source(const std::string& from, const std::string& to, bool from_base) {
  const std::string all = fmt::format(
      "(SELECT person, class, course, site, day, minutes FROM cm_credit WHERE day BETWEEN '{}' "
      "AND '{}')",
      from, to);
  if (from_base) return all;
  CivilDate f = *parse_date(from), t = *parse_date(to);
  // The first and last whole months inside the period.
  CivilDate first = f.day == 1 ? f
                               : (f.month == 12 ? CivilDate{f.year + 1, 1, 1}
                                                : CivilDate{f.year, f.month + 1, 1});
  CivilDate last =
      t.day == days_in_month(t.year, t.month)
          ? CivilDate{t.year, t.month, 1}
          : (t.month == 1 ? CivilDate{t.year - 1, 12, 1} : CivilDate{t.year, t.month - 1, 1});
  if (last < first) return all;  // no whole month
  std::string m1 = format_date(first).substr(0, 7), m2 = format_date(last).substr(0, 7);
  std::vector<std::string> days;  // the partly covered ends, BETWEEN pairs
  if (f < first) {
    CivilDate e{f.year, f.month, days_in_month(f.year, f.month)};
    days.push_back(fmt::format("day BETWEEN '{}' AND '{}'", from, format_date(e)));
  }
  CivilDate after_last{last.year, last.month, days_in_month(last.year, last.month)};
  if (after_last < t)
    days.push_back(
        fmt::format("day BETWEEN '{}' AND '{}'", format_date(CivilDate{t.year, t.month, 1}), to));
  std::string out = fmt::format(
      "(SELECT person, class, course, site, month AS day, minutes FROM cm_credit_month WHERE "
      "month BETWEEN '{}' AND '{}'",
      m1, m2);
  if (!days.empty()) {
    out += " UNION ALL SELECT person, class, course, site, day, minutes FROM cm_credit WHERE " +
           days[0];
    if (days.size() > 1) out += " OR " + days[1];
  }
  return out + ")";
}

class Builder {
 public:
  Builder(Sql& sql, const Query& q, bool multi) : sql_(sql), q_(q), multi_(multi) {
    if (multi_) {
      person_ = person_uid("pu");
      person_join_ = " LEFT JOIN cm_people pu ON pu.id = c.person";
    }
    town_ = q.township;
    // Above a county a township is "<area>:<township>" (training_cut).
    // (substr, not `id LIKE ?`: SQLCipher's SQLite 3.15 matched no row
    // with the pattern bound as a parameter.)
    if (multi_ && town_.size() > 7 && town_[6] == ':' &&
        town_.find_first_not_of("0123456789") == 6) {
      town_area_ = town_.substr(0, 7);
      town_area_.back() = '/';
      town_ = town_.substr(7);
    }
    if (!town_.empty()) {
      filter_sql_ += " AND c.site IN (SELECT id FROM sites WHERE township = ?" +
                     std::string(town_area_.empty() ? ")" : " AND substr(id, 1, 7) = ?)");
      filter_args_.emplace_back(town_);
      if (!town_area_.empty()) filter_args_.emplace_back(town_area_);
    }
    if (!q.site.empty()) {
      filter_sql_ += " AND c.site = ?";
      filter_args_.emplace_back(q.site);
    }
    if (!q.class_id.empty()) {
      filter_sql_ += " AND c.class = ?";
      filter_args_.emplace_back(q.class_id);
    }
  }

  Row& row(const std::string& key, const std::string& label) {
    auto it = rows_.find(key);
    if (it == rows_.end()) it = rows_.emplace(key, Row{key, label, {}}).first;
    return it->second;
  }

  Status training(Cut c, Row* total) {
    const std::string f = q_.from, t = q_.to;
    for (bool grouped : {true, false}) {
      if (grouped && c == Cut::kTotal) continue;
      CutSql cs = grouped ? training_cut(c, t, multi_) : CutSql{"''", "''", ""};
      cs.joins += person_join_;
      std::string where = fmt::format("c.day BETWEEN '{}' AND '{}'", f, t) + filter_sql_;
      std::string group = grouped ? " GROUP BY " + cs.key + ", " + cs.label : "";
      auto pick = [&](const SqlRow& r) -> Row& {
        return grouped ? row(r.text(0), r.text(1)) : *total;
      };
      // One row per (cut, person, class) first, then counted: cheaper than
      // DISTINCT over concatenated keys. The period is in the source (its
      // month rows' day is "YYYY-MM"), so no day clause here.
      CHZ_ASSIGN_OR_RETURN(
          auto credit,
          sql_.query(
              fmt::format(
                  "SELECT k, l, count(*), count(DISTINCT person), sum(m) FROM (SELECT {} AS "
                  "k, {} AS "
                  "l, {} AS person, c.class AS class, sum(c.minutes) AS m FROM "
                  "{} c {} "
                  "WHERE c.minutes > 0{} GROUP BY {}{}, c.class) x GROUP BY k, l",
                  cs.key, cs.label, person_, credit_source(f, t, q_.from_base), cs.joins,
                  filter_sql_, grouped ? cs.key + ", " + cs.label + ", " : std::string(), person_),
              filter_args_));
      for (const auto& r : credit) {
        Row& x = pick(r);
        x.values["trained_enrolments"] = static_cast<double>(r.i64(2));
        x.values["trained_people"] = static_cast<double>(r.i64(3));
        x.values["hours"] =
            std::round(static_cast<double>(r.i64(4)) * 10.0 / q_.minutes_per_hour) / 10.0;
      }
      CHZ_ASSIGN_OR_RETURN(
          auto exams, sql_.query(fmt::format("SELECT {}, {}, count(DISTINCT {}), count(*) "
                                             "FROM cm_attempts c {} WHERE {}{}",
                                             cs.key, cs.label, person_, cs.joins, where, group),
                                 filter_args_));
      for (const auto& r : exams) {
        Row& x = pick(r);
        x.values["exam_people"] = static_cast<double>(r.i64(2));
        x.values["exam_attempts"] = static_cast<double>(r.i64(3));
      }
      CHZ_ASSIGN_OR_RETURN(
          auto passes, sql_.query(fmt::format("SELECT {}, {}, count(DISTINCT {}) FROM "
                                              "cm_passes c {} WHERE {}{}",
                                              cs.key, cs.label, person_, cs.joins, where, group),
                                  filter_args_));
      for (const auto& r : passes) pick(r).values["passed_people"] = static_cast<double>(r.i64(2));
    }
    return OkStatus();
  }

  // Population figures on day `t` (新增持证 over [f, t]) into rows by `c`,
  // or into `fixed` (the month cut and the totals).
  Status population(Cut c, const std::string& f, const std::string& t, Row* fixed) {
    CutSql cs = fixed ? CutSql{"''", "''", ""} : population_cut(c, t, multi_);
    // Each person's certificates held by `t`, folded once: the first day
    // and the best 等级 (1 is the highest). At a county one row is one
    // person; above it a person registered in two counties has a row in
    // each, so people are counted by their ID number (person_uid).
    std::string uid = multi_ ? person_uid("p") : "p.id";
    auto count_if = [&](const std::string& cond) {
      return multi_ ? fmt::format("count(DISTINCT CASE WHEN {} THEN {} ELSE NULL END)", cond, uid)
                    : fmt::format("sum(CASE WHEN {} THEN 1 ELSE 0 END)", cond);
    };
    std::string held_base =
        multi_ ? fmt::format(
                     "SELECT {} AS uid, min(hh.day) AS first_day, min(CASE WHEN hh.kind = "
                     "'等级' THEN hh.level ELSE NULL END) AS best FROM cm_held hh JOIN "
                     "cm_people pp ON pp.id = hh.person WHERE hh.day <= '{}' GROUP BY {}",
                     person_uid("pp"), t, person_uid("pp"))
               : fmt::format(
                     "SELECT person AS uid, min(day) AS first_day, min(CASE WHEN kind = "
                     "'等级' THEN level ELSE NULL END) AS best FROM cm_held WHERE day <= "
                     "'{}' GROUP BY person",
                     t);
    // The same from the facts: each person's first days (cm_held_first),
    // folded by ID number above a county. Conditions on the day follow.
    std::string held_facts =
        multi_ ? fmt::format(
                     "SELECT {0} AS uid, min(hh.any_day) AS any_day, min(hh.grade_day) AS "
                     "grade_day, min(hh.mid_high_day) AS mid_high_day, min(hh.high_day) "
                     "AS high_day FROM cm_held_first hh JOIN cm_people pp ON pp.id = "
                     "hh.person GROUP BY {0}",
                     person_uid("pp"))
               : std::string();
    const bool base = q_.from_base;
    // (At a county the facts are joined as the table: SQLite 3.15 would
    // index a subquery on the right of a LEFT JOIN anew for every query.)
    std::string held_table = base     ? "(" + held_base + ")"
                             : multi_ ? "(" + held_facts + ")"
                                      : std::string("cm_held_first");
    std::string certified = base ? "h.uid IS NOT NULL" : fmt::format("h.any_day <= '{}'", t),
                grade = base ? "h.best IS NOT NULL" : fmt::format("h.grade_day <= '{}'", t),
                mid_high =
                    base ? "h.best BETWEEN 1 AND 4" : fmt::format("h.mid_high_day <= '{}'", t),
                high = base ? "h.best BETWEEN 1 AND 3" : fmt::format("h.high_day <= '{}'", t),
                first_new = base ? fmt::format("h.first_day BETWEEN '{}' AND '{}'", f, t)
                                 : fmt::format("h.any_day BETWEEN '{}' AND '{}'", f, t);
    // Aged 16 to 60 on `t`, as a range of birth days (ISO dates compare
    // as text): born after t's day 61 years before, on or before its day
    // 16 years before. The base count keeps the age arithmetic.
    std::string md = t.substr(4);  // "-MM-DD"
    std::string aged = base ? age_sql(t) + " BETWEEN 16 AND 60"
                            : fmt::format("p.birth > '{:04}{}' AND p.birth <= '{:04}{}'",
                                          std::atoi(t.substr(0, 4).c_str()) - 61, md,
                                          std::atoi(t.substr(0, 4).c_str()) - 16, md);
    std::string q = fmt::format(
        "SELECT {}, {}, {}, {}, {}, {}, {}, {} "
        "FROM (SELECT DISTINCT person FROM cm_registry WHERE from_day <= '{}' AND "
        "(to_day IS NULL OR to_day > '{}')) r JOIN cm_people p ON p.id = r.person "
        "LEFT JOIN {} h ON h.{} = {} {} "
        "WHERE p.deleted = 0 AND p.birth <> '' AND {}{}{}",
        cs.key, cs.label, multi_ ? "count(DISTINCT " + uid + ")" : std::string("count(*)"),
        count_if(certified), count_if(grade), count_if(mid_high), count_if(high),
        count_if(first_new), t, t, held_table, multi_ || base ? "uid" : "person", uid, cs.joins,
        aged,
        std::string(q_.employed ? " AND p.employment = 'employed'" : "") +
            (town_.empty() ? "" : " AND p.township = ?") +
            (town_area_.empty() ? "" : " AND substr(p.id, 1, 7) = ?"),
        fixed ? "" : " GROUP BY " + cs.key + ", " + cs.label);
    SqlArgs args;
    if (!town_.empty()) args.emplace_back(town_);
    if (!town_area_.empty()) args.emplace_back(town_area_);
    CHZ_ASSIGN_OR_RETURN(auto rows, sql_.query(q, args));
    for (const auto& r : rows) {
      Row& x = fixed ? *fixed : row(r.text(0), r.text(1));
      x.values["population"] = static_cast<double>(r.i64(2));
      x.values["certified_people"] = static_cast<double>(r.i64(3));
      x.values["grade_holders"] = static_cast<double>(r.i64(4));
      x.values["mid_high"] = static_cast<double>(r.i64(5));
      x.values["high_skill"] = static_cast<double>(r.i64(6));
      x.values["new_certified"] = static_cast<double>(r.i64(7));
    }
    return OkStatus();
  }

  std::map<std::string, Row>& rows() { return rows_; }

 private:
  Sql& sql_;
  const Query& q_;
  bool multi_;
  std::string person_ = "c.person";  // who a training row counts as (person_uid above a county)
  std::string person_join_;
  std::string town_, town_area_;  // the township filter; above a county, its area ("140521/")
  std::string filter_sql_;        // " AND …" for the training tables aliased c
  SqlArgs filter_args_;
  std::map<std::string, Row> rows_;
};

double ratio(const Row& r, const char* num, const char* den) {
  auto n = r.values.find(num), d = r.values.find(den);
  if (n == r.values.end() || d == r.values.end() || d->second <= 0) return kNone;
  return n->second / d->second;
}
void finish(Row& r) {
  r.values["pass_rate"] = ratio(r, "passed_people", "exam_people");
  r.values["cert_rate"] = ratio(r, "certified_people", "population");
  r.values["mid_high_share"] = ratio(r, "mid_high", "grade_holders");
}

Status check_day(const std::string& d, const char* what) {
  if (!parse_date(d).ok())
    return Status(Code::kInvalidArgument, std::string(what) + " must be a date YYYY-MM-DD",
                  "stats.period");
  return OkStatus();
}

}  // namespace

Result<Cut> parse_cut(std::string_view s) {
  for (const auto& i : kCuts)
    if (i.name == s) return i.cut;
  return Status(Code::kInvalidArgument,
                "--by is one of total, township, residence, site, occupation, level, class, "
                "group, gender, age, month, county",
                "stats.cut");
}
std::string_view cut_name(Cut c) {
  return info(c).name;
}
std::string_view cut_label(Cut c) {
  return info(c).label;
}

const std::vector<Indicator>& indicators() {
  static const std::vector<Indicator> kList = {
      {"trained_enrolments", "培训人次",
       "在统计时段内有至少 1 分钟经确认计入学时的（人, 班）数：一人在三个班记 3 人次"},
      {"trained_people", "培训人数", "上述人次中的不同人数：一人在三个班记 1 人"},
      {"hours", "完成学时",
       "统计时段内经确认（签到表已确认）计入的分钟数之和，按本县每学时分钟数折算", false, false,
       true},
      {"exam_people", "参考人数", "统计时段内提交过理论考试的不同人数"},
      {"exam_attempts", "参考人次", "统计时段内提交的理论考试次数（补考另计一次）"},
      {"passed_people", "合格人数",
       "统计时段内理论和实操均合格（取两者都合格的那一天）的人数；补考后合格只计一次"},
      {"pass_rate", "合格率", "合格人数 / 参考人数", false, true},
      {"population", "适龄登记人数",
       "统计时段末日在劳动力登记中、年满 16 周岁且不满 61 周岁的人数（持证率的分母）", true},
      {"certified_people", "持证人数",
       "上述人员中，在统计时段末日持有经县局确认或导入的职业技能等级证书或专项职业能力证书的人数",
       true},
      {"cert_rate", "持证率", "持证人数 / 适龄登记人数（不会超过 100%）", true, true},
      {"mid_high_share", "中高级占比",
       "最高等级为四级及以上的持证人数 / "
       "持有任一等级证书的人数（只持专项职业能力证书者不计入分子分母）",
       true, true},
      {"high_skill", "高技能人才", "最高等级为三级（高级工）及以上的人数", true},
      {"new_certified", "新增持证",
       "第一张合格证书（经县局确认之日或导入证书的发证日）落在统计时段内的人数", true},
  };
  return kList;
}

std::string definitions_text() {
  std::string out;
  for (const auto& i : indicators()) out += fmt::format("  {}：{}\n", i.name, i.definition);
  return out;
}

Result<Report> compute(Sql& sql, const Query& asked) {
  CHZ_TRY(check_day(asked.from, "--from"));
  CHZ_TRY(check_day(asked.to, "--to"));
  if (asked.to < asked.from)
    return Status(Code::kInvalidArgument, "--to is before --from", "stats.period");
  Query q = asked;
  if (q.minutes_per_hour <= 0) {
    CHZ_ASSIGN_OR_RETURN(q.minutes_per_hour, model::minutes_per_hour(sql));
  }
  Report rep;
  rep.query = q;
  const CutInfo& ci = info(q.by);
  // Above a county (a city or province server), people and places carry
  // their county's area; the city made a site "county:<area>" for every
  // county it issued a code to.
  CHZ_ASSIGN_OR_RETURN(auto counties, counties_below(sql));
  Builder b(sql, q, !counties.empty());
  if (ci.training) CHZ_TRY(b.training(q.by, &rep.total));
  const bool population = ci.population && q.people_only();
  if (population) {
    CHZ_TRY(b.population(q.by, q.from, q.to, &rep.total));
    if (q.by == Cut::kMonth) {
      // Population figures as of each month's last day (within the period).
      CivilDate d = *parse_date(q.from), end = *parse_date(q.to);
      while (d <= end) {
        CivilDate last{d.year, d.month, days_in_month(d.year, d.month)};
        std::string f = format_date(d), t = format_date(last <= end ? last : end);
        std::string key = f.substr(0, 7);
        CHZ_TRY(b.population(q.by, f, t, &b.row(key, key)));
        d = last.month == 12 ? CivilDate{last.year + 1, 1, 1}
                             : CivilDate{last.year, last.month + 1, 1};
      }
    } else if (q.by != Cut::kTotal) {
      CHZ_TRY(b.population(q.by, q.from, q.to, nullptr));
    }
  }
  for (const auto& i : indicators()) {
    if ((i.population && !population) || (!i.population && !ci.training)) continue;
    rep.columns.emplace_back(i.key);
  }
  for (auto& [key, r] : b.rows()) {
    if (q.by == Cut::kLevel) r.label = level_label(key);
    if (r.label.empty()) r.label = "（未填）";
    finish(r);
    rep.rows.push_back(std::move(r));
  }
  rep.total.key = "total";
  rep.total.label = "合计";
  finish(rep.total);
  if (ci.training)
    rep.notes.push_back(
        fmt::format("培训人次按（人, 班）计：一人在三个班记 3 人次、1 人；只计签到表已确认的学时；"
                    "1 学时 = {} 分钟。",
                    q.minutes_per_hour));
  if (q.by == Cut::kGroup)
    rep.notes.push_back(
        "一人属多个重点群体时各计一次；合计按人去重，不等于各行之和；不属任何群体者只计入合计。");
  if (q.by == Cut::kTownship)
    rep.notes.push_back("培训指标按培训点所在乡镇，持证指标按本人登记的乡镇。");
  if (!q.people_only() && ci.population)
    rep.notes.push_back("按培训点或班级筛选时不计持证指标（持证属于人，不属于培训点）。");
  if (population) {
    auto pop = rep.total.values.find("population");
    if (pop == rep.total.values.end() || pop->second == 0)
      rep.notes.push_back("尚未导入劳动力登记（或无 16–60 周岁登记人员）：持证率没有分母。");
    rep.notes.push_back("中高级占比不含只持专项职业能力证书者（分子分母都不计）。");
    if (q.employed) rep.notes.push_back("从业人员持证率：只计就业状态为已就业的登记人员。");
  }
  return rep;
}

ReportTable to_table(const Report& r, const std::string& unit_name, const std::string& filled_on) {
  ReportTable t;
  t.title = r.query.employed ? "职业技能培训与从业人员持证统计表" : "职业技能培训与持证统计表";
  t.unit_name = unit_name;
  t.period = r.query.from + " 至 " + r.query.to;
  t.filled_on = filled_on;
  t.units = "单位：人、人次、学时";
  t.columns.push_back({std::string(cut_label(r.query.by)), ReportColumn::Type::kText, 0});
  std::vector<const Indicator*> shown;
  for (const auto& key : r.columns)
    for (const auto& i : indicators())
      if (i.key == key) shown.push_back(&i);
  for (const Indicator* i : shown)
    t.columns.push_back({std::string(i->name),
                         i->rate    ? ReportColumn::Type::kPercent1
                         : i->hours ? ReportColumn::Type::kDecimal1
                                    : ReportColumn::Type::kInt,
                         0});
  auto cells = [&](const Row& row) {
    std::vector<ReportCell> c{row.label};
    for (const Indicator* i : shown) {
      auto it = row.values.find(std::string(i->key));
      if (it == row.values.end() || std::isnan(it->second)) {
        if (i->rate || i->hours)
          c.emplace_back(std::monostate{});
        else
          c.emplace_back(std::int64_t{0});
      } else if (i->rate || i->hours)
        c.emplace_back(it->second);
      else
        c.emplace_back(static_cast<std::int64_t>(it->second));
    }
    return c;
  };
  for (const auto& row : r.rows) t.rows.push_back(cells(row));
  if (r.query.by != Cut::kTotal || t.rows.empty()) t.total = cells(r.total);
  t.notes = r.notes;
  return t;
}

Result<std::vector<CountyBelow>> counties_below(Sql& sql) {
  // A literal pattern: SQLite 3.15 here matched nothing on the primary key
  // with the pattern bound as a parameter.
  CHZ_ASSIGN_OR_RETURN(auto rows, sql.query("SELECT substr(id, 8), name FROM sites WHERE id LIKE "
                                            "'county:%' ORDER BY id"));
  std::vector<CountyBelow> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1)});
  return out;
}

Result<Freshness> freshness(Sql& sql, std::int64_t now_ms, int silent_days) {
  Freshness f;
  // Enrolled devices with their last contact, then devices known only by
  // their records (a city's kiosks below a county).
  CHZ_ASSIGN_OR_RETURN(
      auto rows,
      sql.query(
          "SELECT x.device, x.site, COALESCE(s.name, x.site), x.last_ms, x.records FROM ("
          "SELECT d.id AS device, COALESCE(m.site, d.site) AS site, CASE WHEN COALESCE(m.last_ms, "
          "0) > d.last_seen_ms AND COALESCE(m.last_ms, 0) > d.enrolled_ms THEN m.last_ms WHEN "
          "d.last_seen_ms > d.enrolled_ms THEN d.last_seen_ms ELSE d.enrolled_ms END AS last_ms, "
          "COALESCE(m.records, 0) AS records FROM devices d LEFT JOIN cm_devices m ON m.device = "
          "d.id WHERE CASE WHEN d.revoked THEN 1 ELSE 0 END = 0 "
          "UNION ALL SELECT m.device, m.site, m.last_ms, m.records FROM cm_devices m WHERE NOT "
          "EXISTS (SELECT 1 FROM devices d WHERE d.id = m.device)) x LEFT JOIN sites s ON s.id = "
          "x.site ORDER BY x.last_ms, x.device"));
  std::int64_t cutoff = now_ms - silent_days * 24LL * 3600 * 1000;
  std::map<std::string, CountyFreshness> counties;
  for (const auto& r : rows) {
    DeviceFreshness d{r.text(0), r.text(1), r.text(2), r.i64(3), r.i64(4), r.i64(3) < cutoff};
    // Above a county: its own records come as "county-<area>", its kiosks'
    // under sites "<area>/<site>" (county_model_scope.h).
    bool own = d.device.rfind("county-", 0) == 0;
    std::string area = own                                     ? d.device.substr(7)
                       : d.site.size() > 7 && d.site[6] == '/' ? d.site.substr(0, 6)
                                                               : std::string();
    if (!area.empty()) {
      CountyFreshness& c = counties[area];
      c.area = area;
      c.last_ms = std::max(c.last_ms, d.last_ms);
      c.records += d.records;
      if (!own) {
        ++c.kiosks;
        c.silent += d.silent;
      }
    }
    if (own) continue;  // a county's identity is not a kiosk: it is in `counties`
    f.silent += d.silent;
    f.devices.push_back(std::move(d));
  }
  // A county with a code that has never sent anything is the one most
  // behind.
  CHZ_ASSIGN_OR_RETURN(auto coded, counties_below(sql));
  for (const auto& k : coded) {
    counties[k.area].area = k.area;
    counties[k.area].name = k.name;
  }
  for (auto& [area, c] : counties) {
    if (c.name.empty()) c.name = area;
    c.behind = c.last_ms < cutoff;
    f.counties.push_back(std::move(c));
  }
  CHZ_ASSIGN_OR_RETURN(f.pending_certificates,
                       sql.scalar("SELECT count(*) FROM cm_certificates c WHERE NOT EXISTS "
                                  "(SELECT 1 FROM cm_cert_decisions d WHERE d.number = c.number)"));
  return f;
}

}  // namespace chz::server::stats
