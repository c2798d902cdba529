#include "app/ui/screens/screens.h"

namespace chz::app {

Action draw_top_bar(Ui& ui, const TopBarView& v) {
  Action a;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float h = ui.px(64);
  float right = origin.x + ImGui::GetContentRegionAvail().x;
  // Sync light: green synced, amber waiting, grey never.
  const auto* s = v.site;
  ImU32 light = IM_COL32(150, 150, 150, 255);
  std::string sync_text = std::string(ui.t("sync.never"));
  if (s && s->pending_records > 0) {
    light = color::kWarn;
    sync_text = ui.tf("sync.pending", std::to_string(s->pending_records));
  } else if (s && s->last_sync_ms) {
    light = color::kGood;
    sync_text = std::string(ui.t("sync.ok"));
  }
  int nbuttons = 1 + (v.show_home ? 1 : 0) + (v.show_back ? 1 : 0);
  float bw = ui.px(nbuttons == 3 ? 130 : 150), bh = ui.px(56), gap = ui.px(10);
  float rw = ui.px(130);  // 再听: the replay button, left of the others
  float text_right = right - nbuttons * (bw + gap) - (v.show_replay ? rw + gap : 0);
  dl->PushClipRect(origin, ImVec2(text_right, origin.y + h), true);
  float r = ui.px(11);
  dl->AddCircleFilled(ImVec2(origin.x + r, origin.y + h / 2), r, light);
  ImGui::SetCursorScreenPos(ImVec2(origin.x + 2.6f * r, origin.y + (h - ui.px(28)) / 2));
  ui.text(sync_text, FontRole::kBody, color::kMuted);
  // The clock always shows in full; the site name takes what is left.
  float spacing = ui.px(20);
  float clock_w = v.clock.empty() ? 0 : ui.measure(v.clock, FontRole::kBody).x + spacing;
  if (s && !s->site_name.empty()) {
    ImGui::SameLine(0, spacing);
    float room = text_right - ImGui::GetCursorScreenPos().x - clock_w - gap;
    if (room > ui.px(40)) ui.text(ui.fit(s->site_name, room, FontRole::kBody), FontRole::kBody);
  }
  if (!v.clock.empty()) {
    ImGui::SameLine(0, spacing);
    ui.text(v.clock, FontRole::kBody, color::kMuted);
  }
  dl->PopClipRect();
  // Right side: back, home, language.
  float x = right - bw;
  ImGui::SetCursorScreenPos(ImVec2(x, origin.y + (h - bh) / 2));
  if (ui.button("lang.toggle", ui.t("lang.toggle"), ImVec2(bw, bh), Tone::kKey, true,
                FontRole::kBody))
    a.act = Act::kToggleLang;
  if (v.show_home) {
    x -= bw + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y + (h - bh) / 2));
    if (ui.button("common.home", ui.t("common.home"), "home", ImVec2(bw, bh), Tone::kSecondary,
                  true, FontRole::kBody))
      a.act = Act::kHome;
  }
  if (v.show_back) {
    x -= bw + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y + (h - bh) / 2));
    if (ui.button("common.back", ui.t("common.back"), "back", ImVec2(bw, bh), Tone::kSecondary,
                  true, FontRole::kBody))
      a.act = Act::kBack;
  }
  if (v.show_replay) {
    x -= rw + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y + (h - bh) / 2));
    if (ui.button("top.replay", ui.t("common.replay"), "replay", ImVec2(rw, bh), Tone::kKey, true,
                  FontRole::kBody))
      a.act = Act::kReplay;
  }
  dl->AddLine(ImVec2(origin.x, origin.y + h), ImVec2(right, origin.y + h),
              IM_COL32(200, 190, 170, 255), ui.px(2));
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + h + ui.px(12)));
  return a;
}

}  // namespace chz::app
