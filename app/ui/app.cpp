#include "app/ui/app.h"

#include "app/ui/app_state.h"
#include "app/ui/log_buffer.h"

#include <algorithm>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "app/ui/markdown.h"
#include "app/ui/speech.h"
#include "content/install.h"
#include "kiosk/actor.h"
#include "kiosk/attendance.h"
#include "kiosk/certificate_issue.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"
#include "kiosk/views/site_view.h"
#include "kiosk/views/trainee_view.h"
#include "kiosk/views/trainer_view.h"
#include "sync/protocol/idcard.h"

namespace chz::app {

namespace {

bool read_enrolled(kiosk::Store& store) {
  auto v = kiosk::views::site_view(store);
  return v.ok() && v->enrolled;
}
}  // namespace

App::App(kiosk::Store& store, const Clock& clock, AppOptions opts)
    : store_(store),
      clock_(clock),
      opts_(opts),
      nav_(read_enrolled(store)),
      s_(std::make_unique<State>()),
      boot_id_(kiosk::exam::new_boot_id()) {
  last_input_ms_ = clock_.steady_ms();
  logs_ = std::make_unique<LogBuffer>();
  reload_site();
  load_voice_settings();
  prompted_screen_ = nav_.screen();  // nothing said at start: nobody may be there
  prompt_ = prompt_for(prompted_screen_);
  start_sync();
}

App::~App() {
  if (sync_) sync_->stop();
}

void App::reload_site() {
  auto v = kiosk::views::site_view(store_);
  if (v.ok()) s_->site = *v;
}

void App::glyph_seed(GlyphSet& body, GlyphSet& large) {
  for (const auto& e : string_table()) {
    body.add_text(e.zh);
    body.add_text(e.en);
    large.add_text(e.zh);
    large.add_text(e.en);
  }
  body.add_text("●*·…✓✗↓−′");
  large.add_text("●*·…✓✗↓−′");
  body.add_text(s_->site.site_name);
  large.add_text(s_->site.site_name);
  // Names and titles also appear large; lesson text only in body size.
  auto corpus = kiosk::views::glyph_corpus(store_);
  if (corpus.ok()) {
    body.add_text(corpus->body);
    large.add_text(corpus->titles);
  }
}

void App::on_input() {
  last_input_ms_ = clock_.steady_ms();
}

bool App::tick() {
  bool changed = poll_background();
  if (nav_.in_exam() && s_->run) {
    auto t = kiosk::exam::tick(store_, clock_, *s_->run);
    if (t.ok() && t->submitted) {
      finish_exam("timeout");
      prompt_if_moved();
      return true;
    }
    std::int64_t sec = clock_.now_ms() / 1000;
    if (sec != shown_second_) {
      shown_second_ = sec;
      if (s_->q && t.ok()) {
        s_->q->remaining_ms = t->remaining_ms;
        warn_exam_time(t->remaining_ms);
      }
      changed = true;
    }
  }
  std::int64_t minute = clock_.now_ms() / 60'000;
  if (minute != shown_minute_) {
    shown_minute_ = minute;
    changed = true;
  }
  if (!nav_.idle_reset_allowed()) return changed;
  if (clock_.steady_ms() - last_input_ms_ < opts_.idle_timeout_s * 1000LL) return changed;
  nav_.home();
  speech_.stop();
  s_ = std::make_unique<State>();
  reload_site();
  s_->flash = {"idle.reset", "", false};
  large_text_ = false;               // the visit is over
  prompted_screen_ = nav_.screen();  // back to welcome in silence: the trainee left
  prompt_ = prompt_for(prompted_screen_);
  return true;
}

std::int64_t App::ms_until_deadline() const {
  if (nav_.in_exam()) return 1000 - clock_.now_ms() % 1000;  // the exam clock ticks each second
  // An enrollment answer or a sync pass on screen: look again soon.
  if (enrolling_.valid() || (nav_.screen() == Screen::kSync && s_->sync.running)) return 250;
  std::int64_t next_minute = 60'000 - clock_.now_ms() % 60'000;
  if (!nav_.idle_reset_allowed()) return next_minute;
  std::int64_t idle = last_input_ms_ + opts_.idle_timeout_s * 1000LL - clock_.steady_ms();
  return std::max<std::int64_t>(0, std::min(next_minute, idle));
}

Action App::draw_current(Ui& ui) {
  TopBarView top;
  top.site = &s_->site;
  top.clock = format_china_time(clock_.now_ms()).substr(11);
  Screen sc = nav_.screen();
  top.show_back = sc != Screen::kWelcome && sc != Screen::kEnroll && sc != Screen::kExam;
  top.show_home = top.show_back && sc != Screen::kSignIn;
  top.show_replay = !prompt_.empty() && is_trainee_screen(sc);
  Action a = draw_top_bar(ui, top);
  Action b;
  switch (sc) {
    case Screen::kEnroll:
      b = draw_enroll(ui, s_->enroll);
      break;
    case Screen::kWelcome:
      if (!s_->flash.empty()) ui.text_centered(s_->flash.text(ui), FontRole::kBody, color::kWarn);
      b = draw_welcome(ui, s_->site);
      break;
    case Screen::kSignIn:
      b = draw_sign_in(ui, s_->sign_in);
      break;
    case Screen::kAdminPin:
    case Screen::kTrainerPin:
      s_->pin.title = std::string(ui.t(sc == Screen::kAdminPin ? "admin.pin"
                                       : s_->pin_setup == 1    ? "pin.enter_setup_code"
                                       : s_->pin_setup == 2    ? "pin.new"
                                       : s_->pin_setup == 3    ? "pin.again"
                                                               : "trainer.pin"));
      s_->pin.digits = static_cast<int>(s_->pin_typed.size());
      s_->pin.who.clear();
      for (const auto& st : s_->staff)
        if (sc == Screen::kTrainerPin && st.id == s_->pin_staff) s_->pin.who = st.name;
      b = draw_pin(ui, s_->pin);
      break;
    case Screen::kTraineeHome:
      if (s_->trainee) b = draw_trainee_home(ui, *s_->trainee);
      break;
    case Screen::kCheckIn:
      b = draw_check_in(ui, s_->check_in);
      break;
    case Screen::kLessonList:
      b = draw_lesson_list(ui, s_->lessons);
      break;
    case Screen::kLesson:
      if (s_->lesson) {
        LessonScreenView lv{
            &*s_->lesson, &s_->blocks, &s_->images, s_->page, reading_ && speech_.speaking(), true};
        b = draw_lesson(ui, lv);
      }
      break;
    case Screen::kExamGate:
      s_->gate.code_digits = static_cast<int>(s_->code_typed.size());
      b = draw_exam_gate(ui, s_->gate);
      break;
    case Screen::kExam:
      if (s_->q)
        b = draw_exam(ui, ExamView{&*s_->q, s_->confirming, s_->unanswered,
                                   reading_ && speech_.speaking(), &s_->q_image_png});
      break;
    case Screen::kExamResult:
      b = draw_exam_result(ui, s_->result);
      break;
    case Screen::kTrainerPick:
      b = draw_trainer_pick(ui, s_->staff);
      break;
    case Screen::kTrainerHome:
      if (s_->trainer)
        b = draw_trainer_home(ui, TrainerHomeView{&*s_->trainer, s_->proctor_code,
                                                  s_->trainer_notice, s_->doubted_time});
      break;
    case Screen::kTrainerSession:
      b = draw_roster(ui, s_->roster);
      break;
    case Screen::kAdmin:
      b = draw_admin(ui, s_->admin);
      break;
    case Screen::kAdminLogs:
      b = draw_logs(ui, logs_->lines());
      break;
    case Screen::kSync:
      b = draw_sync(ui, s_->sync);
      break;
    case Screen::kTrainerAddSession:
      b = draw_add_session(ui, s_->add_session);
      break;
    case Screen::kTrainerScores:
      b = draw_scores(ui, s_->scores);
      break;
    case Screen::kTrainerWalkIn:
      b = draw_walk_in(ui, walk_in_view(ui));
      break;
    default:
      ui.text(screen_name(sc), FontRole::kLarge);
      break;
  }
  return b ? b : a;
}

bool App::frame(Ui& ui) {
  lang_ = ui.lang;
  ui.large_text = large_text_;
  ui.begin_screen("##screen");
  Action a = draw_current(ui);
  ui.end_screen();
  if (!a) return false;
  Screen before = nav_.screen();
  apply(ui, a);
  while (nav_.screen() != before) {  // entering may move on (e.g. resume an exam)
    before = nav_.screen();
    enter(before);
  }
  prompt_if_moved();
  return true;
}

void App::prompt_if_moved() {
  Screen now = nav_.screen();
  bool new_question = now == Screen::kExam && s_->q && s_->q->pos != s_->said_question;
  if (now == prompted_screen_ && !new_question) return;
  prompted_screen_ = now;
  if (now == Screen::kExam && s_->q) s_->said_question = s_->q->pos;
  if (!is_trainee_screen(now)) {
    prompt_.clear();
    return;
  }
  say(prompt_for(now));
}

void App::enter(Screen sc) {
  if (sc != Screen::kLesson) speech_.stop();
  const std::string& who = nav_.trainee();
  switch (sc) {
    case Screen::kTraineeHome: {
      auto v = kiosk::views::trainee_view(store_, clock_, who);
      if (v.ok()) s_->trainee = *v;
      break;
    }
    case Screen::kCheckIn:
      do_check_in();
      break;
    case Screen::kLessonList: {
      auto l = kiosk::views::lesson_lists(store_, who);
      s_->lessons = l.ok() ? *l : std::vector<kiosk::views::LessonListView>{};
      break;
    }
    case Screen::kWelcome:
      reload_site();
      break;
    case Screen::kExamGate:
      enter_exam_gate();
      break;
    case Screen::kTrainerPick: {
      auto st = kiosk::views::staff_buttons(store_);
      s_->staff = st.ok() ? *st : std::vector<kiosk::views::StaffButton>{};
      break;
    }
    case Screen::kTrainerHome:
      reload_trainer();
      break;
    case Screen::kTrainerSession:
      reload_roster();
      break;
    case Screen::kAdmin:
      enter_admin();
      break;
    case Screen::kSync:
      s_->sync = {};
      refresh_sync_view();
      break;
    case Screen::kTrainerAddSession:
      enter_add_session();
      break;
    case Screen::kTrainerScores:
      enter_scores();
      break;
    case Screen::kTrainerWalkIn:
      enter_walk_in();
      break;
    case Screen::kExam:
      load_question(-1);
      break;
    default:
      break;
  }
}

void App::apply(Ui& ui, const Action& a) {
  switch (a.act) {
    case Act::kToggleLang:
      ui.lang = ui.lang == Lang::kZh ? Lang::kEn : Lang::kZh;
      lang_ = ui.lang;
      prompt_ = prompt_for(nav_.screen());  // the replay button speaks the new language
      return;
    case Act::kReplay:
      replay_prompt();
      return;
    case Act::kLargeText:
      large_text_ = !large_text_;
      ui.large_text = large_text_;
      return;
    case Act::kHome:
      if (nav_.screen() != Screen::kExam) large_text_ = false;  // the visit is over
      nav_.home();
      s_->sign_in = {};
      s_->actor = {};
      s_->staff_pin.clear();
      return;
    case Act::kBack:
      nav_.back();
      s_->pin_typed.clear();
      return;
    default:
      break;
  }
  s_->flash = {};
  switch (nav_.screen()) {
    case Screen::kEnroll:
      on_enroll(a);
      return;
    case Screen::kWelcome:
      if (a.act == Act::kIntent) {
        s_->sign_in = {};
        nav_.start_sign_in(a.intent);
      } else if (a.act == Act::kGo) {
        s_->pin_typed.clear();
        s_->pin = {};
        nav_.go(a.screen);
      }
      return;
    case Screen::kSignIn:
      if (a.act == Act::kKey) on_sign_in_key(a.text);
      if (a.act == Act::kSubmit) {
        auto p = kiosk::find_person_by_id_number(store_.db(), s_->sign_in.typed);
        if (!p.ok()) {
          s_->sign_in.notice = {"signin.not_found", "", false};
          return;
        }
        s_->sign_in = {};
        nav_.signed_in(p->key);
      }
      return;
    case Screen::kAdminPin:
    case Screen::kTrainerPin:
      if (a.act == Act::kKey) {
        if (a.text == "del")
          s_->pin_typed = utf8_pop_back(s_->pin_typed);
        else if (s_->pin_typed.size() < 8)
          s_->pin_typed += a.text;
        s_->pin.notice = {};
      }
      if (a.act == Act::kSubmit) on_pin_submit();
      return;
    case Screen::kTrainerPick:
      if (a.act == Act::kSelect && a.index < static_cast<int>(s_->staff.size())) {
        const auto& who = s_->staff[static_cast<std::size_t>(a.index)];
        s_->pin_staff = who.id;
        s_->pin_typed.clear();
        s_->pin = {};
        // No PIN yet: straight to setting one with the county's setup code.
        s_->pin_setup = who.has_pin ? 0 : 1;
        if (!who.has_pin) s_->pin.notice = {"pin.first_time", "", true};
        nav_.go(Screen::kTrainerPin);
      }
      return;
    case Screen::kTrainerHome:
      on_trainer_home(a);
      return;
    case Screen::kTrainerSession:
      on_roster(a);
      return;
    case Screen::kAdmin:
      on_admin(a);
      return;
    case Screen::kSync:
      on_sync(a);
      return;
    case Screen::kTrainerAddSession:
      on_add_session(a);
      return;
    case Screen::kTrainerScores:
      on_scores(a);
      return;
    case Screen::kTrainerWalkIn:
      on_walk_in(a);
      return;
    case Screen::kTraineeHome:
      if (a.act == Act::kGo) nav_.go(a.screen);
      return;
    case Screen::kExamGate:
      if (a.act == Act::kKey) {
        if (a.text == "del")
          s_->code_typed = utf8_pop_back(s_->code_typed);
        else if (s_->code_typed.size() < 6)
          s_->code_typed += a.text;
        s_->gate.notice = {};
      }
      if (a.act == Act::kSubmit && s_->course) {
        auto run =
            kiosk::exam::start_attempt(store_, clock_, *s_->course, nav_.trainee(), s_->sitting_id,
                                       s_->code_typed, boot_id_, kiosk::exam::new_seed());
        s_->code_typed.clear();
        if (!run.ok()) {
          s_->gate.notice = {has_string(run.status().key()) ? run.status().key() : "common.error",
                             has_string(run.status().key()) ? "" : run.status().message(), false};
          return;
        }
        s_->run = *run;
        nav_.go(Screen::kExam);
      }
      return;
    case Screen::kExam:
      on_exam(a);
      return;
    case Screen::kExamResult:
      return;
    case Screen::kCheckIn:
      if (a.act == Act::kSubmit) nav_.back();
      return;
    case Screen::kLessonList:
      if (a.act == Act::kSelect)
        open_lesson(s_->lessons.at(static_cast<std::size_t>(a.index / 1000)).course_id,
                    a.index % 1000);
      return;
    case Screen::kLesson:
      if (a.act != Act::kCommand) return;
      if (a.text == "page.next") ++s_->page;
      if (a.text == "page.prev" && s_->page > 0) --s_->page;
      if (a.text == "stop") speech_.stop();
      if (a.text == "speak") {
        Status st = speech_.speak(s_->lesson->title + "。" + speakable_text(s_->blocks), lang_);
        reading_ = true;
        if (!st.ok()) spdlog::warn("read-aloud: {}", st.message());
      }
      return;
    default:
      return;
  }
}

}  // namespace chz::app
