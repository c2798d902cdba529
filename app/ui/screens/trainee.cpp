#include "app/ui/screens/screens.h"

namespace chz::app {

Action draw_trainee_home(Ui& ui, const kiosk::views::TraineeView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ui.px(16);
  float left = avail * 0.62f;
  ui.text(ui.tf("home.hello", v.name), FontRole::kLarge, color::kBar);
  ImGui::BeginChild("home.left", ImVec2(left, ImGui::GetContentRegionAvail().y), false,
                    ImGuiWindowFlags_NoScrollbar);
  ui.text(ui.t("home.courses"), FontRole::kBody, color::kMuted);
  if (v.courses.empty()) ui.text_wrapped(ui.t("home.no_courses"), left, FontRole::kBody);
  for (const auto& c : v.courses) {
    ui.text(c.course_name + "  " + c.class_name, FontRole::kBody, color::kText);
    auto bar = [&](const char* kind, int done, int need) {
      float f = need > 0 ? static_cast<float>(done) / need : 1.f;
      ui.progress(f, ImVec2(left - ui.px(8), ui.px(44)),
                  std::string(ui.t(kind)) + "  " +
                      ui.tf("home.hours", std::to_string(done), std::to_string(need)));
    };
    bar("home.theory", c.theory_done_h, c.theory_need_h);
    bar("home.practical", c.practical_done_h, c.practical_need_h);
    ui.text(ui.t(c.hours_met ? "home.eligible" : "home.not_eligible"), FontRole::kBody,
            c.hours_met ? color::kGood : color::kMuted);
  }
  if (v.next)
    ui.text(ui.tf("home.next", v.next->when), FontRole::kBody, color::kText);
  else
    ui.text(ui.t("home.no_next"), FontRole::kBody, color::kMuted);
  ui.text(ui.t("home.certs"), FontRole::kBody, color::kMuted);
  if (v.certificates.empty()) ui.text(ui.t("common.none"), FontRole::kBody, color::kMuted);
  for (const auto& c : v.certificates)
    ui.text(
        c.course_name + "  " + cert_status_text(ui, c.status, c.qual_kind, c.qual_number, c.reason),
        FontRole::kBody,
        c.status == "已确认" ? color::kGood
        : c.status == "驳回" ? color::kBad
                             : color::kText);
  ImGui::EndChild();
  ImGui::SameLine(0, gap);
  ImGui::BeginGroup();
  float bw = avail - left - gap;
  ImVec2 big(bw, ui.px(96));
  bool in = v.current && v.current->checked_in;
  if (ui.button(in ? "home.checkout" : "home.checkin", ui.t(in ? "home.checkout" : "home.checkin"),
                in ? "check_out" : "check_in", big, in ? Tone::kWarning : Tone::kPrimary)) {
    a.act = Act::kGo;
    a.screen = Screen::kCheckIn;
  }
  if (ui.button("home.learn", ui.t("home.learn"), "learn", big, Tone::kSelected)) {
    a.act = Act::kGo;
    a.screen = Screen::kLessonList;
  }
  if (ui.button("home.exam", ui.t("home.exam"), "exam", big, Tone::kSuccess)) {
    a.act = Act::kGo;
    a.screen = Screen::kExamGate;
  }
  if (ui.button("common.signout", ui.t("common.signout"), "sign_out", ImVec2(bw, ui.px(64)),
                Tone::kKey))
    a.act = Act::kHome;
  ImGui::EndGroup();
  return a;
}

Action draw_check_in(Ui& ui, const CheckInView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  ImGui::Dummy(ImVec2(0, ui.px(20)));
  if (v.done) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetCursorScreenPos();
    float r = ui.px(56);
    ImVec2 c(p.x + avail / 2, p.y + r);
    ImU32 col = v.checked_in ? color::kGood : color::kWarn;
    dl->AddCircleFilled(c, r, col);
    dl->AddLine(ImVec2(c.x - r * 0.45f, c.y), ImVec2(c.x - r * 0.1f, c.y + r * 0.35f),
                IM_COL32_WHITE, ui.px(10));
    dl->AddLine(ImVec2(c.x - r * 0.1f, c.y + r * 0.35f), ImVec2(c.x + r * 0.5f, c.y - r * 0.35f),
                IM_COL32_WHITE, ui.px(10));
    ImGui::Dummy(ImVec2(0, 2 * r + ui.px(10)));
    ui.text_centered(ui.t(v.checked_in ? "checkin.done" : "checkout.done"), FontRole::kLarge, col);
    ui.text_centered(v.name, FontRole::kLarge, color::kText);
    ui.text_centered(ui.tf("checkin.session", v.session), FontRole::kBody, color::kText);
    ui.text_centered(ui.tf("checkin.when", v.time), FontRole::kBody, color::kText);
  } else {
    ui.text_centered(v.name, FontRole::kLarge, color::kText);
    ui.text_wrapped(v.notice.text(ui), avail, FontRole::kLarge, color::kBad);
  }
  ImGui::Dummy(ImVec2(0, ui.px(20)));
  float bw = ui.px(320);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - bw) / 2);
  if (ui.button("common.ok", ui.t("common.ok"), "yes", ImVec2(bw, ui.px(80)), Tone::kPrimary))
    a.act = Act::kSubmit;
  return a;
}

