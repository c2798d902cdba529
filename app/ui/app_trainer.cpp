// The trainer's screens' actions: PIN, today's sessions, roster,
// ad-hoc sessions, practical scores (walk-ins: app_walk_in.cpp).
#include "app/ui/app_state.h"
#include "content/install.h"
#include "kiosk/attendance.h"
#include "kiosk/certificate_issue.h"
#include "kiosk/classes.h"
#include "kiosk/exam_practical.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"
#include "kiosk/views/trainer_view.h"
#include "sync/protocol/idcard.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

namespace chz::app {

void App::on_pin_submit() {
  std::string pin = s_->pin_typed;
  s_->pin_typed.clear();
  if (nav_.screen() == Screen::kTrainerPin) {
    if (s_->pin_setup > 0) {
      on_pin_setup(pin);
      return;
    }
    auto actor = kiosk::sign_in(store_.db(), clock_, s_->pin_staff, pin);
    if (!actor.ok() && actor.status().key() == "pin.not_set") {
      // First time at a kiosk: the county's one-time setup code, then a PIN.
      s_->pin_setup = 1;
      s_->pin.notice = {"pin.first_time", "", true};
      return;
    }
    if (!actor.ok()) {
      s_->pin.notice = refusal(actor.status());
      return;
    }
    s_->actor = *actor;
    s_->staff_pin = pin;  // practical scores re-check it; wiped on sign-out and idle reset
    s_->proctor_code.clear();
    s_->trainer_notice = {};
    nav_.staff_signed_in(actor->id);
    return;
  }
  // Admin: a site admin's PIN (any active site admin on this kiosk).
  auto staff = kiosk::list_staff(store_.db());
  if (staff.ok()) {
    for (const auto& st : *staff) {
      if (st.role != kiosk::Role::kSiteAdmin || !st.active) continue;
      auto actor = kiosk::sign_in(store_.db(), clock_, st.id, pin);
      if (actor.ok()) {
        s_->actor = *actor;
        nav_.go(Screen::kAdmin);
        return;
      }
    }
  }
  s_->pin.notice = {"staff.pin_wrong", "", false};
}

// The first-PIN steps: 1 the setup code, 2 a new PIN, 3 the PIN again.
void App::on_pin_setup(const std::string& typed) {
  auto& v = s_->pin;
  if (s_->pin_setup == 1) {
    s_->setup_code = typed;
    s_->pin_setup = 2;
    v.notice = {};
    return;
  }
  if (s_->pin_setup == 2) {
    Status st = kiosk::check_pin_format(typed);
    if (!st.ok()) {
      v.notice = refusal(st);
      return;
    }
    s_->new_pin = typed;
    s_->pin_setup = 3;
    v.notice = {};
    return;
  }
  if (typed != s_->new_pin) {
    s_->pin_setup = 2;
    v.notice = {"pin.mismatch", "", false};
    return;
  }
  Status st = kiosk::set_pin(store_.db(), clock_, s_->pin_staff, s_->setup_code, typed);
  s_->setup_code.clear();
  s_->new_pin.clear();
  if (!st.ok()) {
    s_->pin_setup = 1;
    v.notice = refusal(st);
    return;
  }
  spdlog::info("staff {} set a PIN", s_->pin_staff);
  s_->pin_setup = 0;
  v.notice = {"pin.set", "", true};
  s_->pin_typed = typed;
  on_pin_submit();  // and signs in with it
}

void App::reload_trainer() {
  auto v = kiosk::views::trainer_view(store_, clock_, nav_.staff());
  if (v.ok()) s_->trainer = *v;
  auto t = kiosk::time_status(store_.db(), clock_);
  s_->doubted_time = t.ok() && !t->trusted() ? format_china_time(t->now_ms) : "";
}

void App::reload_roster() {
  auto& r = s_->roster;
  auto lines = kiosk::class_roster(store_.db(), clock_, s_->roster_class);
  r.lines = lines.ok() ? *lines : std::vector<kiosk::RosterLine>{};
}

void App::on_trainer_home(const Action& a) {
  if (a.act == Act::kGo) {
    nav_.go(a.screen);
    return;
  }
  if (a.act != Act::kCommand || !s_->trainer) return;
  if (a.text == "confirm_time") {
    // The trainer vouches for the clock (audited); sessions may open.
    Status st = kiosk::confirm_time(store_.db(), clock_, s_->actor);
    s_->trainer_notice = st.ok() ? Notice{"time.confirmed", "", true} : refusal(st);
    if (st.ok()) spdlog::info("staff {} confirmed the kiosk's time", s_->actor.id);
    reload_trainer();
    return;
  }
  if (a.index < 0 || a.index >= static_cast<int>(s_->trainer->today.size())) return;
  const auto row = s_->trainer->today[static_cast<std::size_t>(a.index)];
  s_->trainer_notice = {};
  if (a.text == "open") {
    Status st = kiosk::open_session(store_.db(), clock_, s_->actor, row.session_id);
    if (!st.ok()) s_->trainer_notice = refusal(st);
  } else if (a.text == "roster") {
    s_->roster = {};
    s_->roster.title = row.class_name + "  " + row.when;
    s_->roster_session = row.session_id;
    s_->roster_class = row.class_id;
    nav_.go(Screen::kTrainerSession);
    return;
  } else if (a.text == "sitting") {
    auto course = content::load_installed(store_.dir(), row.course_id);
    if (!course.ok()) {
      s_->trainer_notice = {"lesson.none", "", false};
      return;
    }
    auto sitting = kiosk::exam::open_sitting(store_, clock_, s_->actor, *course, row.class_id);
    if (!sitting.ok())
      s_->trainer_notice = refusal(sitting.status());
    else
      s_->proctor_code = sitting->proctor_code;
  }
  reload_trainer();
  reload_site();
}

void App::on_roster(const Action& a) {
  if (a.act != Act::kCommand) return;
  auto& r = s_->roster;
  Db& db = store_.db();
  r.notice = {};
  auto person = [&]() -> std::string {
    return a.index >= 0 && a.index < static_cast<int>(r.lines.size())
               ? r.lines[static_cast<std::size_t>(a.index)].person
               : std::string();
  };
  if (a.text == "in" || a.text == "out") {
    auto res = a.text == "in"
                   ? kiosk::check_in(db, clock_, s_->actor, s_->roster_session, person())
                   : kiosk::check_out(db, clock_, s_->actor, s_->roster_session, person());
    if (!res.ok()) r.notice = refusal(res.status());
  } else if (a.text == "correct") {
    r.correcting = a.index;
  } else if (a.text == "cancel") {
    r.correcting = -1;
  } else if (a.text.rfind("reason:", 0) == 0 && r.correcting >= 0) {
    std::string who = r.lines[static_cast<std::size_t>(r.correcting)].person;
    std::string reason(
        tr(Lang::kZh, a.text.substr(7)));  // stored in Chinese, the record's language
    auto ev = kiosk::effective_events(db, s_->roster_session, who);
    r.correcting = -1;
    if (!ev.ok() || ev->empty()) return;
    auto res =
        kiosk::correct_attendance(db, clock_, s_->actor, ev->back().uuid, std::nullopt, reason);
    r.notice = res.ok() ? Notice{"trainer.corrected", "", true} : refusal(res.status());
  } else if (a.text == "close") {
    kiosk::CloseDecision d;
    d.missing = kiosk::MissingCheckout::kCreditToClose;
    auto res = kiosk::close_session(db, clock_, s_->actor, s_->roster_session, d);
    if (!res.ok()) {
      r.notice = refusal(res.status());
      return;
    }
    s_->trainer_notice = {"trainer.closed",
                          std::to_string(res->present.size() + res->credit_to_close.size()), true};
    nav_.back();
    return;
  }
  reload_roster();
  reload_site();
}

}  // namespace chz::app

