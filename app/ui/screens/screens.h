// The kiosk's screens: each one function that draws a view-model and
// returns what the person did. Screens hold no state and never touch the
// store; app/ui/app.cpp turns actions into core calls and navigation.
#pragma once

#include <string>
#include <vector>

#include "app/ui/nav.h"
#include "app/ui/widgets.h"
#include "kiosk/views/site_view.h"

namespace chz::app {

enum class Act {
  kNone,
  kBack,
  kHome,
  kToggleLang,
  kIntent,      // welcome: intent
  kGo,          // screen
  kKey,         // keypad/keyboard key in `text`
  kSubmit,      // the screen's main confirmation
  kSelect,      // `index` (a list row, a name, an option)
  kSecondary,   // the screen's second action (e.g. enroll from USB)
  kCommand,     // a named command in `text` (trainer/admin menus)
};

struct Action {
  Act act = Act::kNone;
  int index = 0;
  std::string text;
  Screen screen = Screen::kWelcome;
  Intent intent = Intent::kHome;
  explicit operator bool() const { return act != Act::kNone; }
};

// A message line under a form: empty, good news or a refusal.
// Holds a string-table key (and one argument), so it follows the language.
struct Notice {
  std::string key;
  std::string arg;
  bool good = false;
  bool empty() const { return key.empty(); }
  std::string text(const Ui& ui) const { return arg.empty() ? std::string(ui.t(key)) : ui.tf(key, arg); }
};

// The bar on top of every screen: site, sync light, language, back/home.
struct TopBarView {
  const kiosk::views::SiteView* site = nullptr;
  std::string clock;     // "14:05"
  bool show_back = false;
  bool show_home = false;
};
Action draw_top_bar(Ui& ui, const TopBarView& v);

struct EnrollView {
  std::string server;
  std::string code;
  int focus = 1;  // 0 = server, 1 = code
  Notice notice;
};
Action draw_enroll(Ui& ui, const EnrollView& v);

Action draw_welcome(Ui& ui, const kiosk::views::SiteView& v);

struct SignInView {
  std::string typed;  // what was keyed so far (never drawn in full)
  std::string masked; // what is shown
  bool complete_and_valid = false;
  Notice notice;
};
Action draw_sign_in(Ui& ui, const SignInView& v);

// A PIN pad under a title (trainer and admin).
struct PinView {
  std::string title;
  std::string who;   // the trainer's name, or ""
  int digits = 0;
  Notice notice;
};
Action draw_pin(Ui& ui, const PinView& v);

}  // namespace chz::app
