#include "sync/server/roster.h"

#include <fmt/format.h>

#include <cmath>

#include "sync/protocol/idcard.h"
#include "sync/server/county_model.h"

namespace chz::server {

Result<ReportTable> class_roster(Sql& sql, const std::string& class_id, int minutes_per_hour,
                                 const std::string& unit_name, const std::string& filled_on) {
  if (minutes_per_hour <= 0) {
    CHZ_ASSIGN_OR_RETURN(minutes_per_hour, model::minutes_per_hour(sql));
  }
  CHZ_ASSIGN_OR_RETURN(
      auto cls, sql.query("SELECT c.name, c.course, COALESCE(k.name, c.course), "
                          "COALESCE(s.name, c.site), COALESCE(k.theory_hours, 0), "
                          "COALESCE(k.practical_hours, 0) FROM cm_classes c LEFT JOIN cm_courses "
                          "k ON k.id = c.course LEFT JOIN sites s ON s.id = c.site WHERE c.id = ?",
                          {class_id}));
  if (cls.empty())
    return Status(Code::kNotFound, "no such class: " + class_id, "roster.unknown_class");
  std::string course = cls[0].text(1);
  ReportTable t;
  t.title = "培训补贴申领花名册";
  t.unit_name = unit_name;
  t.period = fmt::format("{}（{}，{}）", cls[0].text(0), cls[0].text(2), cls[0].text(3));
  t.filled_on = filled_on;
  t.units = "单位：学时、分";
  t.sheet_name = "花名册";
  using T = ReportColumn::Type;
  t.columns = {
      {"姓名", T::kText, 0},         {"性别", T::kText, 0},         {"身份证号", T::kText, 0},
      {"理论学时", T::kDecimal1, 0}, {"实操学时", T::kDecimal1, 0}, {"理论成绩", T::kDecimal1, 0},
      {"实操成绩", T::kDecimal1, 0}, {"是否合格", T::kText, 0},     {"证书编号", T::kText, 0},
      {"证书状态", T::kText, 0},     {"本人签字", T::kText, 0}};
  CHZ_ASSIGN_OR_RETURN(
      auto people,
      sql.query(
          "SELECT e.person, COALESCE(p.name, ''), COALESCE(p.gender, ''), "
          "COALESCE(p.id_number, ''), "
          "(SELECT COALESCE(sum(minutes), 0) FROM cm_credit c WHERE c.person = e.person AND "
          "c.class = e.class AND c.kind = 'theory'), "
          "(SELECT COALESCE(sum(minutes), 0) FROM cm_credit c WHERE c.person = e.person AND "
          "c.class = e.class AND c.kind = 'practical'), "
          "(SELECT max(theory_x100) FROM cm_attempts a WHERE a.person = e.person AND a.course = "
          "?), "
          "(SELECT max(q.score_x100) FROM cm_practicals q WHERE q.person = e.person AND "
          "q.course = ? AND NOT EXISTS (SELECT 1 FROM cm_practicals r WHERE r.corrects = q.uuid)), "
          "(SELECT count(*) FROM cm_passes s WHERE s.person = e.person AND s.course = ?), "
          "(SELECT min(number) FROM cm_certificates x WHERE x.person = e.person AND x.course = ?) "
          "FROM cm_enrolments e LEFT JOIN cm_people p ON p.id = e.person "
          "WHERE e.class = ? AND e.active = 1 AND e.deleted = 0 ORDER BY p.name, e.person",
          {course, course, course, course, class_id}));
  double theory_total = 0, practical_total = 0;
  std::int64_t passed = 0, certified = 0;
  auto hours = [&](std::int64_t minutes) {
    return std::floor(static_cast<double>(minutes) * 10.0 / minutes_per_hour) / 10.0;
  };
  auto score = [](const SqlRow& r, std::size_t i) -> ReportCell {
    if (r.null(i)) return std::monostate{};
    return static_cast<double>(r.i64(i)) / 100.0;
  };
  for (const auto& r : people) {
    std::string number = r.text(9), status;
    if (!number.empty()) {
      auto d = sql.text(
          "SELECT status FROM cm_cert_decisions WHERE number = ? ORDER BY at_ms DESC, uuid DESC "
          "LIMIT 1",
          {number});
      status = d.ok() ? *d : std::string("待确认");
      ++certified;
    }
    double th = hours(r.i64(4)), pr = hours(r.i64(5));
    theory_total += th;
    practical_total += pr;
    bool ok = r.i64(8) > 0;
    passed += ok;
    t.rows.push_back({r.text(1), r.text(2), sync::mask_id_number(r.text(3)), th, pr, score(r, 6),
                      score(r, 7), std::string(ok ? "合格" : "—"), number, status, std::string()});
  }
  t.total = {std::string("合计"),
             std::monostate{},
             fmt::format("{} 人", people.size()),
             theory_total,
             practical_total,
             std::monostate{},
             std::monostate{},
             fmt::format("{} 人合格", passed),
             fmt::format("{} 张", certified),
             std::monostate{},
             std::monostate{}};
  t.notes = {"身份证号已隐去中间位；学时只计签到表已确认的部分。",
             "培训机构（盖章）：              授课教师：              经办人："};
  return t;
}

}  // namespace chz::server
