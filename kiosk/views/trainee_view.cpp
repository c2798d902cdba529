#include "kiosk/views/trainee_view.h"

#include <algorithm>

#include "content/install.h"
#include "kiosk/attendance.h"
#include "kiosk/certificate_issue.h"
#include "kiosk/classes.h"
#include "kiosk/hours.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"
#include "kiosk/views/site_view.h"

namespace chz::kiosk::views {

namespace {
std::string when(const SessionInfo& s) {
  return format_date(s.date) + " " + format_minute(s.start_minute) + "–" +
         format_minute(s.end_minute);
}

bool is_installed(Store& store, const std::string& course) {
  return content::installed_version(store.dir(), course).ok();
}
}  // namespace

Result<TraineeView> trainee_view(Store& store, const Clock& clock, const std::string& person_key) {
  Db& db = store.db();
  CHZ_ASSIGN_OR_RETURN(Person p, get_person(db, person_key));
  TraineeView v;
  v.person_key = p.key;
  v.name = p.name;
  v.masked_id = p.masked_id();
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  CHZ_ASSIGN_OR_RETURN(auto classes, list_classes(db));
  std::int64_t next_start = 0;
  for (const ClassInfo& c : classes) {
    CHZ_ASSIGN_OR_RETURN(bool in, is_enrolled(db, c.id, p.key));
    if (!in) continue;
    CourseCard card;
    card.course_id = c.course;
    card.class_id = c.id;
    card.class_name = c.name;
    auto course = get_course(db, c.course);
    card.course_name = course.ok() ? course->name : c.course;
    auto h = hours_for_course(db, p.key, c.course);
    if (h.ok()) {
      int mph = std::max(1, h->minutes_per_hour);
      card.theory_done_h = h->theory_hours();
      card.practical_done_h = h->practical_hours();
      card.theory_need_h = h->theory_needed_min / mph;
      card.practical_need_h = h->practical_needed_min / mph;
      card.hours_met = h->met();
    }
    card.installed = is_installed(store, c.course);
    v.courses.push_back(card);
    CHZ_ASSIGN_OR_RETURN(auto sessions, sessions_of_class(db, c.id));
    for (const SessionInfo& s : sessions) {
      auto st = session_state(db, s.id);
      if (!st.ok()) continue;
      if (*st == SessionState::kOpen && !v.current) {
        SessionCard sc{s.id, c.name, when(s), true, false};
        auto ev = effective_events(db, s.id, p.key);
        if (ev.ok() && !ev->empty()) sc.checked_in = ev->back().in;
        v.current = sc;
      } else if (*st == SessionState::kScheduled && s.end_ms > now) {  // not over yet
        if (!v.next || s.start_ms < next_start) {
          v.next = SessionCard{s.id, c.name, when(s), false, false};
          next_start = s.start_ms;
        }
      }
    }
  }
  auto certs = exam::certificates_of(store, p.key);
  if (certs.ok()) {
    for (const auto& c : *certs)
      v.certificates.push_back({c.data.number, c.data.occupation + " " + c.data.level, c.data.date,
                                c.status, c.qual_kind, c.qual_number, c.reason});
  }
  return v;
}

Result<std::vector<LessonListView>> lesson_lists(Store& store, const std::string& person_key) {
  CHZ_ASSIGN_OR_RETURN(auto installed, content::list_installed(store.dir()));
  std::vector<LessonListView> out;
  for (const auto& ic : installed) {
    if (!person_key.empty()) {
      bool mine = false;
      CHZ_ASSIGN_OR_RETURN(auto classes, list_classes(store.db()));
      for (const auto& c : classes) {
        if (c.course != ic.id) continue;
        auto in = is_enrolled(store.db(), c.id, person_key);
        if (in.ok() && *in) mine = true;
      }
      if (!mine) continue;
    }
    auto course = content::load_installed(store.dir(), ic.id);
    if (!course.ok()) continue;
    LessonListView l{ic.id, course->name, {}};
    for (const auto& le : course->lessons) l.lessons.push_back({le.id, le.title, le.minutes});
    out.push_back(std::move(l));
  }
  return out;
}

Result<LessonView> lesson_view(Store& store, const std::string& course_id, int index) {
  CHZ_ASSIGN_OR_RETURN(content::Course c, content::load_installed(store.dir(), course_id));
  if (index < 0 || index >= static_cast<int>(c.lessons.size()))
    return Status(Code::kNotFound, "no such lesson", "lesson.unknown");
  const auto& l = c.lessons[static_cast<std::size_t>(index)];
  return LessonView{course_id,  l.id,  l.title,
                    l.markdown, index, static_cast<int>(c.lessons.size())};
}

Result<GlyphCorpus> glyph_corpus(Store& store) {
  GlyphCorpus out;
  auto site = site_view(store);
  if (site.ok()) out.titles += site->site_name;
  for (const char* sql : {"SELECT name FROM people WHERE deleted = 0", "SELECT name FROM staff",
                          "SELECT name FROM classes", "SELECT name FROM courses"}) {
    CHZ_ASSIGN_OR_RETURN(Stmt st, store.db().prepare(sql));
    for (;;) {
      CHZ_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      out.titles += st.text(0);
    }
  }
  auto installed = content::list_installed(store.dir());
  if (installed.ok()) {
    for (const auto& ic : *installed) {
      auto c = content::load_installed(store.dir(), ic.id);
      if (!c.ok()) continue;
      out.titles += c->name;
      for (const auto& l : c->lessons) {
        out.titles += l.title;
        out.body += l.markdown;
      }
      for (const auto& q : c->bank) {
        out.body += q.stem;
        for (const auto& o : q.options) out.body += o;
      }
    }
  }
  out.body += out.titles;
  return out;
}

}  // namespace chz::kiosk::views
