// The kiosk program: parses options, opens (or creates) the store, starts
// the shell and the app, and replays a script when given one.
//   chizheng-kiosk [--data DIR] [--windowed] [--size 1024x600]
//                  [--script FILE] [--lang zh|en] [--idle-timeout S]
#pragma once

namespace chz::app {

// Returns the process exit code: 0 ok, 1 a script step failed, 2 a start-up error.
int kiosk_main(int argc, char** argv);

}  // namespace chz::app