namespace chz::app {

// --- an extra session today ----------------------------------------------

void App::enter_add_session() {
  auto& v = s_->add_session;
  v = {};
  auto classes = kiosk::views::class_choices(store_, nav_.staff());
  if (classes.ok()) v.classes = *classes;
  if (v.classes.size() == 1) v.class_index = 0;
  auto now = kiosk::kiosk_now(store_.db(), clock_);
  int minute = now.ok() ? static_cast<int>((*now + kChinaOffsetMs) % 86'400'000 / 60'000) : 540;
  v.start_minute = std::min(minute / 30 * 30, 24 * 60 - v.minutes);
}

void App::on_add_session(const Action& a) {
  auto& v = s_->add_session;
  v.notice = {};
  if (a.act == Act::kSelect && a.index >= 0 && a.index < static_cast<int>(v.classes.size()))
    v.class_index = a.index;
  if (a.act == Act::kCommand) {
    if (a.text == "theory") v.practical = false;
    if (a.text == "practical") v.practical = true;
    if (a.text == "earlier" && v.start_minute >= 30) v.start_minute -= 30;
    if (a.text == "later" && v.start_minute + v.minutes + 30 <= 24 * 60) v.start_minute += 30;
    if (a.text == "shorter" && v.minutes > 45) v.minutes -= 45;
    if (a.text == "longer" && v.start_minute + v.minutes + 45 <= 24 * 60) v.minutes += 45;
  }
  if (a.act != Act::kSubmit || v.class_index < 0) return;
  const auto& c = v.classes[static_cast<std::size_t>(v.class_index)];
  auto now = kiosk::kiosk_now(store_.db(), clock_);
  if (!now.ok()) {
    v.notice = refusal(now.status());
    return;
  }
  kiosk::SessionInput in{
      c.class_id, china_date(*now), v.start_minute, v.start_minute + v.minutes,
      v.practical ? kiosk::SessionKind::kPractical : kiosk::SessionKind::kTheory};
  auto id = kiosk::add_session(store_.db(), clock_, s_->actor, in);
  if (!id.ok()) {
    v.notice = refusal(id.status());
    return;
  }
  spdlog::info("session {} added to class {}", *id, c.class_id);
  s_->trainer_notice = {"session.added", c.name, true};
  nav_.back();
  reload_trainer();
  reload_site();
}

// --- practical scores ------------------------------------------------------

void App::enter_scores() {
  auto& v = s_->scores;
  v = {};
  auto classes = kiosk::views::class_choices(store_, nav_.staff());
  if (classes.ok()) v.classes = *classes;
  if (v.classes.size() == 1) {
    v.class_index = 0;
    auto lines = kiosk::views::score_lines(store_, v.classes[0].class_id);
    if (lines.ok()) v.lines = *lines;
  }
}

void App::on_scores(const Action& a) {
  auto& v = s_->scores;
  if (a.act != Act::kKey) v.notice = {};
  auto load = [&] {
    auto lines = kiosk::views::score_lines(
        store_, v.classes[static_cast<std::size_t>(v.class_index)].class_id);
    v.lines = lines.ok() ? *lines : std::vector<kiosk::views::ScoreLine>{};
  };
  auto back_to_score = [&] {
    v.stage = ScoresView::kScore;
    v.second_id.clear();
    v.second_name.clear();
    v.second_pin_digits = 0;
    s_->second_pin.clear();
  };
  if (v.stage == ScoresView::kPickSecond) {
    if (a.act == Act::kSelect && a.index >= 0 &&
        a.index < static_cast<int>(v.second_choices.size())) {
      v.second_id = v.second_choices[static_cast<std::size_t>(a.index)].id;
      v.second_name = v.second_choices[static_cast<std::size_t>(a.index)].name;
      v.stage = ScoresView::kSecondPin;
    }
    if (a.act == Act::kCommand) back_to_score();
    return;
  }
  if (v.stage == ScoresView::kSecondPin) {
    if (a.act == Act::kKey) {
      if (a.text == "del")
        s_->second_pin = utf8_pop_back(s_->second_pin);
      else if (a.text != "X" && s_->second_pin.size() < 8)
        s_->second_pin += a.text;
      v.second_pin_digits = static_cast<int>(s_->second_pin.size());
      return;
    }
    if (a.act == Act::kCommand) {
      back_to_score();
      return;
    }
  }
  if (a.act == Act::kCommand && a.text == "countersign") {
    if (v.typed.empty()) return;
    auto staff = kiosk::views::staff_buttons(store_);
    v.second_choices.clear();
    if (staff.ok())
      for (const auto& st : *staff)
        if (st.id != s_->actor.id && st.has_pin) v.second_choices.push_back(st);
    if (v.second_choices.empty()) {
      v.notice = {"exam.same_assessor", "", false};
      return;
    }
    v.stage = ScoresView::kPickSecond;
    return;
  }
  if (a.act == Act::kSelect && v.class_index < 0) {
    if (a.index < 0 || a.index >= static_cast<int>(v.classes.size())) return;
    v.class_index = a.index;
    load();
    return;
  }
  if (a.act == Act::kSelect) {
    if (a.index < 0 || a.index >= static_cast<int>(v.lines.size())) return;
    v.person_index = a.index;
    v.typed.clear();
    return;
  }
  if (a.act == Act::kCommand) {
    if (a.text == "classes") {
      v.class_index = -1;
      v.lines.clear();
    }
    v.person_index = -1;
    v.typed.clear();
    back_to_score();
    return;
  }
  if (a.act == Act::kKey) {
    if (a.text == "del")
      v.typed = utf8_pop_back(v.typed);
    else if (a.text != "X" && v.typed.size() < 3 && !(v.typed == "0"))
      v.typed += a.text;
    v.notice = {};
    if (!v.typed.empty() && std::stoi(v.typed) > 100) v.notice = {"exam.score_range", "", false};
    return;
  }
  if (a.act != Act::kSubmit || v.person_index < 0 || v.typed.empty()) return;
  int score = std::stoi(v.typed);
  if (score > 100) {
    v.notice = {"exam.score_range", "", false};
    return;
  }
  const auto& c = v.classes[static_cast<std::size_t>(v.class_index)];
  const auto& l = v.lines[static_cast<std::size_t>(v.person_index)];
  kiosk::exam::PracticalEntry e;
  e.person = l.person;
  e.course_id = c.course_id;
  e.class_id = c.class_id;
  e.score_x100 = score * 100LL;
  e.assessor_id = s_->actor.id;
  e.assessor_pin = s_->staff_pin;
  bool both = v.stage == ScoresView::kSecondPin;
  if (both) {
    e.second_assessor_id = v.second_id;
    e.second_assessor_pin = s_->second_pin;
  }
  if (!l.score_uuid.empty()) {
    e.corrects = l.score_uuid;
    e.reason = "考评员更正";  // stored in Chinese, the record's language
  }
  auto r = kiosk::exam::enter_practical_score(store_, clock_, e);
  s_->second_pin.clear();
  v.second_pin_digits = 0;
  if (!r.ok()) {
    v.notice = refusal(r.status());
    return;
  }
  spdlog::info("practical score {} recorded for class {}{}", *r, c.class_id,
               both ? " (countersigned)" : "");
  v.notice = {both ? "scores.saved_both" : "scores.saved", l.name, true};
  back_to_score();
  v.person_index = -1;
  v.typed.clear();
  load();
  reload_site();
}

}  // namespace chz::app
