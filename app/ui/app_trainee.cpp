// The trainee's actions: the ID number keypad, check-in / check-out, and
// opening a lesson with its images.
#include <spdlog/spdlog.h>

#include "app/ui/app_state.h"
#include "content/install.h"
#include "kiosk/attendance.h"
#include "sync/protocol/idcard.h"

namespace chz::app {

void App::do_check_in() {
  auto& c = s_->check_in;
  c = {};
  auto v = kiosk::views::trainee_view(store_, clock_, nav_.trainee());
  if (!v.ok()) {
    c.notice = {v.status().key().empty() ? "common.error" : v.status().key(), v.status().message(),
                false};
    return;
  }
  s_->trainee = *v;
  c.name = v->name;
  if (!v->current) {
    c.notice = {"checkin.no_session", "", false};
    return;
  }
  kiosk::Actor me = kiosk::Actor::trainee(nav_.trainee());
  bool out = v->current->checked_in;
  auto r = out ? kiosk::check_out(store_.db(), clock_, me, v->current->session_id, nav_.trainee())
               : kiosk::check_in(store_.db(), clock_, me, v->current->session_id, nav_.trainee());
  if (!r.ok()) {
    c.notice = {has_string(r.status().key()) ? r.status().key() : "common.error",
                has_string(r.status().key()) ? "" : r.status().key(), false};
    return;
  }
  c.done = true;
  c.checked_in = !out;
  c.session = v->current->class_name + " " + v->current->when;
  c.time = format_china_time(clock_.now_ms());
  reload_site();
}

void key_id_number(SignInView& v, const std::string& k) {
  if (k == "del")
    v.typed = utf8_pop_back(v.typed);
  else if (k == "clear")
    v.typed.clear();
  else if (v.typed.size() < 18)
    v.typed += k;
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

void App::on_sign_in_key(const std::string& k) {
  key_id_number(s_->sign_in, k);
}

void App::open_lesson(const std::string& course, int index) {
  auto l = kiosk::views::lesson_view(store_, course, index);
  if (!l.ok()) return;
  s_->lesson = *l;
  s_->blocks = parse_markdown(l->markdown);
  s_->images.clear();
  auto version = content::installed_version(store_.dir(), course);
  for (const auto& b : s_->blocks) {
    if (b.kind != MdBlock::kImage || !version.ok()) continue;
    auto bytes = content::read_installed_file(store_.dir(), course, *version, b.text);
    if (bytes.ok())
      s_->images[b.text] = std::move(bytes).value();
    else
      spdlog::warn("lesson image {}: {}", b.text, bytes.status().to_string());
  }
  s_->page = 0;
  nav_.go(Screen::kLesson);
}

}  // namespace chz::app
