// Prepares a kiosk store for a UI scenario:
//   chz_ui_fixture DIR [--first-run | --session-scheduled | --clock-doubt]
// Without --first-run the kiosk is enrolled (site 沁水县龙港镇农民夜校) and
// holds the demo trainees, trainers, class, sessions and course that the
// scenarios use (fictional people, rare characters included).
// --clock-doubt: as --session-scheduled, and this kiosk last stamped a
// record three hours ahead of its clock now (the clock was set back), so the
// time is in doubt until a trainer confirms it.
#include <cstdio>
#include <string>

#include "common/clock.h"
#include "kiosk/store.h"
#include "kiosk/views/site_view.h"
#include "tests/ui/ui_fixture_data.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: chz_ui_fixture DIR [--first-run | --session-scheduled | "
                 "--clock-doubt]\n");
    return 2;
  }
  std::string flag = argc > 2 ? argv[2] : "";
  bool first_run = flag == "--first-run";
  chz::SystemClock clock;
  auto store = chz::kiosk::Store::init(argv[1], clock);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().to_string().c_str());
    return 1;
  }
  if (first_run) return 0;
  bool doubt = flag == "--clock-doubt";
  chz::Status st = chz::test_ui::fill(*store, clock, flag != "--session-scheduled" && !doubt);
  if (st.ok() && doubt)
    st = store->db().run("UPDATE sync_state SET local_high_ms = ? WHERE one = 1",
                         std::int64_t{clock.now_ms() + 3 * 3'600'000});
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.to_string().c_str());
    return 1;
  }
  return 0;
}