Action draw_lesson_list(Ui& ui, const std::vector<kiosk::views::LessonListView>& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  ui.text(ui.t("lesson.list"), FontRole::kLarge, color::kBar);
  if (v.empty()) ui.text(ui.t("lesson.none"), FontRole::kBody, color::kMuted);
  ImGui::BeginChild("lessons", ImVec2(0, 0), false);
  for (std::size_t c = 0; c < v.size(); ++c) {
    ui.text(v[c].course_name, FontRole::kBody, color::kMuted);
    float gap = ImGui::GetStyle().ItemSpacing.x;
    float w = (avail - gap) / 2;
    for (std::size_t i = 0; i < v[c].lessons.size(); ++i) {
      if (i % 2) ImGui::SameLine();
      std::string id = "lesson." + std::to_string(c) + "." + std::to_string(i);
      if (ui.button(id, v[c].lessons[i].title, "learn", ImVec2(w, ui.px(72)), Tone::kSecondary,
                    true, FontRole::kBody)) {
        a.act = Act::kSelect;
        a.index = static_cast<int>(c * 1000 + i);
      }
    }
  }
  ImGui::EndChild();
  return a;
}

Action draw_lesson(Ui& ui, const LessonScreenView& v) {
  Action a;
  const auto& l = *v.lesson;
  float avail = ImGui::GetContentRegionAvail().x;
  ui.text(l.title, FontRole::kLarge, color::kBar);
  float bar_h = ui.px(64);
  float body_h = ImGui::GetContentRegionAvail().y - bar_h - ImGui::GetStyle().ItemSpacing.y;
  ImGui::BeginChild("lesson.body", ImVec2(avail, body_h), false, ImGuiWindowFlags_NoScrollbar);
  ImGui::SetScrollY(v.page * body_h * 0.9f);
  for (std::size_t i = 0; i < v.blocks->size(); ++i) {
    const MdBlock& b = (*v.blocks)[i];
    if (i == 0 && b.kind == MdBlock::kHeading && b.text == l.title) continue;  // the title is above
    switch (b.kind) {
      case MdBlock::kHeading:
        ui.text_wrapped(b.text, avail - ui.px(8), FontRole::kLarge, color::kBar);
        break;
      case MdBlock::kListItem:
        ui.text_wrapped("• " + b.text, avail - ui.px(8), FontRole::kBody);
        break;
      case MdBlock::kImage: {
        const std::string* png = nullptr;
        if (v.images) {
          auto it = v.images->find(b.text);
          if (it != v.images->end()) png = &it->second;
        }
        // Missing or not a PNG: say so instead of leaving a hole.
        if (!png || !ui.image(v.lesson->course_id + "/" + b.text, *png,
                              ImVec2(avail - ui.px(8), ui.px(260))))
          ui.text_wrapped("[" + b.text + "]", avail - ui.px(8), FontRole::kBody, color::kMuted);
        break;
      }
      default:
        ui.text_wrapped(b.text, avail - ui.px(8), FontRole::kBody);
        break;
    }
  }
  float max_scroll = ImGui::GetScrollMaxY();
  ImGui::EndChild();
  int pages = 1 + static_cast<int>(max_scroll / (body_h * 0.9f) + 0.999f);
  float gap = ImGui::GetStyle().ItemSpacing.x;
  float bw = (avail - 3 * gap) / 4;
  ImVec2 bs(bw, bar_h);
  if (ui.button("lesson.prev", ui.t("lesson.prev"), "previous", bs, Tone::kKey, v.page > 0)) {
    a.act = Act::kCommand;
    a.text = "page.prev";
  }
  ImGui::SameLine();
  if (ui.button("lesson.next", ui.t("lesson.next"), "next", bs, Tone::kKey, v.page + 1 < pages)) {
    a.act = Act::kCommand;
    a.text = "page.next";
  }
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(bw, ui.px(6)));
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ui.px(10));
  ui.text(ui.tf("lesson.page", std::to_string(v.page + 1), std::to_string(pages)), FontRole::kBody,
          color::kMuted);
  ImGui::EndGroup();
  ImGui::SameLine();
  if (v.speaking) {
    if (ui.button("lesson.stop", ui.t("lesson.stop"), "volume_off", bs, Tone::kWarning)) {
      a.act = Act::kCommand;
      a.text = "stop";
    }
  } else if (ui.button("lesson.read_aloud", ui.t("lesson.read_aloud"), "read_aloud", bs,
                       Tone::kSelected, v.can_speak)) {
    a.act = Act::kCommand;
    a.text = "speak";
  }
  return a;
}

}  // namespace chz::app
