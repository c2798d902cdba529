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
    Intent intent;
    Tone tone;
  } buttons[] = {{"welcome.checkin", Intent::kCheckIn, Tone::kPrimary},
                 {"welcome.learn", Intent::kLearn, Tone::kSelected},
                 {"welcome.exam", Intent::kExam, Tone::kSuccess}};
  for (int i = 0; i < 3; ++i) {
    if (i) ImGui::SameLine(0, gap);
    if (ui.button(buttons[i].id, ui.t(buttons[i].id), big, buttons[i].tone)) {
      a.act = Act::kIntent;
      a.intent = buttons[i].intent;
    }
  }
  ImGui::Dummy(ImVec2(0, ui.px(16)));
  float tw = ui.px(260);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - tw * 1.6f - gap);
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
