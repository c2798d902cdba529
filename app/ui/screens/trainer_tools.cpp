// The trainer's tools beyond today's sessions: an extra session and
// practical scores. (Walk-in registration is screens/walk_in.cpp.)
#include "app/ui/screens/screens.h"

namespace chz::app {

namespace {
std::string hhmm(int minute) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60 % 24, minute % 60);
  return buf;
}

// Class buttons, two a row; returns the tapped index or -1.
int class_buttons(Ui& ui, const std::vector<kiosk::views::ClassChoice>& classes, int selected,
                  float avail) {
  float gap = ImGui::GetStyle().ItemSpacing.x;
  float w = (avail - gap) / 2;
  int hit = -1;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (i % 2) ImGui::SameLine();
    const auto& c = classes[i];
    std::string label = ui.fit(c.name, w - ui.px(24), FontRole::kBody);
    if (ui.button("class." + std::to_string(i), label, ImVec2(w, ui.px(72)),
                  static_cast<int>(i) == selected ? Tone::kSelected : Tone::kSecondary, true,
                  FontRole::kBody))
      hit = static_cast<int>(i);
  }
  return hit;
}

}  // namespace

Action draw_add_session(Ui& ui, const AddSessionView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  auto cmd = [&](const char* c) {
    a.act = Act::kCommand;
    a.text = c;
  };
  ui.text(ui.t("trainer.adhoc"), FontRole::kLarge, color::kBar);
  notice_line(ui, v.notice, avail);
  if (v.classes.empty()) ui.text(ui.t("trainer.no_classes"), FontRole::kBody, color::kMuted);
  int hit = class_buttons(ui, v.classes, v.class_index, avail);
  if (hit >= 0) {
    a.act = Act::kSelect;
    a.index = hit;
  }
  ImGui::Dummy(ImVec2(0, ui.px(6)));
  float bw = (avail - 5 * gap) / 6;
  ImVec2 bs(bw, ui.px(68));
  if (ui.button("session.theory", ui.t("session.theory"), bs,
                v.practical ? Tone::kKey : Tone::kSelected, true, FontRole::kBody))
    cmd("theory");
  ImGui::SameLine();
  if (ui.button("session.practical", ui.t("session.practical"), bs,
                v.practical ? Tone::kSelected : Tone::kKey, true, FontRole::kBody))
    cmd("practical");
  ImGui::SameLine();
  if (ui.button("session.earlier", "−30′", bs, Tone::kKey, v.start_minute >= 30, FontRole::kBody))
    cmd("earlier");
  ImGui::SameLine();
  if (ui.button("session.later", "+30′", bs, Tone::kKey, v.start_minute + v.minutes + 30 <= 24 * 60,
                FontRole::kBody))
    cmd("later");
  ImGui::SameLine();
  if (ui.button("session.shorter", ui.t("session.shorter"), bs, Tone::kKey, v.minutes > 45,
                FontRole::kBody))
    cmd("shorter");
  ImGui::SameLine();
  if (ui.button("session.longer", ui.t("session.longer"), bs, Tone::kKey,
                v.start_minute + v.minutes + 45 <= 24 * 60, FontRole::kBody))
    cmd("longer");
  ui.text(ui.tf("session.when", hhmm(v.start_minute), hhmm(v.start_minute + v.minutes),
                std::to_string(v.minutes)),
          FontRole::kLarge);
  if (ui.button("session.add", ui.t("session.add"), ImVec2(avail, ui.px(76)), Tone::kPrimary,
                v.class_index >= 0))
    a.act = Act::kSubmit;
  return a;
}

