// The read model's tables. One DDL text for both backends: TEXT and BIGINT
// columns, composite primary keys, no autoincrement.
#include "sync/server/county_model_schema.h"

namespace chz::server::model {

const std::vector<std::string>& tables() {
  static const std::vector<std::string> kTables = {
      "cm_clock",        "cm_people",          "cm_person_groups",
      "cm_registry",     "cm_registry_leaves", "cm_staff",
      "cm_courses",      "cm_classes",         "cm_sessions",
      "cm_enrolments",   "cm_attendance",      "cm_corrections",
      "cm_confirms",     "cm_roster_lines",    "cm_credit",
      "cm_attempts",     "cm_practicals",      "cm_passes",
      "cm_certificates", "cm_cert_decisions",  "cm_held",
      "cm_devices",      "cm_targets",         "cm_credit_month",
      "cm_held_first"};
  return kTables;
}

const char* const kModelSchema[] = {
    "CREATE TABLE IF NOT EXISTS cm_meta(key TEXT PRIMARY KEY, value BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS cm_clock(entity TEXT NOT NULL, field TEXT NOT NULL, "
    "stamp TEXT NOT NULL, PRIMARY KEY(entity, field))",
    "CREATE TABLE IF NOT EXISTS cm_people(id TEXT PRIMARY KEY, id_number TEXT NOT NULL DEFAULT '', "
    "name TEXT NOT NULL DEFAULT '', name_source TEXT NOT NULL DEFAULT '', "
    "township TEXT NOT NULL DEFAULT '', village TEXT NOT NULL DEFAULT '', "
    "phone TEXT NOT NULL DEFAULT '', employment TEXT NOT NULL DEFAULT '', "
    "gender TEXT NOT NULL DEFAULT '', birth TEXT NOT NULL DEFAULT '', "
    "deleted BIGINT NOT NULL DEFAULT 0)",
    // What the population figures read of a person, without the row.
    "CREATE INDEX IF NOT EXISTS cm_people_stats ON cm_people(id, deleted, birth, township, "
    "village, gender, employment, id_number)",
    "CREATE TABLE IF NOT EXISTS cm_person_groups(person TEXT NOT NULL, grp TEXT NOT NULL, "
    "member BIGINT NOT NULL, PRIMARY KEY(person, grp))",
    "CREATE TABLE IF NOT EXISTS cm_registry(person TEXT NOT NULL, from_day TEXT NOT NULL, "
    "to_day TEXT, PRIMARY KEY(person, from_day))",
    "CREATE INDEX IF NOT EXISTS cm_registry_days ON cm_registry(person, from_day, to_day)",
    "CREATE TABLE IF NOT EXISTS cm_registry_leaves(uuid TEXT PRIMARY KEY, person TEXT NOT NULL, "
    "to_day TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cm_registry_leaves_person ON cm_registry_leaves(person)",
    "CREATE TABLE IF NOT EXISTS cm_staff(id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', "
    "role TEXT NOT NULL DEFAULT '', site TEXT NOT NULL DEFAULT '', "
    "active BIGINT NOT NULL DEFAULT 1, deleted BIGINT NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS cm_courses(id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', "
    "occupation TEXT NOT NULL DEFAULT '', occupation_code TEXT NOT NULL DEFAULT '', "
    "level BIGINT NOT NULL DEFAULT 0, theory_hours BIGINT NOT NULL DEFAULT 0, "
    "practical_hours BIGINT NOT NULL DEFAULT 0, theory_pass BIGINT NOT NULL DEFAULT 60, "
    "practical_pass BIGINT NOT NULL DEFAULT 60, deleted BIGINT NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS cm_classes(id TEXT PRIMARY KEY, course TEXT NOT NULL DEFAULT '', "
    "site TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '', "
    "capacity BIGINT NOT NULL DEFAULT 0, trainers TEXT NOT NULL DEFAULT '', "
    "deleted BIGINT NOT NULL DEFAULT 0)",
    // What the population figures read of a person, without the row.
    "CREATE INDEX IF NOT EXISTS cm_people_stats ON cm_people(id, deleted, birth, township, "
    "village, gender, employment, id_number)",
    "CREATE TABLE IF NOT EXISTS cm_sessions(id TEXT PRIMARY KEY, class TEXT NOT NULL DEFAULT '', "
    "date TEXT NOT NULL DEFAULT '', start TEXT NOT NULL DEFAULT '', "
    "\"end\" TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT 'theory', "
    "deleted BIGINT NOT NULL DEFAULT 0)",
    // What the population figures read of a person, without the row.
    "CREATE INDEX IF NOT EXISTS cm_people_stats ON cm_people(id, deleted, birth, township, "
    "village, gender, employment, id_number)",
    "CREATE TABLE IF NOT EXISTS cm_enrolments(id TEXT PRIMARY KEY, class TEXT NOT NULL DEFAULT '', "
    "person TEXT NOT NULL DEFAULT '', active BIGINT NOT NULL DEFAULT 1, "
    "deleted BIGINT NOT NULL DEFAULT 0)",
    // What the population figures read of a person, without the row.
    "CREATE INDEX IF NOT EXISTS cm_people_stats ON cm_people(id, deleted, birth, township, "
    "village, gender, employment, id_number)",
    "CREATE INDEX IF NOT EXISTS cm_enrolments_class ON cm_enrolments(class)",
    "CREATE TABLE IF NOT EXISTS cm_attendance(uuid TEXT PRIMARY KEY, session TEXT NOT NULL, "
    "person TEXT NOT NULL, event TEXT NOT NULL, at_ms BIGINT NOT NULL, hlc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cm_attendance_sp ON cm_attendance(session, person)",
    "CREATE TABLE IF NOT EXISTS cm_corrections(uuid TEXT PRIMARY KEY, corrects TEXT NOT NULL, "
    "at_ms BIGINT, is_void BIGINT NOT NULL, hlc TEXT NOT NULL, session TEXT, person TEXT)",
    "CREATE INDEX IF NOT EXISTS cm_corrections_target ON cm_corrections(corrects)",
    "CREATE INDEX IF NOT EXISTS cm_corrections_sp ON cm_corrections(session, person)",
    "CREATE TABLE IF NOT EXISTS cm_confirms(uuid TEXT PRIMARY KEY, session TEXT NOT NULL, "
    "at_ms BIGINT NOT NULL, hlc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cm_confirms_session ON cm_confirms(session)",
    "CREATE TABLE IF NOT EXISTS cm_roster_lines(confirm TEXT NOT NULL, person TEXT NOT NULL, "
    "resolution TEXT NOT NULL, PRIMARY KEY(confirm, person))",
    "CREATE TABLE IF NOT EXISTS cm_credit(session TEXT NOT NULL, person TEXT NOT NULL, "
    "class TEXT NOT NULL, course TEXT NOT NULL, site TEXT NOT NULL, day TEXT NOT NULL, "
    "kind TEXT NOT NULL, minutes BIGINT NOT NULL, PRIMARY KEY(session, person))",
    // The statistics read rows by day through covering indexes: a row
    // lookup per entry in an encrypted store costs a page each.
    "CREATE INDEX IF NOT EXISTS cm_credit_day ON cm_credit(day, site, person, class, course, "
    "minutes)",
    "CREATE INDEX IF NOT EXISTS cm_credit_class ON cm_credit(class)",
    "CREATE INDEX IF NOT EXISTS cm_credit_person ON cm_credit(person, class)",
    "CREATE TABLE IF NOT EXISTS cm_attempts(uuid TEXT PRIMARY KEY, person TEXT NOT NULL, "
    "course TEXT NOT NULL, class TEXT NOT NULL, site TEXT NOT NULL, day TEXT NOT NULL, "
    "passed BIGINT NOT NULL, theory_x100 BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cm_attempts_pc ON cm_attempts(person, course)",
    "CREATE INDEX IF NOT EXISTS cm_attempts_day ON cm_attempts(day, person, site, class, course)",
    "CREATE INDEX IF NOT EXISTS cm_attempts_class ON cm_attempts(class)",
    "CREATE TABLE IF NOT EXISTS cm_practicals(uuid TEXT PRIMARY KEY, person TEXT NOT NULL, "
    "course TEXT NOT NULL, class TEXT NOT NULL, score_x100 BIGINT NOT NULL, day TEXT NOT NULL, "
    "corrects TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cm_practicals_pc ON cm_practicals(person, course)",
    "CREATE INDEX IF NOT EXISTS cm_practicals_target ON cm_practicals(corrects)",
    "CREATE TABLE IF NOT EXISTS cm_passes(person TEXT NOT NULL, course TEXT NOT NULL, "
    "class TEXT NOT NULL, site TEXT NOT NULL, day TEXT NOT NULL, PRIMARY KEY(person, course))",
    "CREATE INDEX IF NOT EXISTS cm_passes_day ON cm_passes(day, person, site, class, course)",
    "CREATE TABLE IF NOT EXISTS cm_certificates(number TEXT PRIMARY KEY, person TEXT NOT NULL, "
    "course TEXT NOT NULL, device TEXT NOT NULL, site TEXT NOT NULL, day TEXT NOT NULL, "
    "uuid TEXT NOT NULL, canonical TEXT NOT NULL, signature TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS cm_cert_decisions(uuid TEXT PRIMARY KEY, number TEXT NOT NULL, "
    "at_ms BIGINT NOT NULL, status TEXT NOT NULL, qual_kind TEXT NOT NULL, "
    "qual_number TEXT NOT NULL, reason TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cm_cert_decisions_number ON cm_cert_decisions(number)",
    "CREATE TABLE IF NOT EXISTS cm_held(person TEXT NOT NULL, ref TEXT NOT NULL, "
    "source TEXT NOT NULL, kind TEXT NOT NULL, level BIGINT NOT NULL, "
    "occupation TEXT NOT NULL, day TEXT NOT NULL, PRIMARY KEY(person, ref))",
    "CREATE INDEX IF NOT EXISTS cm_held_day ON cm_held(day)",
    // Pre-aggregated facts for the statistics (indicators.h), kept by
    // recompute() with the rows they sum: each (person, class)'s credited
    // minutes per month, and each person's first day holding any
    // certificate, a 等级 one, one of 四级 or above, one of 三级 or above.
    "CREATE TABLE IF NOT EXISTS cm_credit_month(person TEXT NOT NULL, class TEXT NOT NULL, "
    "month TEXT NOT NULL, course TEXT NOT NULL, site TEXT NOT NULL, minutes BIGINT NOT NULL, "
    "PRIMARY KEY(person, class, month, course, site))",
    // Covering the statistics' scan of a period's months: no row lookups.
    "CREATE INDEX IF NOT EXISTS cm_credit_month_month ON cm_credit_month(month, person, class, "
    "course, site, minutes)",
    // The cuts' lookups of a row's site, course and class, covered (the
    // site table is the store's own; the index is the statistics').
    "CREATE INDEX IF NOT EXISTS cm_sites_cut ON sites(id, township, name)",
    "CREATE INDEX IF NOT EXISTS cm_courses_cut ON cm_courses(id, occupation, level)",
    "CREATE INDEX IF NOT EXISTS cm_classes_cut ON cm_classes(id, name)",
    "CREATE TABLE IF NOT EXISTS cm_held_first(person TEXT PRIMARY KEY, any_day TEXT NOT NULL, "
    "grade_day TEXT, mid_high_day TEXT, high_day TEXT)",
    "CREATE TABLE IF NOT EXISTS cm_devices(device TEXT PRIMARY KEY, site TEXT NOT NULL, "
    "last_ms BIGINT NOT NULL, records BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS cm_targets(id TEXT PRIMARY KEY, unit TEXT NOT NULL DEFAULT '', "
    "year BIGINT NOT NULL DEFAULT 0, indicator TEXT NOT NULL DEFAULT '', "
    "value TEXT NOT NULL DEFAULT '', deleted BIGINT NOT NULL DEFAULT 0)",
};

Status create_tables(Sql& sql) {
  for (const char* ddl : kModelSchema) CHZ_TRY(sql.exec(ddl).status());
  return OkStatus();
}

Status drop_tables(Sql& sql) {
  for (const auto& t : tables()) CHZ_TRY(sql.exec("DROP TABLE IF EXISTS " + t).status());
  return sql.exec("DROP TABLE IF EXISTS cm_meta").status();
}

}  // namespace chz::server::model
