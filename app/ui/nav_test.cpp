#include "app/ui/nav.h"

#include <doctest/doctest.h>

using namespace chz::app;

TEST_CASE("nav: a kiosk not yet enrolled starts on the enrollment screen, then never again") {
  Nav n(false);
  CHECK(n.screen() == Screen::kEnroll);
  CHECK_FALSE(n.home());
  Nav m(false);
  m.enrolled();
  CHECK(m.screen() == Screen::kWelcome);
  CHECK_FALSE(m.go(Screen::kEnroll));
}

TEST_CASE("nav: signing in goes where the welcome button said") {
  Nav n(true);
  n.start_sign_in(Intent::kCheckIn);
  CHECK(n.screen() == Screen::kSignIn);
  n.signed_in("k1");
  CHECK(n.screen() == Screen::kCheckIn);
  n.back();
  CHECK(n.screen() == Screen::kTraineeHome);
  n.back();
  CHECK(n.screen() == Screen::kWelcome);
  CHECK(n.trainee().empty());
}

TEST_CASE("nav: trainee screens are refused with nobody signed in") {
  Nav n(true);
  CHECK_FALSE(n.go(Screen::kTraineeHome));
  CHECK_FALSE(n.go(Screen::kExam));
  CHECK_FALSE(n.go(Screen::kTrainerHome));
  CHECK(n.screen() == Screen::kWelcome);
}

TEST_CASE("nav: during an exam neither home, back nor idle reset leaves it") {
  Nav n(true);
  n.start_sign_in(Intent::kExam);
  n.signed_in("k1");
  REQUIRE(n.go(Screen::kExam));
  CHECK_FALSE(n.idle_reset_allowed());
  CHECK_FALSE(n.home());
  n.back();
  CHECK(n.screen() == Screen::kExam);
  CHECK_FALSE(n.go(Screen::kWelcome));
  n.exam_finished();
  CHECK(n.screen() == Screen::kExamResult);
  CHECK(n.idle_reset_allowed());
}

TEST_CASE("nav: home forgets the trainee and the trainer") {
  Nav n(true);
  n.staff_signed_in("s1");
  CHECK(n.screen() == Screen::kTrainerHome);
  CHECK(n.home());
  CHECK(n.staff().empty());
  CHECK(n.screen() == Screen::kWelcome);
  CHECK_FALSE(n.idle_reset_allowed());
}

TEST_CASE("nav: the trainee screens are the ones with pictograms and spoken prompts") {
  using chz::app::Screen;
  for (Screen s : {Screen::kWelcome, Screen::kSignIn, Screen::kTraineeHome, Screen::kCheckIn,
                   Screen::kLessonList, Screen::kLesson, Screen::kExamGate, Screen::kExam,
                   Screen::kExamResult})
    CHECK_MESSAGE(chz::app::is_trainee_screen(s), chz::app::screen_name(s));
  for (Screen s : {Screen::kEnroll, Screen::kTrainerPick, Screen::kTrainerPin, Screen::kTrainerHome,
                   Screen::kTrainerScores, Screen::kSync, Screen::kAdminPin, Screen::kAdmin})
    CHECK_MESSAGE(!chz::app::is_trainee_screen(s), chz::app::screen_name(s));
}