Action draw_scores(Ui& ui, const ScoresView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  ui.text(ui.t("trainer.scores"), FontRole::kLarge, color::kBar);
  notice_line(ui, v.notice, avail);
  if (v.class_index < 0) {
    if (v.classes.empty()) ui.text(ui.t("trainer.no_classes"), FontRole::kBody, color::kMuted);
    int hit = class_buttons(ui, v.classes, -1, avail);
    if (hit >= 0) {
      a.act = Act::kSelect;
      a.index = hit;
    }
    return a;
  }
  if (v.person_index >= 0 && v.stage == ScoresView::kPickSecond) {
    ui.text(ui.t("scores.pick_second"), FontRole::kBody);
    float w = (avail - gap) / 2;
    for (std::size_t i = 0; i < v.second_choices.size(); ++i) {
      if (i % 2) ImGui::SameLine();
      if (ui.button("scores.second." + std::to_string(i), v.second_choices[i].name,
                    ImVec2(w, ui.px(72)), Tone::kSecondary, true, FontRole::kBody)) {
        a.act = Act::kSelect;
        a.index = static_cast<int>(i);
      }
    }
    if (ui.button("common.cancel", ui.t("common.cancel"), "no", ImVec2(ui.px(200), ui.px(64)),
                  Tone::kKey)) {
      a.act = Act::kCommand;
      a.text = "cancel";
    }
    return a;
  }
  if (v.person_index >= 0 && v.person_index < static_cast<int>(v.lines.size())) {
    const auto& l = v.lines[static_cast<std::size_t>(v.person_index)];
    if (v.stage == ScoresView::kSecondPin) {
      float key_w = ui.px(118), key_h = ui.px(70);
      float pad_w = 3 * key_w + 2 * gap;
      float left_w = avail - pad_w - ui.px(24);
      ImGui::BeginGroup();
      ui.text(l.name + "  " + v.typed, FontRole::kLarge);
      ui.text_wrapped(ui.tf("scores.second_pin", v.second_name), left_w, FontRole::kBody);
      std::string dots;
      for (int i = 0; i < v.second_pin_digits; ++i) dots += "● ";
      ui.field("scores.second_pin", dots.empty() ? " " : dots, ImVec2(left_w, ui.px(72)));
      if (ui.button("common.cancel", ui.t("common.cancel"), "no", ImVec2(ui.px(200), ui.px(64)),
                    Tone::kKey)) {
        a.act = Act::kCommand;
        a.text = "cancel";
      }
      ImGui::EndGroup();
      ImGui::SameLine(0, ui.px(24));
      keypad_column(ui, a, false, ImVec2(key_w, key_h), "scores.save", ui.t("scores.save"),
                    v.second_pin_digits >= 4);
      return a;
    }
    float key_w = ui.px(118), key_h = ui.px(70);
    float pad_w = 3 * key_w + 2 * gap;
    float left_w = avail - pad_w - ui.px(24);
    ImGui::BeginGroup();
    ui.text(l.name, FontRole::kLarge);
    ui.text(l.masked_id, FontRole::kBody, color::kMuted);
    if (!l.score.empty()) ui.text(ui.tf("scores.current", l.score), FontRole::kBody, color::kWarn);
    ui.field("scores.typed", v.typed.empty() ? " " : v.typed, ImVec2(left_w, ui.px(80)));
    ui.text(ui.t("scores.range"), FontRole::kBody, color::kMuted);
    if (ui.button("common.cancel", ui.t("common.cancel"), ImVec2(ui.px(200), ui.px(64)),
                  Tone::kKey)) {
      a.act = Act::kCommand;
      a.text = "cancel";
    }
    ImGui::SameLine();
    if (ui.button("scores.countersign", ui.t("scores.countersign"),
                  ImVec2(left_w - ui.px(200) - gap, ui.px(64)), Tone::kSecondary, !v.typed.empty(),
                  FontRole::kBody)) {
      a.act = Act::kCommand;
      a.text = "countersign";
    }
    ImGui::EndGroup();
    ImGui::SameLine(0, ui.px(24));
    keypad_column(ui, a, false, ImVec2(key_w, key_h), "scores.save", ui.t("scores.save"),
                  !v.typed.empty());
    return a;
  }
  ui.text(v.classes[static_cast<std::size_t>(v.class_index)].name, FontRole::kBody);
  float bottom = ui.px(72) + gap;
  ImGui::BeginChild("scores", ImVec2(avail, ImGui::GetContentRegionAvail().y - bottom), false);
  if (v.lines.empty()) ui.text(ui.t("scores.nobody"), FontRole::kBody, color::kMuted);
  float bw = ui.px(200);
  for (std::size_t i = 0; i < v.lines.size(); ++i) {
    const auto& l = v.lines[i];
    ImGui::BeginGroup();
    ui.text(l.name, FontRole::kBody);
    ui.text(l.masked_id, FontRole::kBody, color::kMuted);
    ImGui::EndGroup();
    ImGui::SameLine(avail - 2 * bw - 2 * gap);
    ui.text(l.score.empty() ? std::string(ui.t("scores.none")) : l.score, FontRole::kLarge,
            l.score.empty() ? color::kMuted : color::kGood);
    ImGui::SameLine(avail - bw - gap);
    if (ui.button("scores.enter." + l.name, ui.t(l.score.empty() ? "scores.enter" : "scores.fix"),
                  ImVec2(bw, ui.px(60)), Tone::kPrimary, true, FontRole::kBody)) {
      a.act = Act::kSelect;
      a.index = static_cast<int>(i);
    }
  }
  ImGui::EndChild();
  if (ui.button("scores.classes", ui.t("scores.classes"), ImVec2(avail, ui.px(68)), Tone::kKey)) {
    a.act = Act::kCommand;
    a.text = "classes";
  }
  return a;
}

}  // namespace chz::app
