#include "app/ui/nav.h"

namespace chz::app {

std::string_view screen_name(Screen s) {
  switch (s) {
    case Screen::kEnroll:
      return "enroll";
    case Screen::kWelcome:
      return "welcome";
    case Screen::kSignIn:
      return "signin";
    case Screen::kTraineeHome:
      return "trainee_home";
    case Screen::kCheckIn:
      return "checkin";
    case Screen::kLessonList:
      return "lesson_list";
    case Screen::kLesson:
      return "lesson";
    case Screen::kExamGate:
      return "exam_gate";
    case Screen::kExam:
      return "exam";
    case Screen::kExamResult:
      return "exam_result";
    case Screen::kTrainerPick:
      return "trainer_pick";
    case Screen::kTrainerPin:
      return "trainer_pin";
    case Screen::kTrainerHome:
      return "trainer_home";
    case Screen::kTrainerSession:
      return "trainer_session";
    case Screen::kTrainerWalkIn:
      return "trainer_walkin";
    case Screen::kTrainerScores:
      return "trainer_scores";
    case Screen::kTrainerAddSession:
      return "trainer_add_session";
    case Screen::kSync:
      return "sync";
    case Screen::kAdminPin:
      return "admin_pin";
    case Screen::kAdmin:
      return "admin";
    case Screen::kAdminLogs:
      return "admin_logs";
  }
  return "?";
}

namespace {
bool needs_trainee(Screen s) {
  switch (s) {
    case Screen::kTraineeHome:
    case Screen::kCheckIn:
    case Screen::kExamGate:
    case Screen::kExam:
    case Screen::kExamResult:
      return true;
    default:
      return false;
  }
}
}  // namespace

bool is_trainee_screen(Screen s) {
  return s == Screen::kWelcome || s == Screen::kSignIn || s == Screen::kLessonList ||
         s == Screen::kLesson || needs_trainee(s);
}

namespace {
bool needs_staff(Screen s) {
  switch (s) {
    case Screen::kTrainerHome:
    case Screen::kTrainerSession:
    case Screen::kTrainerWalkIn:
    case Screen::kTrainerScores:
    case Screen::kTrainerAddSession:
      return true;
    default:
      return false;
  }
}
}  // namespace

void Nav::enrolled() {
  if (screen_ == Screen::kEnroll) screen_ = Screen::kWelcome;
  stack_.clear();
}

void Nav::start_sign_in(Intent i) {
  if (in_exam() || screen_ == Screen::kEnroll) return;
  intent_ = i;
  trainee_.clear();
  stack_ = {Screen::kWelcome};
  screen_ = Screen::kSignIn;
}

void Nav::signed_in(std::string person_key) {
  trainee_ = std::move(person_key);
  stack_ = {Screen::kWelcome, Screen::kTraineeHome};
  switch (intent_) {
    case Intent::kCheckIn:
      screen_ = Screen::kCheckIn;
      break;
    case Intent::kLearn:
      screen_ = Screen::kLessonList;
      break;
    case Intent::kExam:
      screen_ = Screen::kExamGate;
      break;
    case Intent::kHome:
      stack_ = {Screen::kWelcome};
      screen_ = Screen::kTraineeHome;
      break;
  }
}

void Nav::staff_signed_in(std::string staff_id) {
  staff_ = std::move(staff_id);
  stack_ = {Screen::kWelcome};
  screen_ = Screen::kTrainerHome;
}

bool Nav::go(Screen s) {
  if (in_exam() && s != Screen::kExamResult) return false;
  if (needs_trainee(s) && trainee_.empty()) return false;
  if (needs_staff(s) && staff_.empty()) return false;
  if (s == Screen::kEnroll) return false;
  if (in_exam()) {  // the result replaces the exam: no way back into it
    screen_ = s;
    return true;
  }
  stack_.push_back(screen_);
  screen_ = s;
  return true;
}

void Nav::back() {
  if (in_exam()) return;
  if (stack_.empty()) {
    home();
    return;
  }
  screen_ = stack_.back();
  stack_.pop_back();
  if (screen_ == Screen::kWelcome) {
    trainee_.clear();
    staff_.clear();
    stack_.clear();
  }
}

bool Nav::home() {
  if (in_exam() || screen_ == Screen::kEnroll) return false;
  screen_ = Screen::kWelcome;
  stack_.clear();
  trainee_.clear();
  staff_.clear();
  intent_ = Intent::kHome;
  return true;
}

void Nav::exam_finished() {
  if (screen_ == Screen::kExam) screen_ = Screen::kExamResult;
}

bool Nav::idle_reset_allowed() const {
  return !in_exam() && screen_ != Screen::kWelcome && screen_ != Screen::kEnroll;
}

}  // namespace chz::app
