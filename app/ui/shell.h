// The shell: owns SDL (window, renderer, audio), the ImGui context and the
// fonts, and runs the event-driven loop. Nothing is drawn while nothing
// changes: the loop sleeps in SDL_WaitEventTimeout until an event or the
// app's next deadline (a clock tick, the idle timeout).
//
// Kiosk mode (the default): fullscreen, borderless, cursor hidden, keyboard
// grabbed; Alt+F4, Alt+Tab, Super and window-close requests are swallowed;
// only the admin screen (PIN) lets the app quit. SIGTERM, SIGINT and SIGHUP
// stop it cleanly in both modes (the service manager's way to stop a kiosk;
// an exam in progress is in the store and resumes at the next start).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "app/ui/fonts.h"
#include "common/status.h"

struct SDL_Window;
struct SDL_Renderer;
union SDL_Event;

namespace chz {
class FakeClock;
}

namespace chz::app {

class App;
class Driver;

struct ShellOptions {
  bool kiosk = true;               // false with --windowed
  int width = 1024, height = 600;  // window size when windowed
  FontPaths fonts;
  bool print_ready = false;  // print "ready <ms>" at the first frame shown
  bool exit_after_first_frame = false;
  // Set (by the signal thread, see run.cpp) to stop the loop; may be null.
  const std::atomic<bool>* stop = nullptr;
};

class Shell {
 public:
  // Takes the options; run() starts SDL and opens the window.
  static Result<std::unique_ptr<Shell>> create(const ShellOptions& o);
  ~Shell();
  // Starts SDL's video and reads the display's size. kUnavailable ("ui.no_display")
  // when no display can be opened: neither X11 nor Wayland (nor the console's
  // KMS/DRM) answers, or SDL fell back to a driver that shows nothing
  // (offscreen, dummy) that SDL_VIDEODRIVER did not ask for. Call before
  // anything is written: a kiosk that cannot show itself must create nothing.
  // run() calls it if it has not been called.
  Status start_video();
  // Wakes the loop from another thread (after setting ShellOptions::stop).
  static void wake();
  // Opens the window and renderer while a worker thread builds the glyph set
  // (App::glyph_seed) and the font atlas, then runs until the app quits or
  // the driver finishes; returns the exit code (2: no window or no fonts).
  // `fake` (scripted runs) is the clock the driver advances.
  int run(App& app, Driver* driver, FakeClock* fake);
  float scale() const { return scale_; }

 private:
  Shell() = default;
  class Host;
  bool filter(const SDL_Event& e, App& app);
  Status open_window();
  void init_imgui();
  ShellOptions o_;
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  float scale_ = 1;
  int w_ = 0, h_ = 0;
  std::unique_ptr<Fonts> fonts_;
  bool imgui_ready_ = false;
  bool video_ = false;
};

}  // namespace chz::app
