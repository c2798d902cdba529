#include "app/ui/screens/screens.h"

#include <cstdio>

namespace chz::app {

Action draw_exam_gate(Ui& ui, const ExamGateView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  float key_w = ui.px(118), key_h = ui.px(70);
  float pad_w = 3 * key_w + 2 * ImGui::GetStyle().ItemSpacing.x;
  float left_w = avail - pad_w - ui.px(24);
  ImGui::BeginGroup();
  ui.text(ui.t("exam.title"), FontRole::kLarge, color::kBar);
  ui.text_wrapped(v.course_name, left_w, FontRole::kBody);
  ui.text_wrapped(ui.tf("exam.rules", std::to_string(v.questions), std::to_string(v.minutes),
                        std::to_string(v.pass_mark)),
                  left_w, FontRole::kBody, color::kMuted);
  if (!v.eligible)
    ui.text_wrapped(ui.t("exam.not_eligible"), left_w, FontRole::kLarge, color::kBad);
  else if (!v.has_sitting)
    ui.text_wrapped(ui.t("exam.no_sitting"), left_w, FontRole::kLarge, color::kBad);
  else {
    ui.text_wrapped(ui.t("exam.code"), left_w, FontRole::kBody);
    std::string dots;
    for (int i = 0; i < v.code_digits; ++i) dots += "● ";
    ui.field("exam.code", dots.empty() ? " " : dots, ImVec2(left_w, ui.px(72)));
  }
  if (!v.notice.empty()) ui.text_wrapped(v.notice.text(ui), left_w, FontRole::kBody, color::kBad);
  ImGui::EndGroup();
  if (v.eligible && v.has_sitting) {
    ImGui::SameLine(0, ui.px(24));
    ImGui::BeginGroup();
    std::string k = ui.keypad("key", false, ImVec2(key_w, key_h));
    if (!k.empty()) {
      a.act = Act::kKey;
      a.text = k;
    }
    if (ui.button("exam.start", ui.t("exam.start"), "exam", ImVec2(pad_w, ui.px(72)),
                  Tone::kSuccess, v.code_digits == 6))
      a.act = Act::kSubmit;
    ImGui::EndGroup();
  }
  return a;
}

Action draw_exam(Ui& ui, const ExamView& v) {
  Action a;
  const auto& q = *v.q;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  auto cmd = [&](const char* c) {
    a.act = Act::kCommand;
    a.text = c;
  };
  if (v.confirming) {
    ImGui::Dummy(ImVec2(0, ui.px(30)));
    ui.text_centered(ui.t("exam.confirm"), FontRole::kLarge, color::kBar);
    if (v.unanswered > 0)
      ui.text_centered(ui.tf("exam.unanswered", std::to_string(v.unanswered)), FontRole::kLarge,
                       color::kBad);
    else
      ui.text_centered(ui.t("exam.all_answered"), FontRole::kLarge, color::kGood);
    ImGui::Dummy(ImVec2(0, ui.px(30)));
    float bw = (avail - gap) / 2;
    if (ui.button("exam.keep", ui.t("exam.keep"), "back", ImVec2(bw, ui.px(110)), Tone::kSecondary))
      cmd("keep");
    ImGui::SameLine();
    if (ui.button("exam.confirm_submit", ui.t("exam.submit"), "submit", ImVec2(bw, ui.px(110)),
                  Tone::kPrimary))
      cmd("confirm");
    return a;
  }
  // Header: progress, time, flag.
  long secs = static_cast<long>(q.remaining_ms / 1000);
  char clock[48];
  std::snprintf(clock, sizeof clock, "%02ld:%02ld", secs / 60, secs % 60);
  ui.text(ui.tf("exam.question", std::to_string(q.pos + 1), std::to_string(q.count)),
          FontRole::kBody, color::kMuted);
  ImGui::SameLine(0, ui.px(30));
  ui.text(ui.tf("exam.time_left", clock), FontRole::kBody, secs < 300 ? color::kBad : color::kText);
  ImGui::SameLine(avail - ui.px(170));
  if (ui.button("exam.flag", ui.t(q.flagged ? "exam.unflag" : "exam.flag"),
                ImVec2(ui.px(170), ui.px(56)), q.flagged ? Tone::kWarning : Tone::kKey, true,
                FontRole::kBody))
    cmd("flag");
  ui.progress(q.count ? static_cast<float>(q.answered) / q.count : 0, ImVec2(avail, ui.px(14)), "");
  // The stem, with the question's picture to its right when it has one.
  bool picture = v.image_png && !v.image_png->empty();
  float stem_w = picture ? avail * 0.62f : avail;
  ImGui::BeginGroup();
  ui.text_wrapped(q.stem, stem_w, FontRole::kLarge);
  ImGui::EndGroup();
  if (picture) {
    ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    float pw = avail - stem_w - gap;
    if (!ui.image("exam:" + q.image, *v.image_png, ImVec2(pw, ui.px(170))))
      ui.text_wrapped("[" + q.image + "]", pw, FontRole::kBody, color::kMuted);
    ImGui::EndGroup();
  }
  ImGui::Dummy(ImVec2(0, ui.px(6)));
  // Options: 判断 as two big buttons; choices as full-width rows.
  std::vector<std::string> labels;
  std::vector<bool> chosen;
  if (q.type == content::QuestionType::kTrueFalse) {
    labels = {std::string(ui.t("exam.true")), std::string(ui.t("exam.false"))};
    chosen = {q.answer.truth && *q.answer.truth, q.answer.truth && !*q.answer.truth};
  } else {
    for (std::size_t i = 0; i < q.options.size(); ++i) {
      labels.push_back(std::string(1, static_cast<char>('A' + i)) + ". " + q.options[i]);
      bool c = false;
      for (int x : q.answer.choices) c = c || x == static_cast<int>(i);
      chosen.push_back(c);
    }
  }
  float bottom = ui.px(72) + gap;
  float space = ImGui::GetContentRegionAvail().y - bottom;
  int n = static_cast<int>(labels.size());
  bool two = q.type == content::QuestionType::kTrueFalse;
  float oh = two ? std::min(ui.px(120), space - gap)
                 : std::min(ui.px(72), (space - (n - 1) * gap) / std::max(1, n));
  oh = std::max(oh, ui.px(56));
  // Each option can be heard on its own: a speaker button at its right.
  float hear = std::max(ui.px(64), oh);
  for (int i = 0; i < n; ++i) {
    if (two && i == 1) ImGui::SameLine();
    float w = two ? (avail - 3 * gap) / 2 - hear : avail - gap - hear;
    if (ui.button("exam.option." + std::to_string(i), labels[i], ImVec2(w, oh),
                  chosen[i] ? Tone::kSelected : Tone::kKey, true,
                  two ? FontRole::kLarge : FontRole::kBody)) {
      a.act = Act::kSelect;
      a.index = i;
    }
    ImGui::SameLine(0, gap);
    if (ui.button("exam.hear." + std::to_string(i), "", "speaker", ImVec2(hear, oh), Tone::kKey)) {
      a.act = Act::kCommand;
      a.text = "hear";
      a.index = i;
    }
  }
  ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - ui.px(72));
  float bw = (avail - 3 * gap) / 4;
  ImVec2 bs(bw, ui.px(72));
  if (ui.button("exam.prev", ui.t("exam.prev"), "previous", bs, Tone::kKey, q.pos > 0)) cmd("prev");
  ImGui::SameLine();
  if (ui.button("exam.next", ui.t("exam.next"), "next", bs, Tone::kKey, q.pos + 1 < q.count))
    cmd("next");
  ImGui::SameLine();
  if (v.speaking) {
    if (ui.button("exam.stop", ui.t("lesson.stop"), "volume_off", bs, Tone::kWarning)) cmd("stop");
  } else if (ui.button("exam.read", ui.t("exam.read"), "read_aloud", bs, Tone::kSelected)) {
    cmd("speak");
  }
  ImGui::SameLine();
  if (ui.button("exam.submit", ui.t("exam.submit"), "submit", bs, Tone::kPrimary)) cmd("submit");
  return a;
}

