// Test-only: on an existing (enrolled) kiosk store, seeds the exam fixture's
// class of the demo course (kiosk/exam_test_store.h), puts one trainee per
// NAME through the theory exam and a practical score, and issues each one's
// certificate as the kiosk does; prints the numbers, one a line. The
// end-to-end test uses it because a certificate needs a passed exam, which
// only the touch screen takes. A NAME may be given as --key=KEY NAME: that
// trainee has the county's person key KEY (a person the server enrolled).
// Usage: chz-test-issue-certificates DATA [--key=KEY] NAME...
#include <cstdio>
#include <stdexcept>
#include <string>

#include "kiosk/certificate_issue.h"
#include "kiosk/exam_practical.h"
#include "kiosk/exam_test_store.h"

using namespace chz::kiosk;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DATA [--key=KEY] NAME...\n", argv[0]);
    return 2;
  }
  try {
    auto store = Store::open(argv[1]);
    if (!store.ok()) throw std::runtime_error(store.status().to_string());
    chz::FakeClock clock{testing::test_morning_ms()};
    exam::testing::ExamSite site(*store, clock);
    std::string key;
    for (int i = 2; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg.rfind("--key=", 0) == 0) {
        key = arg.substr(6);
        continue;
      }
      std::string p = site.trainee(i, arg, true, key);
      key.clear();
      exam::testing::take_exam(site, p);
      exam::PracticalEntry e;
      e.person = p;
      e.course_id = site.course.id;
      e.class_id = exam::testing::kClass;
      e.score_x100 = 8000;
      e.assessor_id = exam::testing::kAssessor;
      e.assessor_pin = exam::testing::kPin;
      auto entered = exam::enter_practical_score(*store, clock, e);
      if (!entered.ok()) throw std::runtime_error(entered.status().to_string());
      auto c = exam::issue_certificate(*store, clock, site.course, p);
      if (!c.ok()) throw std::runtime_error(c.status().to_string());
      std::printf("%s\n", c->data.number.c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
