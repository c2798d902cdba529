#include "app/ui/screens/screens.h"

namespace chz::app {

Action draw_admin(Ui& ui, const AdminView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  ui.text(ui.t("admin.title"), FontRole::kLarge, color::kBar);
  ui.text(ui.t("admin.device"), FontRole::kBody, color::kMuted);
  ui.text(ui.tf("admin.device_id", v.device.device_id), FontRole::kBody);
  ui.text(ui.tf("admin.schema", std::to_string(v.device.schema_version)) + "   SQLCipher " +
              v.device.cipher_version,
          FontRole::kBody);
  if (!v.site_name.empty()) ui.text(v.site_name, FontRole::kBody);
  if (!v.notice.empty())
    ui.text_wrapped(v.notice.text(ui), avail, FontRole::kBody,
                    v.notice.good ? color::kGood : color::kBad);
  ImGui::Dummy(ImVec2(0, ui.px(8)));
  float bw = (avail - gap) / 2;
  ImVec2 bs(bw, ui.px(80));
  auto cmd = [&](const char* c) {
    a.act = Act::kCommand;
    a.text = c;
  };
  if (ui.button("admin.rotate", ui.t("admin.rotate"), bs, Tone::kSecondary)) cmd("rotate");
  ImGui::SameLine();
  if (ui.button("admin.content_usb", ui.t("admin.content_usb"), bs, Tone::kSecondary))
    cmd("content_usb");
  if (ui.button("admin.exit_kiosk", ui.t("admin.exit_kiosk"), bs, Tone::kDanger)) cmd("exit");
  return a;
}

}  // namespace chz::app
