// The data UI scenarios run on (see ui_fixture.cpp).
#pragma once

#include "common/clock.h"
#include "kiosk/store.h"

namespace chz::test_ui {

// Enrolls the store and fills it through the core's own functions.
Status fill(kiosk::Store& store, const Clock& clock);

}  // namespace chz::test_ui
