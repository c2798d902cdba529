// kioskctl domain commands: demo-fill, people, staff, classes, hours, audit.
// ID numbers and phones are printed masked; names are shown (an operator's
// tool on the kiosk itself), never logged.
#include <fmt/format.h>

#include <memory>

#include "app/ctl/ctl.h"
#include "common/clock.h"
#include "kiosk/attendance.h"
#include "kiosk/audit.h"
#include "kiosk/classes.h"
#include "kiosk/demo_fill.h"
#include "kiosk/hours.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"
#include "kiosk/store.h"
#include "sync/protocol/person_key.h"

namespace chz::ctl {

namespace {

using namespace chz::kiosk;

std::string_view presence_name(Presence p) {
  switch (p) {
    case Presence::kIn:
      return "在场 in";
    case Presence::kOut:
      return "已签退 out";
    default:
      return "未到 -";
  }
}

std::string state_name(SessionState s) {
  switch (s) {
    case SessionState::kOpen:
      return "进行中 open";
    case SessionState::kClosed:
      return "已确认 confirmed";
    default:
      return "未开始 scheduled";
  }
}

Status cmd_demo_fill(Context& ctx, const DemoFillOptions& o) {
  CHZ_ASSIGN_OR_RETURN(Store store, Store::open(ctx.data));
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(DemoFillReport r, fill_demo(store.db(), clock, o));
  fmt::print(
      "demo data added: {} people, {} staff, {} classes, {} sessions, {} attendance events\n",
      r.people, r.staff, r.classes, r.sessions, r.attendance_events);
  fmt::print("staff (PIN {} for all):\n", o.pin);
  for (const auto& l : r.staff_lines) fmt::print("  {}\n", l);
  return OkStatus();
}

Status cmd_people(Context& ctx) {
  CHZ_ASSIGN_OR_RETURN(Store store, Store::open(ctx.data));
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(store.db(), clock));
  CHZ_ASSIGN_OR_RETURN(auto people, list_people(store.db()));
  for (const auto& p : people) {
    std::string groups;
    for (const auto& g : p.groups) groups += (groups.empty() ? "" : "、") + g;
    fmt::print("{}  {}  {}岁 {}  {} {}  {}  {}  key {}\n", p.masked_id(), p.name,
               p.age_on(china_date(now)), p.gender == sync::Gender::kMale ? "男" : "女", p.township,
               p.village, p.phone.empty() ? "-" : p.masked_phone(), groups.empty() ? "-" : groups,
               p.key.substr(0, 12));
  }
  fmt::print("{} people\n", people.size());
  return OkStatus();
}

Status cmd_staff(Context& ctx) {
  CHZ_ASSIGN_OR_RETURN(Store store, Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(auto staff, list_staff(store.db()));
  for (const auto& s : staff)
    fmt::print("{}  {}  {}  {}{}{}\n", s.id, s.name, role_name(s.role), s.site,
               s.active ? "" : "  (inactive)", s.has_pin ? "" : "  (no PIN yet)");
  fmt::print("{} staff\n", staff.size());
  return OkStatus();
}

Status cmd_classes(Context& ctx, bool sessions) {
  CHZ_ASSIGN_OR_RETURN(Store store, Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(auto classes, list_classes(store.db()));
  for (const auto& c : classes) {
    auto course = get_course(store.db(), c.course);
    CHZ_ASSIGN_OR_RETURN(auto ss, sessions_of_class(store.db(), c.id));
    fmt::print("{}  {}\n  course {} ({})  site {}  enrolled {}/{}  sessions {}\n", c.id, c.name,
               c.course, course.ok() ? course->name : "?", c.site, c.enrolled, c.capacity,
               ss.size());
    if (!sessions) continue;
    for (const auto& s : ss) {
      CHZ_ASSIGN_OR_RETURN(SessionState st, session_state(store.db(), s.id));
      fmt::print("    {} {}-{} {}  {}  {}\n", format_date(s.date), format_minute(s.start_minute),
                 format_minute(s.end_minute), s.kind == SessionKind::kTheory ? "理论" : "实操",
                 state_name(st), s.id);
    }
  }
  fmt::print("{} classes\n", classes.size());
  return OkStatus();
}

void print_hours(const CourseHours& h) {
  fmt::print(
      "  {} ({}): 理论 {}/{} 学时 ({} min)  实操 {}/{} 学时 ({} min)  {}{}\n", h.course_name,
      h.course, h.theory_hours(), h.theory_needed_min / h.minutes_per_hour, h.theory_done_min,
      h.practical_hours(), h.practical_needed_min / h.minutes_per_hour, h.practical_done_min,
      h.met() ? "可参加考试 eligible" : "学时未满 not yet eligible",
      h.missing_checkouts ? fmt::format("  [{} 次未签退 flagged]", h.missing_checkouts) : "");
}

Status cmd_hours(Context& ctx, const std::string& person, const std::string& class_id) {
  CHZ_ASSIGN_OR_RETURN(Store store, Store::open(ctx.data));
  SystemClock clock;
  if (!class_id.empty()) {
    CHZ_ASSIGN_OR_RETURN(ClassInfo c, get_class(store.db(), class_id));
    CHZ_ASSIGN_OR_RETURN(auto roster, class_roster(store.db(), clock, class_id));
    fmt::print("{}  ({} enrolled)\n", c.name, roster.size());
    int eligible = 0;
    for (const auto& l : roster) {
      fmt::print("  {}  {:<12}  today {:<12}  理论 {:>3} min  实操 {:>3} min  {}\n", l.masked_id,
                 l.name, presence_name(l.today), l.hours.theory_done_min,
                 l.hours.practical_done_min, l.hours.met() ? "eligible" : "-");
      eligible += l.hours.met() ? 1 : 0;
    }
    fmt::print("{} of {} eligible for the exam\n", eligible, roster.size());
    return OkStatus();
  }
  if (person.empty())
    return Status(Code::kInvalidArgument, "give --person (ID number or person key) or --class");
  std::string key = person;
  if (!sync::is_person_key(person)) {
    CHZ_ASSIGN_OR_RETURN(Person p, find_person_by_id_number(store.db(), person));
    key = p.key;
  }
  CHZ_ASSIGN_OR_RETURN(Person p, get_person(store.db(), key));
  fmt::print("{}  {}\n", p.masked_id(), p.name);
  CHZ_ASSIGN_OR_RETURN(auto hours, hours_for_person(store.db(), key));
  for (const auto& h : hours) print_hours(h);
  if (hours.empty()) fmt::print("  (not enrolled in any class)\n");
  return OkStatus();
}

Status cmd_audit(Context& ctx, int limit) {
  CHZ_ASSIGN_OR_RETURN(Store store, Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(auto entries, recent_audit(store.db(), static_cast<std::size_t>(limit)));
  for (const auto& e : entries)
    fmt::print("{:>6}  {}  {:<28} {:<26} {}\n", e.id, format_china_time(e.at_ms),
               e.actor.substr(0, 28), e.action, e.detail);
  Status chain = verify_audit_chain(store.db());
  fmt::print("chain: {}\n", chain.ok() ? "ok" : chain.message());
  return chain;
}

}  // namespace

void add_domain_commands(CLI::App& app, Context& ctx) {
  auto fill = std::make_shared<DemoFillOptions>();
  auto* df = app.add_subcommand(
      "demo-fill", "fill the store with demo people, staff, classes, sessions and attendance");
  df->add_option("--people", fill->people, "how many demo people")->capture_default_str();
  df->add_option("--seed", fill->seed, "seed of the demo population")->capture_default_str();
  df->add_option("--days", fill->days_back, "past days with attendance")->capture_default_str();
  df->add_option("--site", fill->site, "demo site id (site-01 .. site-14)")->capture_default_str();
  df->add_option("--pin", fill->pin, "PIN of every demo staff member")->capture_default_str();
  on_run(df, ctx, [&ctx, fill] { return cmd_demo_fill(ctx, *fill); });

  on_run(app.add_subcommand("people", "list people (ID numbers and phones masked)"), ctx,
         [&ctx] { return cmd_people(ctx); });
  on_run(app.add_subcommand("staff", "list trainers, assessors and site admins"), ctx,
         [&ctx] { return cmd_staff(ctx); });

  auto show_sessions = std::make_shared<bool>(false);
  auto* cl =
      app.add_subcommand("classes", "list classes (with --sessions: their sessions and state)");
  cl->add_flag("--sessions", *show_sessions, "list each class's sessions");
  on_run(cl, ctx, [&ctx, show_sessions] { return cmd_classes(ctx, *show_sessions); });

  auto who = std::make_shared<std::pair<std::string, std::string>>();
  auto* hr =
      app.add_subcommand("hours", "hours done vs needed: --person ID-number|key, or --class id");
  hr->add_option("--person", who->first, "an ID number or a person key");
  hr->add_option("--class", who->second, "a class id: its roster with today's status");
  on_run(hr, ctx, [&ctx, who] { return cmd_hours(ctx, who->first, who->second); });

  auto limit = std::make_shared<int>(30);
  auto* au = app.add_subcommand("audit", "show the latest audit entries and verify the chain");
  au->add_option("--limit", *limit, "how many entries")->capture_default_str();
  on_run(au, ctx, [&ctx, limit] { return cmd_audit(ctx, *limit); });
}

}  // namespace chz::ctl
