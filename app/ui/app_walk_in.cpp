// Walk-in registration at the kiosk (登记新学员): ID number, name through
// the pinyin keyboard, township and village, class; a known ID number goes
// straight to the class.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/ui/app_state.h"
#include "kiosk/classes.h"
#include "kiosk/people.h"
#include "kiosk/views/trainer_view.h"
#include "sync/protocol/idcard.h"

namespace chz::app {

// --- walk-in registration --------------------------------------------------

void App::enter_walk_in() {
  s_->walk_in = WalkInState{};
  auto classes = kiosk::views::class_choices(store_, nav_.staff());
  if (classes.ok()) s_->walk_in.classes = *classes;
}

WalkInView App::walk_in_view(const Ui& ui) {
  auto& w = s_->walk_in;
  WalkInView v;
  v.step = w.step;
  v.id = w.id;
  v.typing = w.typing;
  v.choices = w.choices;
  v.classes = w.classes;
  v.groups = w.groups;
  v.notice = w.notice;
  std::string name = w.known ? w.known->name : w.name;
  if (!name.empty()) v.who = name + "  " + sync::mask_id_number(w.id.typed);
  if (w.step == WalkInView::kName) v.text = w.name;
  if (w.step == WalkInView::kTownship) v.text = w.township;
  if (w.step == WalkInView::kVillage) v.text = w.village;
  bool keyboard = w.step == WalkInView::kName || w.typing;
  if (keyboard) {
    if (!w.pinyin && w.pinyin_error.empty()) {
      auto in = PinyinInput::open(store_.dir() / "rime");
      if (in.ok())
        w.pinyin = std::move(in).value();
      else
        w.pinyin_error = in.status().message();
      if (!in.ok()) spdlog::warn("pinyin keyboard unavailable: {}", w.pinyin_error);
    }
    v.keyboard = pinyin_keyboard_view(
        w.pinyin.get(), std::string(ui.t(w.pinyin ? "pinyin.hint" : "pinyin.unavailable")));
  }
  return v;
}

void App::walk_in_register(const kiosk::views::ClassChoice& c) {
  auto& w = s_->walk_in;
  Db& db = store_.db();
  std::string key;
  if (w.known) {
    key = w.known->key;
    // The groups the trainer ticked or unticked for a known person.
    std::vector<std::string> add, remove;
    for (const auto& g : w.groups)
      if (std::find(w.known->groups.begin(), w.known->groups.end(), g) == w.known->groups.end())
        add.push_back(g);
    for (const auto& g : w.known->groups)
      if (std::find(w.groups.begin(), w.groups.end(), g) == w.groups.end()) remove.push_back(g);
    if (!add.empty() || !remove.empty()) {
      Status st = kiosk::change_key_groups(db, clock_, s_->actor, key, add, remove);
      if (!st.ok()) {
        w.notice = refusal(st);
        return;
      }
      w.known->groups = w.groups;
    }
  } else {
    kiosk::PersonInput in{w.id.typed, w.name, w.township, w.village, "", w.groups};
    auto r = kiosk::register_person(db, clock_, s_->actor, in);
    if (!r.ok()) {
      w.notice = refusal(r.status());
      return;
    }
    key = *r;
    spdlog::info("walk-in registered: person {}", key.substr(0, 8));
    auto p = kiosk::get_person(db, key);
    if (p.ok()) w.known = *p;
  }
  Status st = kiosk::enrol(db, clock_, s_->actor, c.class_id, key);
  if (!st.ok() && st.key() != "enrol.exists") {
    w.notice = refusal(st);
    return;
  }
  spdlog::info("person {} enrolled in class {}", key.substr(0, 8), c.class_id);
  w.step = WalkInView::kDone;
  w.notice = {st.ok() ? "walkin.enrolled" : "enrol.exists", c.name, true};
  reload_site();
}

void App::on_walk_in(const Action& a) {
  auto& w = s_->walk_in;
  Db& db = store_.db();
  auto text = [&]() -> std::string& {
    return w.step == WalkInView::kName       ? w.name
           : w.step == WalkInView::kTownship ? w.township
                                             : w.village;
  };
  auto to_places = [&](WalkInView::Step step) {
    w.step = step;
    w.typing = false;
    auto places = step == WalkInView::kTownship ? kiosk::views::known_townships(store_)
                                                : kiosk::views::known_villages(store_, w.township);
    w.choices = places.ok() ? *places : std::vector<std::string>{};
    if (w.choices.empty()) w.typing = true;  // nothing known yet: type it
    if (w.pinyin) w.pinyin->clear();
  };
  if (a.act != Act::kKey && a.act != Act::kPinyin) w.notice = {};
  switch (w.step) {
    case WalkInView::kId:
      if (a.act == Act::kKey) key_id_number(w.id, a.text);
      if (a.act == Act::kSubmit && w.id.complete_and_valid) {
        auto p = kiosk::find_person_by_id_number(db, w.id.typed);
        if (p.ok()) {  // already registered: only the class is missing
          w.known = *p;
          w.groups = p->groups;
          w.step = WalkInView::kGroups;  // the groups may have changed since
          w.notice = {"walkin.known", "", true};
          return;
        }
        w.step = WalkInView::kName;
        if (w.pinyin) w.pinyin->clear();
      }
      return;
    case WalkInView::kName:
    case WalkInView::kTownship:
    case WalkInView::kVillage:
      if (a.act == Act::kPinyin) {
        apply_pinyin_key(a.pinyin, w.pinyin.get(), text());
        if (text().size() > 90) text() = utf8_pop_back(text());
        return;
      }
      if (a.act == Act::kCommand && a.text == "type") {
        w.typing = true;
        return;
      }
      if (a.act == Act::kSelect && a.index >= 0 && a.index < static_cast<int>(w.choices.size()))
        text() = w.choices[static_cast<std::size_t>(a.index)];
      else if (a.act != Act::kSubmit || text().empty())
        return;
      if (w.step == WalkInView::kName)
        to_places(WalkInView::kTownship);
      else if (w.step == WalkInView::kTownship)
        to_places(WalkInView::kVillage);
      else
        w.step = WalkInView::kGroups;
      return;
    case WalkInView::kGroups:
      if (a.act == Act::kCommand && a.text == "group") {
        auto all = kiosk::key_groups();
        if (a.index < 0 || a.index >= static_cast<int>(all.size())) return;
        std::string g(all[static_cast<std::size_t>(a.index)]);
        auto it = std::find(w.groups.begin(), w.groups.end(), g);
        if (it != w.groups.end())
          w.groups.erase(it);
        else
          w.groups.push_back(g);
        // Programme order, as the store keeps them.
        std::vector<std::string> ordered;
        for (auto k : all)
          if (std::find(w.groups.begin(), w.groups.end(), k) != w.groups.end())
            ordered.emplace_back(k);
        w.groups = ordered;
      }
      if (a.act == Act::kSubmit) w.step = WalkInView::kClass;
      return;
    case WalkInView::kClass:
      if (a.act == Act::kSelect && a.index >= 0 && a.index < static_cast<int>(w.classes.size()))
        walk_in_register(w.classes[static_cast<std::size_t>(a.index)]);
      return;
    case WalkInView::kDone:
      if (a.act == Act::kCommand && a.text == "again") enter_walk_in();
      return;
  }
}

}  // namespace chz::app
