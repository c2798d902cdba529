#include "app/ui/screens/screens.h"

namespace chz::app {

Action draw_welcome(Ui& ui, const kiosk::views::SiteView& v) {
  Action a;
  ui.text_centered(ui.t("welcome.title"), FontRole::kLarge, color::kBar);
  ui.text_centered(v.site_name.empty() ? ui.t("app.name") : std::string_view(v.site_name),
                   FontRole::kBody, color::kMuted);
  ui.text_centered(ui.t("welcome.subtitle"), FontRole::kBody, color::kMuted);
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ui.px(20);
  float w = (avail - 2 * gap) / 3;
  ImVec2 big(w, ui.px(220));
  struct B {
    const char* id;
    const char* icon;
    Intent intent;
    Tone tone;
  } buttons[] = {{"welcome.checkin", "check_in", Intent::kCheckIn, Tone::kPrimary},
                 {"welcome.learn", "learn", Intent::kLearn, Tone::kSelected},
                 {"welcome.exam", "exam", Intent::kExam, Tone::kSuccess}};
  for (int i = 0; i < 3; ++i) {
    if (i) ImGui::SameLine(0, gap);
    if (ui.button(buttons[i].id, ui.t(buttons[i].id), buttons[i].icon, big, buttons[i].tone)) {
      a.act = Act::kIntent;
      a.intent = buttons[i].intent;
    }
  }
  ImGui::Dummy(ImVec2(0, ui.px(16)));
  float tw = ui.px(260);
  // 大字: larger text for this visit (the top bar's home or the idle reset ends it).
  if (ui.button("welcome.large_text",
                ui.t(ui.large_text ? "welcome.normal_text" : "welcome.large_text"), "large_text",
                ImVec2(tw * 0.9f, ui.px(64)), ui.large_text ? Tone::kSelected : Tone::kKey, true,
                FontRole::kBody))
    a.act = Act::kLargeText;
  ImGui::SameLine(0, 0);
  ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMin().x + avail - tw * 1.6f - gap);
  if (ui.button("welcome.trainer", ui.t("welcome.trainer"), ImVec2(tw, ui.px(64)),
                Tone::kSecondary)) {
    a.act = Act::kGo;
    a.screen = Screen::kTrainerPick;
  }
  ImGui::SameLine(0, gap);
  if (ui.button("welcome.admin", ui.t("welcome.admin"), ImVec2(tw * 0.6f, ui.px(64)), Tone::kKey,
                true, FontRole::kBody)) {
    a.act = Act::kGo;
    a.screen = Screen::kAdminPin;
  }
  return a;
}

}  // namespace chz::app
