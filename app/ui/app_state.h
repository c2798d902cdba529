// The kiosk app's state, shared by its parts (app.cpp: frame, navigation,
// dispatch; app_trainee.cpp; app_exam.cpp; app_trainer.cpp; app_walk_in.cpp;
// app_county.cpp: enrollment, sync, USB, admin). Internal to app/ui.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/ops/sync_worker.h"
#include "app/ui/app.h"
#include "app/ui/log_buffer.h"
#include "app/ui/markdown.h"
#include "app/ui/pinyin.h"
#include "app/ui/speech.h"
#include "content/model.h"
#include "kiosk/actor.h"
#include "kiosk/exam_session.h"
#include "kiosk/people.h"
#include "kiosk/views/site_view.h"
#include "kiosk/views/trainee_view.h"
#include "kiosk/views/trainer_view.h"

namespace chz::app {

// The walk-in form's state (the view is built from it each frame).
struct WalkInState {
  WalkInView::Step step = WalkInView::kId;
  SignInView id;
  std::string name, township, village;
  bool typing = false;
  std::unique_ptr<PinyinInput> pinyin;  // opened on first use
  std::string pinyin_error;             // why there is no pinyin (letters only then)
  std::optional<kiosk::Person> known;   // the ID number is already registered
  std::vector<std::string> choices;
  std::vector<kiosk::views::ClassChoice> classes;
  std::vector<std::string> groups;  // ticked key groups, programme order
  Notice notice;
};

struct App::State {
  kiosk::views::SiteView site;
  EnrollView enroll;
  SignInView sign_in;
  PinView pin;
  std::string pin_typed;
  Notice flash;  // a one-off message on the welcome screen (idle reset...)
  std::optional<kiosk::views::TraineeView> trainee;
  CheckInView check_in;
  std::vector<kiosk::views::LessonListView> lessons;
  std::optional<kiosk::views::LessonView> lesson;
  std::vector<MdBlock> blocks;
  std::map<std::string, std::string> images;  // the lesson's images, read and hash-checked
  int page = 0;
  // exam
  std::optional<content::Course> course;
  std::string exam_class, sitting_id, code_typed;
  ExamGateView gate;
  std::optional<kiosk::exam::AttemptRun> run;
  std::optional<kiosk::exam::QuestionView> q;
  bool confirming = false;
  int unanswered = 0;
  ExamResultView result;
  std::string q_image, q_image_png;  // the current question's picture: path, PNG bytes
  int time_warned = 99;              // the last time warning said (5, 1 minutes; 99 none)
  int said_question = -1;            // the question whose number was last said
  // trainer
  std::vector<kiosk::views::StaffButton> staff;
  std::string pin_staff;  // who is typing a PIN
  int pin_setup = 0;      // first PIN: 1 setup code, 2 new PIN, 3 again
  std::string setup_code, new_pin;
  kiosk::Actor actor;  // signed-in staff
  std::optional<kiosk::views::TrainerView> trainer;
  std::string proctor_code;
  Notice trainer_notice;
  std::string doubted_time;  // the kiosk's clock reading while in doubt, else ""
  RosterView roster;
  std::string roster_session, roster_class;
  std::string staff_pin;  // the signed-in assessor's PIN, for score entries; memory only
  AddSessionView add_session;
  ScoresView scores;
  std::string second_pin;  // the countersigning assessor's PIN while keyed; memory only
  WalkInState walk_in;
  // county
  SyncView sync;
  AdminView admin;
};

// An ID number keypad key ("0".."9", "X", "del", "clear") applied to `v`:
// the typed digits, the masked display, and the check once all 18 are in.
void key_id_number(SignInView& v, const std::string& k);

// A refusal from the core as a notice: its string-table key when there is
// one, else the generic error with the key or message.
inline Notice refusal(const Status& st) {
  if (has_string(st.key())) return {st.key(), "", false};
  return {"common.error", st.key().empty() ? st.message() : st.key(), false};
}

}  // namespace chz::app
