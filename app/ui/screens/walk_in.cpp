// Registering a walk-in trainee (登记新学员), one step per screen.
#include "app/ui/screens/screens.h"

#include <algorithm>

#include "kiosk/people.h"

namespace chz::app {

namespace {

const char* step_title(WalkInView::Step s) {
  switch (s) {
    case WalkInView::kId:
      return "walkin.step_id";
    case WalkInView::kName:
      return "walkin.step_name";
    case WalkInView::kTownship:
      return "walkin.step_township";
    case WalkInView::kVillage:
      return "walkin.step_village";
    case WalkInView::kGroups:
      return "walkin.step_groups";
    case WalkInView::kClass:
      return "walkin.step_class";
    case WalkInView::kDone:
      return "walkin.done_title";
  }
  return "";
}

// The ID number keypad (as at sign-in, with 下一步).
void id_step(Ui& ui, const WalkInView& v, Action& a) {
  float avail = ImGui::GetContentRegionAvail().x;
  float key_w = ui.px(118), key_h = ui.px(70);
  float pad_w = 3 * key_w + 2 * ImGui::GetStyle().ItemSpacing.x;
  float left_w = avail - pad_w - ui.px(24);
  ImGui::BeginGroup();
  ImU32 border =
      v.id.notice.empty() ? color::kMuted : (v.id.notice.good ? color::kGood : color::kBad);
  ui.field("walkin.number", v.id.masked.empty() ? " " : v.id.masked, ImVec2(left_w, ui.px(80)),
           border);
  ui.text(ui.tf("signin.count", std::to_string(v.id.typed.size())), FontRole::kBody, color::kMuted);
  notice_line(ui, v.id.notice, left_w);
  notice_line(ui, v.notice, left_w);
  if (ui.button("common.clear", ui.t("common.clear"), ImVec2(ui.px(180), ui.px(64)), Tone::kKey)) {
    a.act = Act::kKey;
    a.text = "clear";
  }
  ImGui::EndGroup();
  ImGui::SameLine(0, ui.px(24));
  keypad_column(ui, a, v.id.typed.size() == 17, ImVec2(key_w, key_h), "walkin.next",
                ui.t("walkin.next"), v.id.complete_and_valid);
}

// The pinyin keyboard under what is typed, with 下一步 beside it.
void keyboard_step(Ui& ui, const WalkInView& v, Action& a) {
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  float next_w = ui.px(200);
  ui.field("walkin.text", v.text.empty() ? " " : v.text, ImVec2(avail - next_w - gap, ui.px(64)),
           color::kBar, FontRole::kLarge);
  ImGui::SameLine();
  if (ui.button("walkin.next", ui.t("walkin.next"), ImVec2(next_w, ui.px(64)), Tone::kPrimary,
                !v.text.empty()))
    a.act = Act::kSubmit;
  notice_line(ui, v.notice, avail);
  PinyinKeyAction k = draw_pinyin_keyboard(ui, v.keyboard, avail);
  if (k) {
    a.act = Act::kPinyin;
    a.pinyin = k;
  }
}

// Known places as buttons, three a row, and 输入其他 for a new one.
void place_step(Ui& ui, const WalkInView& v, Action& a) {
  if (v.typing) {
    keyboard_step(ui, v, a);
    return;
  }
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  notice_line(ui, v.notice, avail);
  float w = (avail - 2 * gap) / 3;
  for (std::size_t i = 0; i < v.choices.size(); ++i) {
    if (i % 3) ImGui::SameLine();
    if (ui.button("place." + std::to_string(i),
                  ui.fit(v.choices[i], w - ui.px(16), FontRole::kBody), ImVec2(w, ui.px(72)),
                  Tone::kSecondary, true, FontRole::kBody)) {
      a.act = Act::kSelect;
      a.index = static_cast<int>(i);
    }
  }
  if (ui.button("walkin.type", ui.t("walkin.type_other"), ImVec2(w, ui.px(72)), Tone::kKey, true,
                FontRole::kBody)) {
    a.act = Act::kCommand;
    a.text = "type";
  }
}

// The ten key employment groups as buttons to tick, two a row; none is fine.
void groups_step(Ui& ui, const WalkInView& v, Action& a) {
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  notice_line(ui, v.notice, avail);
  float next_w = ui.px(200);
  float w = (avail - 2 * gap - next_w) / 2;
  ImGui::BeginGroup();
  auto groups = kiosk::key_groups();
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (i % 2) ImGui::SameLine();
    bool on = std::find(v.groups.begin(), v.groups.end(), groups[i]) != v.groups.end();
    std::string label = std::string(on ? "✓ " : "") + std::string(groups[i]);
    if (ui.button("group." + std::to_string(i), ui.fit(label, w - ui.px(16), FontRole::kBody),
                  ImVec2(w, ui.px(60)), on ? Tone::kSelected : Tone::kKey, true, FontRole::kBody)) {
      a.act = Act::kCommand;
      a.text = "group";
      a.index = static_cast<int>(i);
    }
  }
  ImGui::EndGroup();
  ImGui::SameLine(0, gap);
  if (ui.button("walkin.next", ui.t("walkin.next"), "next", ImVec2(next_w, ui.px(96)),
                Tone::kPrimary))
    a.act = Act::kSubmit;
}

void class_step(Ui& ui, const WalkInView& v, Action& a) {
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  notice_line(ui, v.notice, avail);
  if (v.classes.empty()) ui.text(ui.t("trainer.no_classes"), FontRole::kBody, color::kMuted);
  float w = (avail - gap) / 2;
  for (std::size_t i = 0; i < v.classes.size(); ++i) {
    if (i % 2) ImGui::SameLine();
    const auto& c = v.classes[i];
    ImGui::BeginGroup();
    bool full = c.enrolled >= c.capacity && c.capacity > 0;
    if (ui.button("class." + std::to_string(i), ui.fit(c.name, w - ui.px(24), FontRole::kBody),
                  ImVec2(w, ui.px(72)), Tone::kPrimary, !full, FontRole::kBody)) {
      a.act = Act::kSelect;
      a.index = static_cast<int>(i);
    }
    ui.text(ui.tf("walkin.class_seats", std::to_string(c.enrolled), std::to_string(c.capacity)),
            FontRole::kBody, full ? color::kBad : color::kMuted);
    ImGui::EndGroup();
  }
}
}  // namespace

