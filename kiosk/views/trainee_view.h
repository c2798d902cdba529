// View-models of the trainee's screens: home (courses, hours, next session,
// eligibility, certificates), check-in, lessons. Built from the core's own
// functions; no UI headers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "kiosk/store.h"

namespace chz::kiosk::views {

struct CourseCard {
  std::string course_id, class_id, course_name, class_name;
  int theory_done_h = 0, theory_need_h = 0;
  int practical_done_h = 0, practical_need_h = 0;
  bool hours_met = false;
  bool installed = false;  // lessons and exam available on this kiosk
};

struct SessionCard {
  std::string session_id, class_name;
  std::string when;         // "2026-11-23 19:00–21:00"
  bool open = false;        // attendance is being taken now
  bool checked_in = false;  // this person is in
};

struct CertCard {
  std::string number, course_name, date, status;  // status: 待确认 | 已确认 | 驳回 | 注销
  std::string qual_kind, qual_number, reason;     // from the county's confirmation
};

struct TraineeView {
  std::string person_key, name, masked_id;
  std::vector<CourseCard> courses;
  std::optional<SessionCard> current;  // open session of one of their classes
  std::optional<SessionCard> next;     // the next scheduled one
  std::vector<CertCard> certificates;
};

// The trainee's home. kNotFound ("person.unknown") for an unknown key.
Result<TraineeView> trainee_view(Store& store, const Clock& clock, const std::string& person_key);

struct LessonItem {
  std::string id, title;
  int minutes = 0;
};
struct LessonListView {
  std::string course_id, course_name;
  std::vector<LessonItem> lessons;
};
// Lessons of the installed courses the person is enrolled in (all installed
// courses when `person_key` is empty).
Result<std::vector<LessonListView>> lesson_lists(Store& store, const std::string& person_key);

struct LessonView {
  std::string course_id, lesson_id, title, markdown;
  int index = 0, count = 0;
};
// kNotFound when the course or the lesson is not installed.
Result<LessonView> lesson_view(Store& store, const std::string& course_id, int index);

// Every character a screen may show from the store, for the UI's font
// atlas: `titles` is what may appear in large type (site, people, staff,
// classes, course names, lesson titles); `body` is everything (titles and
// lesson and question text). One query for the names, one load per course.
struct GlyphCorpus {
  std::string titles, body;
};
Result<GlyphCorpus> glyph_corpus(Store& store);

}  // namespace chz::kiosk::views
