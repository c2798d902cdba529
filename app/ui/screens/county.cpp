// Screens that deal with the county: sync status and USB, admin, logs.
#include "app/ui/screens/screens.h"

namespace chz::app {

void notice_line(Ui& ui, const Notice& n, float width) {
  if (!n.empty())
    ui.text_wrapped(n.text(ui), width, FontRole::kBody, n.good ? color::kGood : color::kBad);
}

Action draw_sync(Ui& ui, const SyncView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  auto cmd = [&](const char* c) {
    a.act = Act::kCommand;
    a.text = c;
  };
  ui.text(ui.t("sync.title"), FontRole::kLarge, color::kBar);
  if (!v.site_name.empty()) ui.text(v.site_name, FontRole::kBody);
  ui.text(ui.tf("sync.server", v.server.empty() ? std::string(ui.t("common.none")) : v.server),
          FontRole::kBody, color::kMuted);
  ui.text(v.waiting ? ui.tf("sync.waiting", std::to_string(v.waiting))
                    : std::string(ui.t("sync.all_sent")),
          FontRole::kLarge, v.waiting ? color::kWarn : color::kGood);
  ui.text(v.last_success.empty() ? std::string(ui.t("sync.never"))
                                 : ui.tf("sync.last_success", v.last_success),
          FontRole::kBody);
  if (v.running) ui.text(ui.tf("sync.running", v.progress), FontRole::kBody, color::kBar);
  if (!v.running && !v.last_error.empty())
    ui.text_wrapped(
        ui.tf("sync.last_error", has_string(v.last_error) ? ui.t(v.last_error) : v.last_error),
        avail, FontRole::kBody, color::kBad);
  notice_line(ui, v.notice, avail);
  ImGui::Dummy(ImVec2(0, ui.px(8)));
  float bw = (avail - 2 * gap) / 3;
  ImVec2 bs(bw, ui.px(88));
  if (ui.button("sync.now", ui.t("trainer.sync"), bs, Tone::kPrimary, !v.running)) cmd("sync");
  ImGui::SameLine();
  if (ui.button("sync.usb_export", ui.t("trainer.export"), bs, Tone::kSecondary,
                !v.usb_dir.empty()))
    cmd("usb_export");
  ImGui::SameLine();
  if (ui.button("sync.usb_import", ui.t("sync.usb_import"), bs, Tone::kSecondary,
                !v.usb_dir.empty()))
    cmd("usb_import");
  ui.text(v.usb_dir.empty() ? std::string(ui.t("usb.none")) : ui.tf("usb.found", v.usb_dir),
          FontRole::kBody, color::kMuted);
  return a;
}

Action draw_logs(Ui& ui, const std::vector<std::string>& lines) {
  float avail = ImGui::GetContentRegionAvail().x;
  ui.text(ui.t("admin.logs"), FontRole::kLarge, color::kBar);
  ui.text(ui.t("logs.hint"), FontRole::kBody, color::kMuted);
  ImGui::BeginChild("logs", ImVec2(avail, ImGui::GetContentRegionAvail().y), true);
  if (lines.empty()) ui.text(ui.t("common.none"), FontRole::kBody, color::kMuted);
  // Newest first: what the admin came to see is what just happened.
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    ui.text_wrapped(*it, avail - ui.px(24), FontRole::kBody);
  ImGui::EndChild();
  return {};
}

Action draw_admin(Ui& ui, const AdminView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  ui.text(ui.t("admin.title"), FontRole::kLarge, color::kBar);
  ui.text(ui.tf("admin.device_id", v.device.device_id), FontRole::kBody);
  ui.text(ui.tf("admin.schema", std::to_string(v.device.schema_version)) + "   SQLCipher " +
              v.device.cipher_version,
          FontRole::kBody, color::kMuted);
  ui.text(v.site_name.empty() ? std::string(ui.t("admin.not_enrolled"))
                              : ui.tf("admin.site", v.site_name),
          FontRole::kBody);
  notice_line(ui, v.notice, avail);
  for (const auto& d : v.details) ui.text_wrapped(d, avail, FontRole::kBody, color::kMuted);
  ImGui::Dummy(ImVec2(0, ui.px(8)));
  float bw = (avail - 2 * gap) / 3;
  ImVec2 bs(bw, ui.px(80));
  auto cmd = [&](const char* c) {
    a.act = Act::kCommand;
    a.text = c;
  };
  if (ui.button("admin.sync", ui.t("sync.title"), bs, Tone::kPrimary)) cmd("sync");
  ImGui::SameLine();
  if (ui.button("admin.content_usb", ui.t("admin.content_usb"), bs, Tone::kSecondary))
    cmd("content_usb");
  ImGui::SameLine();
  if (ui.button("admin.logs", ui.t("admin.logs"), bs, Tone::kSecondary)) cmd("logs");
  if (ui.button("admin.rotate", ui.t("admin.rotate"), bs, Tone::kSecondary)) cmd("rotate");
  ImGui::SameLine();
  if (ui.button("admin.exit_kiosk", ui.t("admin.exit_kiosk"), bs, Tone::kDanger)) cmd("exit");
  // The voice, kiosk-wide: a site where it disturbs a class turns it down or off.
  ImGui::SameLine();
  if (ui.button("admin.voice",
                ui.tf("admin.voice", ui.t(v.voice_on ? "admin.voice_on" : "admin.voice_off")),
                v.voice_on ? "volume_on" : "volume_off", bs,
                v.voice_on ? Tone::kSelected : Tone::kKey, true, FontRole::kBody))
    cmd("voice");
  float vw = (avail - 2 * gap) / 3;
  if (ui.button("admin.volume_down", ui.t("admin.volume_down"), ImVec2(vw, ui.px(64)), Tone::kKey,
                v.volume > 0, FontRole::kBody))
    cmd("volume_down");
  ImGui::SameLine();
  ui.field("admin.volume", ui.tf("admin.volume", std::to_string(v.volume)), ImVec2(vw, ui.px(64)),
           color::kMuted, FontRole::kBody);
  ImGui::SameLine();
  if (ui.button("admin.volume_up", ui.t("admin.volume_up"), ImVec2(vw, ui.px(64)), Tone::kKey,
                v.volume < 100, FontRole::kBody))
    cmd("volume_up");
  return a;
}

}  // namespace chz::app
