// The kiosk's screens: each one function that draws a view-model and
// returns what the person did. Screens hold no state and never touch the
// store; app/ui/app.cpp turns actions into core calls and navigation.
#pragma once

#include <string>
#include <vector>

#include "app/ui/markdown.h"
#include "app/ui/nav.h"
#include "app/ui/widgets.h"
#include "kiosk/exam_session.h"
#include "kiosk/hours.h"
#include "kiosk/views/site_view.h"
#include "kiosk/views/trainee_view.h"
#include "kiosk/views/trainer_view.h"

namespace chz::app {

enum class Act {
  kNone,
  kBack,
  kHome,
  kToggleLang,
  kIntent,     // welcome: intent
  kGo,         // screen
  kKey,        // keypad/keyboard key in `text`
  kSubmit,     // the screen's main confirmation
  kSelect,     // `index` (a list row, a name, an option)
  kSecondary,  // the screen's second action (e.g. enroll from USB)
  kCommand,    // a named command in `text` (trainer/admin menus)
};

struct Action {
  Act act = Act::kNone;
  int index = 0;
  std::string text;
  Screen screen = Screen::kWelcome;
  Intent intent = Intent::kHome;
  explicit operator bool() const { return act != Act::kNone; }
};

// A message line under a form: empty, good news or a refusal.
// Holds a string-table key (and one argument), so it follows the language.
struct Notice {
  std::string key;
  std::string arg;
  bool good = false;
  bool empty() const { return key.empty(); }
  std::string text(const Ui& ui) const {
    return arg.empty() ? std::string(ui.t(key)) : ui.tf(key, arg);
  }
};

// The bar on top of every screen: site, sync light, language, back/home.
struct TopBarView {
  const kiosk::views::SiteView* site = nullptr;
  std::string clock;  // "14:05"
  bool show_back = false;
  bool show_home = false;
};
Action draw_top_bar(Ui& ui, const TopBarView& v);

struct EnrollView {
  std::string server;
  std::string code;
  int focus = 1;  // 0 = server, 1 = code
  Notice notice;
};
Action draw_enroll(Ui& ui, const EnrollView& v);

Action draw_welcome(Ui& ui, const kiosk::views::SiteView& v);

struct SignInView {
  std::string typed;   // what was keyed so far (never drawn in full)
  std::string masked;  // what is shown
  bool complete_and_valid = false;
  Notice notice;
};
Action draw_sign_in(Ui& ui, const SignInView& v);

// A PIN pad under a title (trainer and admin).
struct PinView {
  std::string title;
  std::string who;  // the trainer's name, or ""
  int digits = 0;
  Notice notice;
};
Action draw_pin(Ui& ui, const PinView& v);

Action draw_trainee_home(Ui& ui, const kiosk::views::TraineeView& v);

// The big confirmation after a check-in / check-out, or why it was refused.
struct CheckInView {
  std::string name;
  bool done = false;
  bool checked_in = true;  // done: in (true) or out (false)
  std::string session, time;
  Notice notice;  // refusal
};
Action draw_check_in(Ui& ui, const CheckInView& v);

// kSelect with index = course * 1000 + lesson.
Action draw_lesson_list(Ui& ui, const std::vector<kiosk::views::LessonListView>& v);

struct LessonScreenView {
  const kiosk::views::LessonView* lesson = nullptr;
  const std::vector<MdBlock>* blocks = nullptr;
  int page = 0;
  bool speaking = false;
  bool can_speak = true;
};
// kCommand: "page.next", "page.prev", "speak", "stop", "lesson.next", "lesson.prev".
Action draw_lesson(Ui& ui, const LessonScreenView& v);

struct ExamGateView {
  std::string course_name;
  int questions = 0, minutes = 0, pass_mark = 0;
  bool has_sitting = false;
  bool eligible = false;
  int code_digits = 0;
  Notice notice;
};
// kKey for the proctor-code keypad, kSubmit to start.
Action draw_exam_gate(Ui& ui, const ExamGateView& v);

struct ExamView {
  const kiosk::exam::QuestionView* q = nullptr;
  bool confirming = false;  // the submit confirmation is up
  int unanswered = 0;
  bool speaking = false;
};
// kSelect index = option (判断: 0 = 对, 1 = 错); kCommand "prev", "next",
// "flag", "speak", "stop", "submit", "confirm", "keep".
Action draw_exam(Ui& ui, const ExamView& v);

struct ExamResultView {
  std::string name;
  std::string score;  // "100"
  bool passed = false;
  bool has_certificate = false;
  std::string cert_number, cert_course, cert_date, cert_status;
  Notice notice;  // why no certificate, if passed without one
};
Action draw_exam_result(Ui& ui, const ExamResultView& v);

// kSelect index = position in `staff`.
Action draw_trainer_pick(Ui& ui, const std::vector<kiosk::views::StaffButton>& staff);

struct TrainerHomeView {
  const kiosk::views::TrainerView* trainer = nullptr;
  std::string proctor_code;  // shown after opening a sitting
  Notice notice;
};
// kCommand "open" / "roster" / "sitting" with index = row.
Action draw_trainer_home(Ui& ui, const TrainerHomeView& v);

struct RosterView {
  std::string title;
  std::vector<kiosk::RosterLine> lines;
  int correcting = -1;  // row whose correction asks for a reason
  Notice notice;
};
// kCommand "in" / "out" / "correct" / "cancel" with index = row;
// "reason" with text = reason key; "close".
Action draw_roster(Ui& ui, const RosterView& v);

struct AdminView {
  kiosk::views::DeviceView device;
  std::string site_name;
  Notice notice;
};
// kCommand "rotate", "exit", "content_usb".
Action draw_admin(Ui& ui, const AdminView& v);

}  // namespace chz::app
