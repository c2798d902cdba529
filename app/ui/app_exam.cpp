// The exam screens' actions: the gate, questions, submission, result.
#include "app/ui/app_state.h"
#include "content/install.h"
#include "kiosk/attendance.h"
#include "kiosk/certificate_issue.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

namespace chz::app {

void App::enter_exam_gate() {
  auto& g = s_->gate;
  g = {};
  s_->code_typed.clear();
  s_->course.reset();
  s_->run.reset();
  const std::string& who = nav_.trainee();
  auto v = kiosk::views::trainee_view(store_, clock_, who);
  if (!v.ok()) return;
  for (const auto& c : v->courses) {
    if (!c.installed) continue;
    auto course = content::load_installed(store_.dir(), c.course_id);
    if (!course.ok()) continue;
    s_->course = *course;
    s_->exam_class = c.class_id;
    break;
  }
  if (!s_->course) {
    g.notice = {"lesson.none", "", false};
    return;
  }
  const content::Course& c = *s_->course;
  g.course_name = c.name;
  for (const auto& it : c.blueprint.items) g.questions += it.count;
  g.minutes = c.blueprint.time_limit_minutes;
  g.pass_mark = static_cast<int>(c.blueprint.pass_mark);
  auto open = kiosk::exam::open_attempt_of(store_, who, c.id);
  if (open.ok() && *open) {  // a paper in progress (power cut, restart): straight back to it
    auto run = kiosk::exam::resume_attempt(store_, clock_, **open, boot_id_);
    if (run.ok()) {
      s_->run = *run;
      nav_.go(Screen::kExam);
      return;
    }
  }
  auto el = kiosk::exam::eligibility(store_, who, c);
  g.eligible = el.ok() && el->eligible();
  if (el.ok() && el->already_passed) g.notice = {"exam.already_passed", "", false};
  auto sittings = kiosk::exam::open_sittings(store_, s_->exam_class);
  if (sittings.ok())
    for (const auto& st : *sittings)
      if (st.course_id == c.id) {
        s_->sitting_id = st.id;
        g.has_sitting = true;
        break;
      }
}

void App::load_question(int pos) {
  if (!s_->run) return;
  auto q = kiosk::exam::question(store_, clock_, *s_->run, pos);
  if (!q.ok()) return;
  s_->q = *q;
  // The question's picture, read (and hash-checked) once per question.
  if (q->image != s_->q_image) {
    s_->q_image = q->image;
    s_->q_image_png.clear();
    if (!q->image.empty() && s_->course) {
      auto version = content::installed_version(store_.dir(), s_->course->id);
      auto bytes = version.ok() ? content::read_installed_file(store_.dir(), s_->course->id,
                                                               *version, q->image)
                                : Result<std::string>(version.status());
      if (bytes.ok())
        s_->q_image_png = std::move(bytes).value();
      else
        spdlog::warn("question image {}: {}", q->image, bytes.status().to_string());
    }
  }
}

void App::finish_exam(std::string_view reason) {
  speech_.stop();
  auto r = kiosk::exam::submit(store_, clock_, *s_->run, reason);
  auto& v = s_->result;
  v = {};
  if (s_->trainee) v.name = s_->trainee->name;
  if (r.ok()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", static_cast<double>(r->theory_x100) / 100.0);
    v.score = buf;
    v.passed = r->passed;
    if (r->passed) {
      auto cert = kiosk::exam::issue_certificate(store_, clock_, *s_->course, nav_.trainee());
      if (cert.ok()) {
        v.has_certificate = true;
        v.name = cert->data.name;
        v.cert_number = cert->data.number;
        v.cert_course = cert->data.occupation + " " + cert->data.level;
        v.cert_date = cert->data.date;
        v.cert_status = cert->status;
        v.cert_qual_kind = cert->qual_kind;
        v.cert_qual_number = cert->qual_number;
        v.cert_reason = cert->reason;
      } else {
        v.notice = {has_string(cert.status().key()) ? cert.status().key() : "common.error",
                    has_string(cert.status().key()) ? "" : cert.status().message(), false};
      }
    }
  } else {
    v.notice = {"common.error", r.status().message(), false};
  }
  s_->run.reset();
  s_->confirming = false;
  nav_.exam_finished();
  reload_site();
}

void App::on_exam(const Action& a) {
  if (!s_->run || !s_->q) return;
  const auto& q = *s_->q;
  Status st;
  if (a.act == Act::kSelect) {
    kiosk::exam::Answer ans = q.answer;
    if (q.type == content::QuestionType::kTrueFalse)
      ans.truth = a.index == 0;
    else if (q.type == content::QuestionType::kMultiple) {
      auto it = std::find(ans.choices.begin(), ans.choices.end(), a.index);
      if (it != ans.choices.end())
        ans.choices.erase(it);
      else
        ans.choices.push_back(a.index);
      std::sort(ans.choices.begin(), ans.choices.end());
    } else
      ans.choices = {a.index};
    st = kiosk::exam::answer(store_, clock_, *s_->run, q.pos, ans);
  } else if (a.act == Act::kCommand) {
    if (a.text == "prev") st = kiosk::exam::go_to(store_, clock_, *s_->run, q.pos - 1);
    if (a.text == "next") st = kiosk::exam::go_to(store_, clock_, *s_->run, q.pos + 1);
    if (a.text == "flag") st = kiosk::exam::flag(store_, clock_, *s_->run, q.pos, !q.flagged);
    if (a.text == "stop") speech_.stop();
    if (a.text == "hear") {  // one option on its own
      std::string text;
      if (q.type == content::QuestionType::kTrueFalse)
        text = std::string(tr(lang_, a.index == 0 ? "exam.true" : "exam.false"));
      else if (a.index >= 0 && a.index < static_cast<int>(q.options.size()))
        text = std::string(1, static_cast<char>('A' + a.index)) + "，" +
               q.options[static_cast<std::size_t>(a.index)];
      Status sp = speech_.speak(text, lang_);
      if (!sp.ok()) spdlog::warn("read-aloud: {}", sp.message());
    }
    if (a.text == "speak") {
      std::string text = q.stem;
      for (std::size_t i = 0; i < q.options.size(); ++i)
        text += "。" + std::string(1, static_cast<char>('A' + i)) + "，" + q.options[i];
      Status sp = speech_.speak(text, lang_);
      reading_ = true;
      if (!sp.ok()) spdlog::warn("read-aloud: {}", sp.message());
    }
    if (a.text == "submit") {
      auto p = kiosk::exam::submit_preview(store_, *s_->run);
      s_->unanswered = p.ok() ? p->unanswered : 0;
      s_->confirming = true;
    }
    if (a.text == "keep") s_->confirming = false;
    if (a.text == "confirm") {
      finish_exam("manual");
      return;
    }
  }
  if (!st.ok() && st.key() == "exam.time_up") {
    finish_exam("timeout");
    return;
  }
  load_question(-1);
}

}  // namespace chz::app
