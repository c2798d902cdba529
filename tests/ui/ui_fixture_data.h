// The data UI scenarios run on (see ui_fixture.cpp).
#pragma once

#include "common/clock.h"
#include "kiosk/store.h"

namespace chz::test_ui {

// Enrolls the store and fills it through the core's own functions. Today's
// session is opened unless `open_today` is false (the trainer opens it).
Status fill(kiosk::Store& store, const Clock& clock, bool open_today);

}  // namespace chz::test_ui
