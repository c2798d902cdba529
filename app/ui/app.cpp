#include "app/ui/app.h"

#include <algorithm>

#include "kiosk/views/site_view.h"
#include "sync/protocol/idcard.h"

namespace chz::app {

struct App::State {
  kiosk::views::SiteView site;
  EnrollView enroll;
  SignInView sign_in;
  PinView pin;
  std::string pin_typed;
  Notice flash;  // a one-off message on the welcome screen (idle reset...)
};

namespace {
bool read_enrolled(kiosk::Store& store) {
  auto v = kiosk::views::site_view(store);
  return v.ok() && v->enrolled;
}
}  // namespace

App::App(kiosk::Store& store, const Clock& clock, AppOptions opts)
    : store_(store), clock_(clock), opts_(opts), nav_(read_enrolled(store)), s_(std::make_unique<State>()) {
  last_input_ms_ = clock_.steady_ms();
  reload_site();
}

App::~App() = default;

void App::reload_site() {
  auto v = kiosk::views::site_view(store_);
  if (v.ok()) s_->site = *v;
}

void App::glyph_seed(GlyphSet& body, GlyphSet& large) {
  for (const auto& e : string_table()) {
    body.add_text(e.zh);
    body.add_text(e.en);
    large.add_text(e.zh);
    large.add_text(e.en);
  }
  body.add_text("●*·");
  large.add_text("●*·");
  body.add_text(s_->site.site_name);
}

void App::on_input() { last_input_ms_ = clock_.steady_ms(); }

bool App::tick() {
  bool changed = false;
  std::int64_t minute = clock_.now_ms() / 60'000;
  if (minute != shown_minute_) {
    shown_minute_ = minute;
    changed = true;
  }
  if (!nav_.idle_reset_allowed()) return changed;
  if (clock_.steady_ms() - last_input_ms_ < opts_.idle_timeout_s * 1000LL) return changed;
  nav_.home();
  *s_ = State{};
  reload_site();
  s_->flash = {"idle.reset", "", false};
  return true;
}

std::int64_t App::ms_until_deadline() const {
  std::int64_t next_minute = 60'000 - clock_.now_ms() % 60'000;
  if (!nav_.idle_reset_allowed()) return next_minute;
  std::int64_t idle = last_input_ms_ + opts_.idle_timeout_s * 1000LL - clock_.steady_ms();
  return std::max<std::int64_t>(0, std::min(next_minute, idle));
}

Action App::draw_current(Ui& ui) {
  TopBarView top;
  top.site = &s_->site;
  top.clock = format_china_time(clock_.now_ms()).substr(11);
  Screen sc = nav_.screen();
  top.show_back = sc != Screen::kWelcome && sc != Screen::kEnroll && sc != Screen::kExam;
  top.show_home = top.show_back && sc != Screen::kSignIn;
  Action a = draw_top_bar(ui, top);
  Action b;
  switch (sc) {
    case Screen::kEnroll: b = draw_enroll(ui, s_->enroll); break;
    case Screen::kWelcome:
      if (!s_->flash.empty()) ui.text_centered(s_->flash.text(ui), FontRole::kBody, color::kWarn);
      b = draw_welcome(ui, s_->site);
      break;
    case Screen::kSignIn: b = draw_sign_in(ui, s_->sign_in); break;
    case Screen::kAdminPin:
    case Screen::kTrainerPin:
      s_->pin.title = std::string(ui.t(sc == Screen::kAdminPin ? "admin.pin" : "trainer.pin"));
      s_->pin.digits = static_cast<int>(s_->pin_typed.size());
      b = draw_pin(ui, s_->pin);
      break;
    default: ui.text(screen_name(sc), FontRole::kLarge); break;
  }
  return b ? b : a;
}

bool App::frame(Ui& ui) {
  ui.begin_screen("##screen");
  Action a = draw_current(ui);
  ui.end_screen();
  if (!a) return false;
  apply(ui, a);
  return true;
}

void App::on_sign_in_key(const std::string& k) {
  auto& v = s_->sign_in;
  if (k == "del") v.typed = utf8_pop_back(v.typed);
  else if (k == "clear") v.typed.clear();
  else if (v.typed.size() < 18) v.typed += k;
  v.masked = sync::mask_id_number(v.typed);
  if (v.typed.size() < 18) {
    // Show what was typed, grouped, with the birth date hidden.
    std::string m;
    for (std::size_t i = 0; i < v.typed.size(); ++i) {
      if (i == 6 || i == 14) m += ' ';
      m += (i >= 4 && i < 14) ? '*' : v.typed[i];
    }
    v.masked = m;
  } else {
    std::string full = sync::mask_id_number(v.typed);
    v.masked = full.substr(0, 6) + " " + full.substr(6, 8) + " " + full.substr(14);
  }
  v.complete_and_valid = false;
  v.notice = {};
  if (v.typed.size() == 18) {
    auto id = sync::parse_id_number(v.typed);
    if (id.ok()) {
      v.complete_and_valid = true;
      v.notice = {"signin.valid", "", true};
    } else {
      v.notice = {id.status().key(), "", false};
    }
  }
}

void App::on_enroll(const Action& a) {
  auto& e = s_->enroll;
  std::string& target = e.focus == 0 ? e.server : e.code;
  switch (a.act) {
    case Act::kSelect: e.focus = a.index; break;
    case Act::kKey:
      if (a.text == "del") target = utf8_pop_back(target);
      else if (target.size() < 64) target += a.text;
      break;
    case Act::kSubmit:
    case Act::kSecondary:
      // The enrollment exchange belongs to sync/client; until it answers,
      // say so plainly instead of pretending.
      e.notice = {"enroll.unavailable", "", false};
      break;
    default: break;
  }
}

void App::apply(Ui& ui, const Action& a) {
  switch (a.act) {
    case Act::kToggleLang: ui.lang = ui.lang == Lang::kZh ? Lang::kEn : Lang::kZh; return;
    case Act::kHome:
      nav_.home();
      s_->sign_in = {};
      return;
    case Act::kBack:
      nav_.back();
      s_->pin_typed.clear();
      return;
    default: break;
  }
  s_->flash = {};
  switch (nav_.screen()) {
    case Screen::kEnroll: on_enroll(a); return;
    case Screen::kWelcome:
      if (a.act == Act::kIntent) {
        s_->sign_in = {};
        nav_.start_sign_in(a.intent);
      } else if (a.act == Act::kGo) {
        s_->pin_typed.clear();
        s_->pin = {};
        nav_.go(a.screen);
      }
      return;
    case Screen::kSignIn:
      if (a.act == Act::kKey) on_sign_in_key(a.text);
      if (a.act == Act::kSubmit) {
        // Person lookup lands with the domain core (kiosk/people.h).
        s_->sign_in.notice = {"signin.not_found", "", false};
      }
      return;
    case Screen::kAdminPin:
    case Screen::kTrainerPin:
      if (a.act == Act::kKey) {
        if (a.text == "del") s_->pin_typed = utf8_pop_back(s_->pin_typed);
        else if (s_->pin_typed.size() < 8) s_->pin_typed += a.text;
        s_->pin.notice = {};
      }
      return;
    default: return;
  }
}

}  // namespace chz::app
