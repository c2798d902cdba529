// The scripted driver: replays a scenario through the real UI, one step at
// a time, and fails (non-zero exit) when a step cannot be done.
//
//   tap <id or label>     press a widget (mouse moves, goes down, comes up)
//   press <id>            the same, by id only (never a text match)
//   type <chars>          tap key.<c> for each character (keypads, keyboards)
//   pinyin <letters>      tap py.key.<c> for each letter (the pinyin keyboard)
//   expect <text>         some text drawn on screen contains <text>
//   expect_not <text>     no drawn text contains <text>
//   screen <name>         the current screen is <name> (see nav.h)
//   advance <seconds>     move the fake clock forward
//   wait <ms>             let real time pass while frames render
//   key <combo>           send a key, e.g. alt+f4, alt+tab, escape
//   close                 the window manager asks the window to close
//   screenshot <png>      save the frame (fails if it is blank or a glyph is missing)
//   glyphs                every character drawn has a glyph (atlas or SDL_ttf)
//   icons                 every pictogram on screen rendered, not blank, on the frame
//   said <text>           what the kiosk last said aloud contains <text>
//   min_target <px>       the smallest enabled widget is at least <px> on its short side
//   mark <name>           prints "taps to <name>: N" (taps since the start)
//   quit                  leave with exit code 0 (also at the end of the script)
// Lines starting with '#' and blank lines are ignored. "$name" in an
// argument is replaced by a variable from --script-vars (name=value lines),
// e.g. the proctor code a fixture opened a sitting with.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

struct ImGuiIO;

namespace chz::app {

class Ui;

struct Step {
  int line = 0;
  std::string verb;
  std::string arg;
};

// Parses a script; kInvalidArgument naming the line of an unknown verb or
// a missing argument.
Result<std::vector<Step>> parse_script(std::string_view text);
// Replaces "$name" in every argument by vars[name] ("name=value" lines).
void substitute_vars(std::vector<Step>& steps, std::string_view vars_text);

// What the driver needs from the shell.
class DriverHost {
 public:
  virtual ~DriverHost() = default;
  virtual std::string screen_name() = 0;
  virtual void advance_clock(std::int64_t ms) = 0;
  virtual void send_key(const std::string& combo) = 0;
  virtual void send_close() = 0;
  virtual Status screenshot(const std::filesystem::path& png) = 0;
  // Characters drawn this frame that no font can draw (empty = all good).
  virtual std::string missing_glyphs() = 0;
  // What the kiosk last said aloud.
  virtual std::string last_said() = 0;
  // Distinct colours (up to 64) in a rectangle of the rendered frame.
  virtual int colours_in(float x0, float y0, float x1, float y1) = 0;
};

class Driver {
 public:
  explicit Driver(std::vector<Step> steps);
  // Before ImGui::NewFrame(): injects the pointer for a tap in progress.
  void before_frame(ImGuiIO& io);
  // After the frame is rendered (before present): checks and advances.
  void after_render(DriverHost& host, const Ui& ui, std::int64_t wall_ms);
  bool done() const { return done_; }
  int exit_code() const { return exit_code_; }

 private:
  void fail(const Ui& ui, const std::string& why);
  void next();
  std::vector<Step> steps_;
  std::size_t at_ = 0;
  int phase_ = 0;   // step-local progress
  int frames_ = 0;  // frames spent in this step
  std::int64_t until_ms_ = 0;
  std::vector<std::string> queue_;  // taps queued by `type`
  float x_ = -1, y_ = -1;
  bool down_ = false, inject_ = false;
  bool done_ = false;
  int exit_code_ = 0;
  int taps_ = 0;  // taps done so far (for `mark`)
};

}  // namespace chz::app
