#include "app/ui/screens/screens.h"

namespace chz::app {

Action draw_trainer_pick(Ui& ui, const std::vector<kiosk::views::StaffButton>& staff) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  ui.text(ui.t("trainer.pick"), FontRole::kLarge, color::kBar);
  if (staff.empty()) ui.text_wrapped(ui.t("trainer.none"), avail, FontRole::kBody, color::kMuted);
  float gap = ImGui::GetStyle().ItemSpacing.x;
  float w = (avail - 2 * gap) / 3;
  for (std::size_t i = 0; i < staff.size(); ++i) {
    if (i % 3) ImGui::SameLine();
    if (ui.button("staff." + std::to_string(i), staff[i].name, ImVec2(w, ui.px(90)),
                  Tone::kSecondary)) {
      a.act = Act::kSelect;
      a.index = static_cast<int>(i);
    }
  }
  return a;
}

Action draw_trainer_home(Ui& ui, const TrainerHomeView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  ui.text(v.trainer->name + "  " + std::string(ui.t("trainer.today")), FontRole::kLarge,
          color::kBar);
  if (!v.proctor_code.empty())
    ui.text(ui.tf("trainer.proctor_code", v.proctor_code), FontRole::kLarge, color::kGood);
  notice_line(ui, v.notice, avail);
  if (!v.doubted_time.empty()) {
    // Before anything opens: the trainer checks the kiosk's clock.
    ui.text_wrapped(ui.tf("time.doubt", v.doubted_time), avail, FontRole::kBody, color::kWarn);
    if (ui.button("trainer.confirm_time", ui.t("time.confirm"), ImVec2(ui.px(320), ui.px(64)),
                  Tone::kWarning, true, FontRole::kBody)) {
      a.act = Act::kCommand;
      a.text = "confirm_time";
      a.index = -1;
    }
    ui.text_wrapped(ui.t("time.wrong_hint"), avail, FontRole::kBody, color::kMuted);
  }
  // The tools, one row of big buttons.
  float tw = (avail - 3 * gap) / 4;
  auto tool = [&](const char* id, const char* label, Screen to, Tone tone) {
    if (ui.button(id, ui.t(label), ImVec2(tw, ui.px(72)), tone, true, FontRole::kBody)) {
      a.act = Act::kGo;
      a.screen = to;
    }
  };
  tool("trainer.walkin", "trainer.walkin", Screen::kTrainerWalkIn, Tone::kSecondary);
  ImGui::SameLine();
  tool("trainer.adhoc", "trainer.adhoc", Screen::kTrainerAddSession, Tone::kSecondary);
  ImGui::SameLine();
  tool("trainer.scores", "trainer.scores", Screen::kTrainerScores, Tone::kSecondary);
  ImGui::SameLine();
  tool("trainer.sync_status", "sync.title", Screen::kSync, Tone::kSecondary);
  ImGui::Dummy(ImVec2(0, ui.px(4)));
  if (v.trainer->today.empty()) ui.text(ui.t("trainer.no_today"), FontRole::kBody, color::kMuted);
  float bw = ui.px(200);
  for (std::size_t i = 0; i < v.trainer->today.size(); ++i) {
    const auto& r = v.trainer->today[i];
    std::string n = std::to_string(i);
    ImGui::BeginGroup();
    ui.text(ui.fit(r.class_name, avail - 3 * bw - 3 * gap, FontRole::kBody), FontRole::kBody);
    const char* st = r.state == kiosk::SessionState::kOpen     ? "trainer.state_open"
                     : r.state == kiosk::SessionState::kClosed ? "trainer.state_closed"
                                                               : "trainer.state_scheduled";
    ui.text(r.when + "  " + std::string(ui.t(st)), FontRole::kBody, color::kMuted);
    ImGui::EndGroup();
    ImGui::SameLine(avail - 3 * bw - 2 * gap);
    auto cmd = [&](const char* c) {
      a.act = Act::kCommand;
      a.text = c;
      a.index = static_cast<int>(i);
    };
    if (ui.button("trainer.open." + n, ui.t("trainer.open"), ImVec2(bw, ui.px(64)), Tone::kPrimary,
                  r.state == kiosk::SessionState::kScheduled, FontRole::kBody))
      cmd("open");
    ImGui::SameLine();
    if (ui.button("trainer.roster." + n, ui.t("trainer.roster"), ImVec2(bw, ui.px(64)),
                  Tone::kSecondary, r.state == kiosk::SessionState::kOpen, FontRole::kBody))
      cmd("roster");
    ImGui::SameLine();
    if (ui.button("trainer.sitting." + n, ui.t("trainer.sitting"), ImVec2(bw, ui.px(64)),
                  Tone::kSuccess, true, FontRole::kBody))
      cmd("sitting");
  }
  return a;
}