Action draw_exam_result(Ui& ui, const ExamResultView& v) {
  Action a;
  float avail = ImGui::GetContentRegionAvail().x;
  ui.text_centered(ui.t("exam.result"), FontRole::kLarge, color::kBar);
  ui.text_centered(ui.tf("exam.score", v.score), FontRole::kLarge,
                   v.passed ? color::kGood : color::kBad);
  ui.text_centered(ui.t(v.passed ? "exam.passed" : "exam.failed"), FontRole::kBody,
                   v.passed ? color::kGood : color::kText);
  if (v.has_certificate) {
    // The certificate card.
    float w = std::min(avail, ui.px(720));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) / 2);
    ImVec2 p = ImGui::GetCursorScreenPos();
    float h = ui.px(220);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), IM_COL32(255, 250, 235, 255), ui.px(10));
    dl->AddRect(p, ImVec2(p.x + w, p.y + h), IM_COL32(178, 34, 34, 255), ui.px(10), 0, ui.px(4));
    ImGui::SetCursorScreenPos(ImVec2(p.x + ui.px(24), p.y + ui.px(12)));
    ImGui::BeginGroup();
    ui.text(ui.t("cert.title"), FontRole::kLarge, color::kBar);
    ui.text(v.name + "  " + v.cert_course, FontRole::kBody);
    ui.text(ui.tf("cert.number", v.cert_number), FontRole::kBody);
    ui.text(ui.tf("cert.date", v.cert_date), FontRole::kBody, color::kMuted);
    ui.text(
        cert_status_text(ui, v.cert_status, v.cert_qual_kind, v.cert_qual_number, v.cert_reason),
        FontRole::kBody, v.cert_status == "驳回" ? color::kBad : color::kMuted);
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos(ImVec2(p.x - (avail - w) / 2, p.y + h + ui.px(12)));
  } else if (!v.notice.empty()) {
    ui.text_centered(v.notice.text(ui), FontRole::kBody, color::kMuted);
  }
  float bw = ui.px(320);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - bw) / 2);
  if (ui.button("exam.done", ui.t("common.ok"), "home", ImVec2(bw, ui.px(72)), Tone::kPrimary))
    a.act = Act::kHome;
  return a;
}

std::string cert_status_text(const Ui& ui, const std::string& status, const std::string& qual_kind,
                             const std::string& qual_number, const std::string& reason) {
  if (status == "已确认")
    return qual_number.empty() ? std::string(ui.t("cert.confirmed"))
                               : std::string(ui.t("cert.confirmed")) + "  " +
                                     ui.tf("cert.qual", qual_kind, qual_number);
  if (status == "驳回") return ui.tf("cert.rejected", reason);
  if (status == "注销") return ui.tf("cert.revoked", reason);
  return std::string(ui.t("cert.pending"));
}

}  // namespace chz::app
