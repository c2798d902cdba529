#include "app/ui/screens/screens.h"

namespace chz::app {

namespace {
// A compact keyboard for addresses and codes: digits, letters, '.', ':', '/', '-'.
std::string draw_ascii_keyboard(Ui& ui, float width) {
  static const char* kRows[] = {"1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm.:/"};
  float gap = ImGui::GetStyle().ItemSpacing.x;
  float kw = (width - 9 * gap) / 10;
  std::string hit;
  for (const char* row : kRows) {
    for (int i = 0; row[i]; ++i) {
      if (i) ImGui::SameLine();
      std::string k(1, row[i]);
      if (ui.button("key." + k, k, ImVec2(kw, ui.px(56)), Tone::kKey, true, FontRole::kBody))
        hit = k;
    }
  }
  return hit;
}
}  // namespace

Action draw_enroll(Ui& ui, const EnrollView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  ui.text(ui.t("enroll.title"), FontRole::kLarge, color::kBar);
  // The notice replaces the hint so the screen fits 1024×600.
  if (!v.notice.empty())
    notice_line(ui, v.notice, avail);
  else
    ui.text_wrapped(ui.t("enroll.hint"), avail, FontRole::kBody, color::kMuted);
  float label_w = ui.px(170), h = ui.px(60), side_w = ui.px(190);
  auto label = [&](int i, const char* key) {
    const char* id = i == 0 ? "enroll.field_server" : "enroll.field_code";
    if (ui.button(id, ui.t(key), ImVec2(label_w, h), v.focus == i ? Tone::kSelected : Tone::kKey,
                  true, FontRole::kBody)) {
      a.act = Act::kSelect;
      a.index = i;
    }
    ImGui::SameLine();
  };
  auto value = [&](int i, const std::string& val, float w) {
    ui.field(i == 0 ? "enroll.server.value" : "enroll.code.value", val.empty() ? " " : val,
             ImVec2(w, h), v.focus == i ? IM_COL32(25, 90, 170, 255) : color::kMuted,
             FontRole::kBody);
  };
  label(0, "enroll.server");
  value(0, v.server, avail - label_w - side_w - 2 * gap);
  ImGui::SameLine();
  if (ui.button("enroll.usb", ui.t("enroll.usb"), ImVec2(side_w, h), Tone::kSecondary, true,
                FontRole::kBody))
    a.act = Act::kSecondary;
  label(1, "enroll.code");
  value(1, v.code, avail - label_w - 2 * side_w - 3 * gap);
  ImGui::SameLine();
  if (ui.button("key.del", ui.t("common.delete"), ImVec2(side_w, h), Tone::kWarning, true,
                FontRole::kBody)) {
    a.act = Act::kKey;
    a.text = "del";
  }
  ImGui::SameLine();
  if (ui.button("enroll.submit", ui.t("enroll.submit"), ImVec2(side_w, h), Tone::kPrimary,
                !v.server.empty() && !v.code.empty()))
    a.act = Act::kSubmit;
  std::string k = draw_ascii_keyboard(ui, avail);
  if (!k.empty()) {
    a.act = Act::kKey;
    a.text = k;
  }
  return a;
}

}  // namespace chz::app