Action draw_walk_in(Ui& ui, const WalkInView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  std::string title =
      std::string(ui.t("trainer.walkin")) + " · " + std::string(ui.t(step_title(v.step)));
  ui.text(title, FontRole::kLarge, color::kBar);
  if (!v.who.empty() && v.step != WalkInView::kId && v.step != WalkInView::kDone)
    ui.text(v.who, FontRole::kBody, color::kMuted);
  switch (v.step) {
    case WalkInView::kId:
      id_step(ui, v, a);
      break;
    case WalkInView::kName:
      keyboard_step(ui, v, a);
      break;
    case WalkInView::kTownship:
    case WalkInView::kVillage:
      place_step(ui, v, a);
      break;
    case WalkInView::kGroups:
      groups_step(ui, v, a);
      break;
    case WalkInView::kClass:
      class_step(ui, v, a);
      break;
    case WalkInView::kDone:
      ui.text(v.who, FontRole::kLarge);
      notice_line(ui, v.notice, avail);
      ImGui::Dummy(ImVec2(0, ui.px(12)));
      if (ui.button("walkin.again", ui.t("walkin.again"), ImVec2(avail, ui.px(88)),
                    Tone::kPrimary)) {
        a.act = Act::kCommand;
        a.text = "again";
      }
      break;
  }
  return a;
}

}  // namespace chz::app
