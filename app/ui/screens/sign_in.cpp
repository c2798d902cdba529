#include "app/ui/screens/screens.h"

namespace chz::app {

Action draw_sign_in(Ui& ui, const SignInView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float key_w = ui.px(118), key_h = ui.px(74);
  float pad_w = 3 * key_w + 2 * ImGui::GetStyle().ItemSpacing.x;
  float left_w = avail - pad_w - ui.px(24);
  ImGui::BeginGroup();
  ui.text(ui.t("signin.title"), FontRole::kLarge, color::kBar);
  ImGui::Dummy(ImVec2(0, ui.px(8)));
  ImU32 border = v.notice.empty() ? color::kMuted : (v.notice.good ? color::kGood : color::kBad);
  ui.field("signin.number", v.masked.empty() ? " " : v.masked, ImVec2(left_w, ui.px(80)), border);
  ImGui::Dummy(ImVec2(0, ui.px(6)));
  ui.text(ui.tf("signin.count", std::to_string(v.typed.size())), FontRole::kBody, color::kMuted);
  if (!v.notice.empty())
    ui.text_wrapped(v.notice.text(ui), left_w, FontRole::kLarge,
                    v.notice.good ? color::kGood : color::kBad);
  ImGui::Dummy(ImVec2(0, ui.px(8)));
  if (ui.button("common.clear", ui.t("common.clear"), ImVec2(ui.px(180), ui.px(64)), Tone::kKey)) {
    a.act = Act::kKey;
    a.text = "clear";
  }
  ImGui::EndGroup();
  ImGui::SameLine(0, ui.px(24));
  ImGui::BeginGroup();
  // X only as the 18th character, where it is legal.
  std::string k = ui.keypad("key", v.typed.size() == 17, ImVec2(key_w, key_h));
  if (!k.empty()) {
    a.act = Act::kKey;
    a.text = k;
  }
  if (ui.button("signin.submit", ui.t("signin.submit"), ImVec2(pad_w, ui.px(72)), Tone::kPrimary,
                v.complete_and_valid))
    a.act = Act::kSubmit;
  ImGui::EndGroup();
  return a;
}

Action draw_pin(Ui& ui, const PinView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float key_w = ui.px(118), key_h = ui.px(74);
  float pad_w = 3 * key_w + 2 * ImGui::GetStyle().ItemSpacing.x;
  float left_w = avail - pad_w - ui.px(24);
  ImGui::BeginGroup();
  if (!v.who.empty()) ui.text(v.who, FontRole::kLarge, color::kText);
  ui.text(v.title, FontRole::kLarge, color::kBar);
  std::string dots;
  for (int i = 0; i < v.digits; ++i) dots += "● ";
  ui.field("pin.dots", dots.empty() ? " " : dots, ImVec2(left_w, ui.px(80)));
  if (!v.notice.empty())
    ui.text_wrapped(v.notice.text(ui), left_w, FontRole::kBody,
                    v.notice.good ? color::kGood : color::kBad);
  ImGui::EndGroup();
  ImGui::SameLine(0, ui.px(24));
  ImGui::BeginGroup();
  std::string k = ui.keypad("key", false, ImVec2(key_w, key_h));
  if (!k.empty()) {
    a.act = Act::kKey;
    a.text = k;
  }
  if (ui.button("pin.submit", ui.t("common.ok"), ImVec2(pad_w, ui.px(72)), Tone::kPrimary,
                v.digits >= 4))
    a.act = Act::kSubmit;
  ImGui::EndGroup();
  return a;
}

}  // namespace chz::app