Action draw_roster(Ui& ui, const RosterView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  auto cmd = [&](const char* c, int i) {
    a.act = Act::kCommand;
    a.text = c;
    a.index = i;
  };
  ui.text(v.title, FontRole::kLarge, color::kBar);
  notice_line(ui, v.notice, avail);
  if (v.correcting >= 0 && v.correcting < static_cast<int>(v.lines.size())) {
    ui.text(v.lines[static_cast<std::size_t>(v.correcting)].name + "  " +
                std::string(ui.t("trainer.reason_required")),
            FontRole::kLarge);
    for (const char* r :
         {"trainer.reason.device", "trainer.reason.left_early", "trainer.reason.forgot"}) {
      if (ui.button(r, ui.t(r), ImVec2(avail, ui.px(72)), Tone::kSecondary)) {
        a.act = Act::kCommand;
        a.index = v.correcting;
        a.text = std::string("reason:") + r;
      }
    }
    if (ui.button("common.cancel", ui.t("common.cancel"), ImVec2(ui.px(240), ui.px(64)),
                  Tone::kKey))
      cmd("cancel", -1);
    return a;
  }
  float bottom = ui.px(72) + gap;
  ImGui::BeginChild("roster", ImVec2(avail, ImGui::GetContentRegionAvail().y - bottom), false);
  float bw = ui.px(150);
  for (std::size_t i = 0; i < v.lines.size(); ++i) {
    const auto& l = v.lines[i];
    int n = static_cast<int>(i);
    bool in = l.today == kiosk::Presence::kIn;
    ImGui::BeginGroup();
    ui.text(l.name, FontRole::kBody);
    ui.text(l.masked_id + "  " +
                std::string(ui.t(in                                 ? "trainer.present"
                                 : l.today == kiosk::Presence::kOut ? "trainer.left"
                                                                    : "trainer.absent")),
            FontRole::kBody, in ? color::kGood : color::kMuted);
    ImGui::EndGroup();
    ImGui::SameLine(avail - 2 * bw - 2 * gap);
    if (in) {
      if (ui.button("roster.out." + l.name, ui.t("home.checkout"), ImVec2(bw, ui.px(60)),
                    Tone::kWarning, true, FontRole::kBody))
        cmd("out", n);
    } else if (ui.button("roster.in." + l.name, ui.t("home.checkin"), ImVec2(bw, ui.px(60)),
                         Tone::kPrimary, true, FontRole::kBody)) {
      cmd("in", n);
    }
    ImGui::SameLine();
    if (ui.button("roster.correct." + l.name, ui.t("trainer.correct"), ImVec2(bw, ui.px(60)),
                  Tone::kKey, l.today != kiosk::Presence::kAbsent, FontRole::kBody))
      cmd("correct", n);
  }
  ImGui::EndChild();
  if (ui.button("trainer.close", ui.t("trainer.close"), ImVec2(avail, ui.px(72)), Tone::kPrimary))
    cmd("close", -1);
  return a;
}

}  // namespace chz::app
