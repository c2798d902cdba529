// Navigation: the one state machine of the kiosk UI. Pure (no ImGui), so
// every path — first run, sign-in intents, exam lock, idle reset — is unit
// tested without a window.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chz::app {

enum class Screen {
  kEnroll,  // first run: not yet enrolled
  kWelcome,
  kSignIn,  // trainee types the ID number
  kTraineeHome,
  kCheckIn,  // big confirmation of a check-in / check-out
  kLessonList,
  kLesson,
  kExamGate,  // eligibility, proctor code, rules
  kExam,
  kExamResult,
  kTrainerPick,  // tap your name
  kTrainerPin,
  kTrainerHome,
  kTrainerSession,
  kTrainerWalkIn,
  kTrainerScores,
  kTrainerAddSession,  // an ad-hoc session today
  kSync,               // sync status, sync now, USB (trainer and admin)
  kAdminPin,
  kAdmin,
  kAdminLogs,
};
std::string_view screen_name(Screen s);  // "welcome", "signin", ...
// The screens a trainee uses (pictograms, spoken prompts, 再听): welcome,
// sign-in, and every screen that needs a signed-in trainee or shows lessons.
bool is_trainee_screen(Screen s);

// What the trainee asked for on the welcome screen before signing in.
enum class Intent { kHome, kCheckIn, kLearn, kExam };

class Nav {
 public:
  explicit Nav(bool enrolled) : screen_(enrolled ? Screen::kWelcome : Screen::kEnroll) {}

  Screen screen() const { return screen_; }
  const std::string& trainee() const { return trainee_; }
  const std::string& staff() const { return staff_; }
  Intent intent() const { return intent_; }
  bool in_exam() const { return screen_ == Screen::kExam; }

  // Enrollment done: the enrollment screen never shows again.
  void enrolled();
  // From welcome: sign in with an intent.
  void start_sign_in(Intent i);
  // A valid, known ID number: goes where the intent said.
  void signed_in(std::string person_key);
  void staff_signed_in(std::string staff_id);
  // Pushes `s` (back returns here). Refused (returns false) while an exam
  // runs, except to kExamResult, and for trainee screens with nobody signed in.
  bool go(Screen s);
  // Pops one screen; from the first screen after sign-in, goes home.
  void back();
  // To welcome, forgetting trainee and staff. Refused during an exam.
  bool home();
  // The exam submitted: to its result, the exam lock released.
  void exam_finished();
  // Whether idle time may reset to welcome now (never during an exam, and
  // there is nothing to reset on welcome / enrollment).
  bool idle_reset_allowed() const;

 private:
  Screen screen_;
  std::vector<Screen> stack_;
  std::string trainee_, staff_;
  Intent intent_ = Intent::kHome;
};

}  // namespace chz::app
