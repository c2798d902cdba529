// Spoken prompts: entering a trainee screen says once, in one short
// sentence, what it is and what to do; the exam says each question's number,
// the time left at 5 and 1 minutes, and the result. Every sentence comes
// from the string table ("prompt.*"), in the UI's language. The kiosk-wide
// switch and volume are store settings (admin screen), so a site where the
// voice disturbs a class can turn it down or off.
#include <spdlog/spdlog.h>

#include "app/ui/app_state.h"
#include "kiosk/settings_keys.h"

namespace chz::app {

namespace {
std::string notice_text(Lang lang, const Notice& n) {
  return n.arg.empty() ? std::string(tr(lang, n.key)) : trf(lang, n.key, n.arg);
}
}  // namespace

void App::load_voice_settings() {
  auto on = store_.setting(kiosk::settings::kVoicePrompts);
  prompts_on_ = !on.ok() || *on != "off";
  auto vol = store_.setting(kiosk::settings::kVoiceVolume);
  int v = 80;
  if (vol.ok()) {
    try {
      v = std::stoi(*vol);
    } catch (const std::exception&) {
      v = 80;
    }
  }
  speech_.set_volume(v);
}

Status App::set_voice(bool on, int volume) {
  volume = std::clamp(volume, 0, 100);
  CHZ_TRY(store_.set_setting(kiosk::settings::kVoicePrompts, on ? "on" : "off"));
  CHZ_TRY(store_.set_setting(kiosk::settings::kVoiceVolume, std::to_string(volume)));
  load_voice_settings();
  return OkStatus();
}

void App::say(const std::string& text) {
  if (text.empty()) return;
  prompt_ = text;
  if (!prompts_on_) return;
  reading_ = false;
  Status st = speech_.speak(text, lang_);
  if (!st.ok()) spdlog::warn("spoken prompt: {}", st.message());
}

void App::replay_prompt() {
  if (prompt_.empty()) return;
  reading_ = false;
  Status st = speech_.speak(prompt_, lang_);  // asked for: plays even with prompts off
  if (!st.ok()) spdlog::warn("spoken prompt: {}", st.message());
}

std::string App::prompt_for(Screen sc) const {
  const Lang l = lang_;
  switch (sc) {
    case Screen::kWelcome:
      return std::string(tr(l, "prompt.welcome"));
    case Screen::kSignIn:
      return std::string(tr(l, "prompt.signin"));
    case Screen::kTraineeHome:
      return s_->trainee ? trf(l, "prompt.trainee_home", s_->trainee->name) : std::string();
    case Screen::kCheckIn: {
      const auto& c = s_->check_in;
      if (c.done) return trf(l, c.checked_in ? "prompt.checked_in" : "prompt.checked_out", c.name);
      return c.notice.empty() ? std::string() : notice_text(l, c.notice);
    }
    case Screen::kLessonList:
      return std::string(tr(l, s_->lessons.empty() ? "lesson.none" : "prompt.lesson_list"));
    case Screen::kLesson:
      return s_->lesson ? trf(l, "prompt.lesson", s_->lesson->title) : std::string();
    case Screen::kExamGate: {
      const auto& g = s_->gate;
      if (!g.notice.empty()) return notice_text(l, g.notice);
      if (!g.eligible) return std::string(tr(l, "exam.not_eligible"));
      if (!g.has_sitting) return std::string(tr(l, "exam.no_sitting"));
      return std::string(tr(l, "prompt.exam_gate"));
    }
    case Screen::kExam:
      return s_->q ? trf(l, "prompt.question", std::to_string(s_->q->pos + 1),
                         std::to_string(s_->q->count))
                   : std::string();
    case Screen::kExamResult: {
      const auto& r = s_->result;
      if (r.score.empty()) return notice_text(l, r.notice);
      std::string s = trf(l, r.passed ? "prompt.result_passed" : "prompt.result_failed", r.score);
      if (r.has_certificate) s += tr(l, "prompt.certificate");
      return s;
    }
    default:
      return {};
  }
}

void App::warn_exam_time(std::int64_t remaining_ms) {
  // Said once each, on the way down; a paper resumed with less than a
  // minute left hears only the last warning.
  if (remaining_ms <= 60'000 && s_->time_warned > 1) {
    s_->time_warned = 1;
    say(std::string(tr(lang_, "prompt.time_1")));
  } else if (remaining_ms <= 300'000 && remaining_ms > 60'000 && s_->time_warned > 5) {
    s_->time_warned = 5;
    say(std::string(tr(lang_, "prompt.time_5")));
  }
}

}  // namespace chz::app
