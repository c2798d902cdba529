// The kiosk application: owns navigation and the screens' input state,
// builds view-models from the core (kiosk/views), draws the current screen
// and turns its actions into core calls. The shell (app/ui/shell.h) owns
// the window; this class knows nothing of SDL.
#pragma once

#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "app/ops/kiosk_ops.h"
#include "app/ops/sync_worker.h"
#include "app/ui/nav.h"
#include "app/ui/screens/screens.h"
#include "app/ui/speech.h"
#include "app/ui/utf8.h"
#include "common/clock.h"
#include "kiosk/store.h"

namespace chz::app {

struct AppOptions {
  int idle_timeout_s = 90;        // back to welcome after this long untouched (never in an exam)
  std::filesystem::path usb_dir;  // where a USB stick is mounted; "" = look in /media
  bool background_sync = true;    // a sync thread once enrolled
  long sync_interval_ms = 300000;
};

class LogBuffer;

class App {
 public:
  App(kiosk::Store& store, const Clock& clock, AppOptions opts);
  ~App();

  // Draws the current screen and applies what was tapped. Returns true when
  // the state changed (the shell then draws again).
  bool frame(Ui& ui);
  // The shell calls this on every input event (resets the idle timer).
  void on_input();
  // Time-driven changes (idle reset). Returns true when something changed.
  bool tick();
  // Milliseconds until the app needs a frame without input (the clock on
  // screen turns a minute or the exam clock a second, the idle deadline).
  std::int64_t ms_until_deadline() const;

  Screen screen() const { return nav_.screen(); }
  bool quit_requested() const { return quit_; }
  // Characters the UI will show: the string table, names, content. The
  // shell seeds the font atlas from it.
  void glyph_seed(GlyphSet& body, GlyphSet& large);
  // Leaving kiosk mode needs the admin PIN; tests read this.
  int swallowed_events = 0;
  // What the kiosk last said aloud (a prompt or a read-aloud), for the
  // scripted driver; "" before anything was said.
  const std::string& last_said() const { return speech_.last_said(); }
  // The current screen's spoken prompt ("" for staff screens).
  const std::string& prompt() const { return prompt_; }

 private:
  struct State;
  void reload_site();
  void apply(Ui& ui, const Action& a);
  void on_sign_in_key(const std::string& k);
  void on_enroll(const Action& a);
  Action draw_current(Ui& ui);
  // Loads what a screen shows when it is entered (and does the check-in).
  void enter(Screen sc);
  void do_check_in();
  void open_lesson(const std::string& course, int index);
  void enter_exam_gate();
  void load_question(int pos);
  void on_exam(const Action& a);
  void finish_exam(std::string_view reason);
  void on_pin_submit();
  void on_pin_setup(const std::string& typed);
  void reload_trainer();
  void reload_roster();
  void on_trainer_home(const Action& a);
  void on_roster(const Action& a);
  // app_trainer.cpp: the trainer's tools
  void enter_add_session();
  void on_add_session(const Action& a);
  void enter_scores();
  void on_scores(const Action& a);
  void enter_walk_in();
  void on_walk_in(const Action& a);
  WalkInView walk_in_view(const Ui& ui);  // opens the pinyin input on first need
  void walk_in_register(const kiosk::views::ClassChoice& c);
  // app_county.cpp: enrollment, sync, USB, admin
  void start_sync(bool asked = false);  // the sync thread, once enrolled
  bool poll_background();  // enrollment answer, sync progress; true if the screen changed
  void refresh_sync_view();
  void on_sync(const Action& a);
  void enter_admin();
  void on_admin(const Action& a);
  // app_prompts.cpp: spoken prompts, the voice settings
  void load_voice_settings();
  Status set_voice(bool on, int volume);
  void say(const std::string& text);
  void replay_prompt();
  std::string prompt_for(Screen sc) const;
  void warn_exam_time(std::int64_t remaining_ms);
  void prompt_if_moved();  // says the prompt of a screen (or question) just entered

  kiosk::Store& store_;
  const Clock& clock_;
  AppOptions opts_;
  Nav nav_;
  std::unique_ptr<State> s_;
  std::int64_t last_input_ms_ = 0;
  std::int64_t shown_minute_ = -1;  // the minute the top bar shows
  std::int64_t shown_second_ = -1;  // the exam clock's second
  std::string boot_id_;             // this run of the program (exam downtime rules)
  bool quit_ = false;
  // Outlive the screens' state (the idle reset replaces s_):
  SystemClock sync_clock_;  // the sync thread signs with real time, even in scripted runs
  std::unique_ptr<ops::SyncWorker> sync_;
  std::int64_t seen_passes_ = 0;
  std::unique_ptr<LogBuffer> logs_;
  Speech speech_;          // outlives the screens' state: the device stays open
  Lang lang_ = Lang::kZh;  // the UI's language, as of the last frame
  bool prompts_on_ = true;
  bool reading_ = false;  // the audio playing is a read-aloud (its button shows 停止), not a prompt
  std::string prompt_;    // the last prompt, for the replay button
  Screen prompted_screen_ = Screen::kWelcome;  // whose prompt was last said
  bool large_text_ = false;                    // this visit asked for larger text
  std::future<Result<ops::EnrollResult>> enrolling_;
};

}  // namespace chz::app
