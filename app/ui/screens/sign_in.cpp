#include "app/ui/screens/screens.h"

namespace chz::app {

void keypad_column(Ui& ui, Action& a, bool with_x, ImVec2 key, std::string_view submit_id,
                   std::string_view submit_label, bool submit_enabled) {
  float pad_w = 3 * key.x + 2 * ImGui::GetStyle().ItemSpacing.x;
  ImGui::BeginGroup();
  std::string k = ui.keypad("key", with_x, key);
  if (!k.empty()) {
    a.act = Act::kKey;
    a.text = k;
  }
  if (ui.button(submit_id, submit_label, "yes", ImVec2(pad_w, ui.px(72)), Tone::kPrimary,
                submit_enabled))
    a.act = Act::kSubmit;
  ImGui::EndGroup();
}

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
  if (ui.button("common.clear", ui.t("common.clear"), "no", ImVec2(ui.px(180), ui.px(64)),
                Tone::kKey)) {
    a.act = Act::kKey;
    a.text = "clear";
  }
  ImGui::EndGroup();
  ImGui::SameLine(0, ui.px(24));
  // X only as the 18th character, where it is legal.
  keypad_column(ui, a, v.typed.size() == 17, ImVec2(key_w, key_h), "signin.submit",
                ui.t("signin.submit"), v.complete_and_valid);
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
  notice_line(ui, v.notice, left_w);
  ImGui::EndGroup();
  ImGui::SameLine(0, ui.px(24));
  keypad_column(ui, a, false, ImVec2(key_w, key_h), "pin.submit", ui.t("common.ok"), v.digits >= 4);
  return a;
}

}  // namespace chz::app
