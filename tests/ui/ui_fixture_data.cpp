#include "tests/ui/ui_fixture_data.h"

#include "kiosk/views/site_view.h"

namespace chz::test_ui {

Status fill(kiosk::Store& store, const Clock& clock) {
  (void)clock;
  CHZ_TRY(store.set_setting(kiosk::views::kEnrollSiteId, "site-qinshui-longgang"));
  CHZ_TRY(store.set_setting(kiosk::views::kEnrollSiteName, "沁水县龙港镇农民夜校"));
  return OkStatus();
}

}  // namespace chz::test_ui
