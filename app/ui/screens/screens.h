// The kiosk's screens: each one function that draws a view-model and
// returns what the person did. Screens hold no state and never touch the
// store; app/ui/app.cpp turns actions into core calls and navigation.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/ui/markdown.h"
#include "app/ui/nav.h"
#include "app/ui/screens/pinyin_keyboard.h"
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
  kPinyin,     // a key of the pinyin keyboard in `pinyin`
  kReplay,     // say the screen's spoken prompt again (top bar)
  kLargeText,  // welcome: larger text for this visit, or back to normal
};

struct Action {
  Act act = Act::kNone;
  int index = 0;
  std::string text;
  Screen screen = Screen::kWelcome;
  Intent intent = Intent::kHome;
  PinyinKeyAction pinyin;
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

// A certificate's status as the trainee reads it: awaiting the county,
// confirmed (with the qualification number), or rejected / revoked with the
// county's reason. `status` is 待确认 | 已确认 | 驳回 | 注销.
std::string cert_status_text(const Ui& ui, const std::string& status, const std::string& qual_kind,
                             const std::string& qual_number, const std::string& reason);

// A notice under a form, green or red, wrapped at `width` (nothing if empty).
void notice_line(Ui& ui, const Notice& n, float width);

// The right-hand column of the keypad screens: digits (X only if `with_x`)
// as kKey, and under them a full-width confirm button as kSubmit.
void keypad_column(Ui& ui, Action& a, bool with_x, ImVec2 key, std::string_view submit_id,
                   std::string_view submit_label, bool submit_enabled);

// The bar on top of every screen: site, sync light, language, back/home.
struct TopBarView {
  const kiosk::views::SiteView* site = nullptr;
  std::string clock;  // "14:05"
  bool show_back = false;
  bool show_home = false;
  bool show_replay = false;  // a trainee screen with a spoken prompt
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
  const std::map<std::string, std::string>* images = nullptr;  // path -> PNG bytes
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
  const std::string* image_png = nullptr;  // the question's picture (PNG), if it has one
};
// kSelect index = option (判断: 0 = 对, 1 = 错); kCommand "prev", "next",
// "flag", "speak", "stop", "submit", "confirm", "keep", and "hear" with
// index = the option to read aloud on its own.
Action draw_exam(Ui& ui, const ExamView& v);

struct ExamResultView {
  std::string name;
  std::string score;  // "100"
  bool passed = false;
  bool has_certificate = false;
  std::string cert_number, cert_course, cert_date, cert_status;
  std::string cert_qual_kind, cert_qual_number, cert_reason;
  Notice notice;  // why no certificate, if passed without one
};
Action draw_exam_result(Ui& ui, const ExamResultView& v);

// kSelect index = position in `staff`.
Action draw_trainer_pick(Ui& ui, const std::vector<kiosk::views::StaffButton>& staff);

struct TrainerHomeView {
  const kiosk::views::TrainerView* trainer = nullptr;
  std::string proctor_code;  // shown after opening a sitting
  Notice notice;
  // The kiosk's time as it reads, when its clock is in doubt (sessions stay
  // shut until a trainer confirms it); "" when it is trusted.
  std::string doubted_time;
};
// kCommand "open" / "roster" / "sitting" with index = row; "confirm_time"
// (index -1) when the clock is in doubt; the tools row: kGo to
// kTrainerWalkIn, kTrainerAddSession, kTrainerScores, kSync.
Action draw_trainer_home(Ui& ui, const TrainerHomeView& v);

struct RosterView {
  std::string title;
  std::vector<kiosk::RosterLine> lines;
  int correcting = -1;  // row whose correction asks for a reason
  Notice notice;
};
// kCommand "in" / "out" / "correct" / "cancel" with index = row;
// "reason:<string key>" (e.g. "reason:trainer.reason.forgot") with index =
// the row being corrected: App::on_roster voids that person's last event
// with the reason in Chinese; "close".
Action draw_roster(Ui& ui, const RosterView& v);

struct AdminView {
  kiosk::views::DeviceView device;
  std::string site_name;
  Notice notice;
  std::vector<std::string> details;  // e.g. what a USB update installed or refused
  bool voice_on = true;              // spoken prompts on trainee screens
  int volume = 80;                   // 0..100
};
// kCommand "rotate", "exit", "content_usb", "sync", "logs", "voice" (prompts
// on/off), "volume_down", "volume_up" (steps of 20).
Action draw_admin(Ui& ui, const AdminView& v);

// Sync status and actions, for trainers and admins.
struct SyncView {
  std::string site_name, server;
  std::int64_t written = 0, waiting = 0;
  std::string last_success;  // China time, "" = never
  std::string last_error;    // "" = none
  bool running = false;
  std::string progress;  // what the running pass is doing
  std::string usb_dir;   // "" = no stick found
  Notice notice;
};
// kCommand "sync", "usb_export", "usb_import".
Action draw_sync(Ui& ui, const SyncView& v);

// The last log lines (no personal data in them), newest last.
Action draw_logs(Ui& ui, const std::vector<std::string>& lines);

// A trainer adds a session today for one of their classes.
struct AddSessionView {
  std::vector<kiosk::views::ClassChoice> classes;
  int class_index = -1;
  bool practical = false;
  int start_minute = 0, minutes = 120;  // China time of day
  Notice notice;
};
// kSelect index = class; kCommand "theory", "practical", "earlier", "later",
// "shorter", "longer"; kSubmit adds it.
Action draw_add_session(Ui& ui, const AddSessionView& v);

// A trainer registers a walk-in trainee and enrols them, step by step:
// ID number (keypad), name (pinyin keyboard), township and village (known
// places as buttons, or typed), class. A known ID number skips to the class.
struct WalkInView {
  enum Step { kId, kName, kTownship, kVillage, kGroups, kClass, kDone } step = kId;
  SignInView id;        // kId: what was keyed, masked, its check
  std::string text;     // kName / kTownship / kVillage: what is typed so far
  bool typing = false;  // kTownship / kVillage: the keyboard instead of buttons
  PinyinKeyboardView keyboard;
  std::vector<std::string> choices;  // kTownship / kVillage: known places
  std::vector<kiosk::views::ClassChoice> classes;
  std::vector<std::string> groups;  // kGroups: the ticked key employment groups
  std::string who;                  // "张𠮷  1405**********3017"
  Notice notice;
};
// kKey (ID keypad), kPinyin, kSelect index = place or class, kSubmit = next,
// kCommand "type" (keyboard for a new place), "again" (the next person),
// "group" with index = a key group (kiosk::key_groups() order) to tick or untick.
Action draw_walk_in(Ui& ui, const WalkInView& v);

// Practical scores: pick a class, a trainee, key the score.
struct ScoresView {
  std::vector<kiosk::views::ClassChoice> classes;
  int class_index = -1;
  std::vector<kiosk::views::ScoreLine> lines;
  int person_index = -1;
  std::string typed;  // the score being keyed
  // Countersignature (复核) by a second assessor, on this kiosk: pick who,
  // then they key their own PIN; the score is saved with both.
  enum Stage { kScore, kPickSecond, kSecondPin } stage = kScore;
  std::vector<kiosk::views::StaffButton> second_choices;  // kPickSecond: everyone else
  std::string second_id, second_name;
  int second_pin_digits = 0;  // kSecondPin: how many typed (the PIN is never drawn)
  Notice notice;
};
// kSelect index = class (class_index < 0), person, or (kPickSecond) second
// assessor; kKey digits / "del" (score, or the second PIN); kSubmit saves;
// kCommand "classes" (back to the class list), "cancel", "countersign".
Action draw_scores(Ui& ui, const ScoresView& v);

}  // namespace chz::app
