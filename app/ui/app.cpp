#include "app/ui/app.h"

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

struct App::State {
  kiosk::views::SiteView site;
  EnrollView enroll;
  SignInView sign_in;
  PinView pin;
  std::string pin_typed;
  Notice flash;  // a one-off message on the welcome screen (idle reset...)
  std::optional<kiosk::views::TraineeView> trainee;
  CheckInView check_in;
  std::vector<kiosk::views::LessonListView> lessons;
  std::optional<kiosk::views::LessonView> lesson;
  std::vector<MdBlock> blocks;
  int page = 0;
  Speech speech;
  // exam
  std::optional<content::Course> course;
  std::string exam_class, sitting_id, code_typed;
  ExamGateView gate;
  std::optional<kiosk::exam::AttemptRun> run;
  std::optional<kiosk::exam::QuestionView> q;
  bool confirming = false;
  int unanswered = 0;
  ExamResultView result;
  // trainer
  std::vector<kiosk::views::StaffButton> staff;
  std::string pin_staff;  // who is typing a PIN
  kiosk::Actor actor;     // signed-in staff
  std::optional<kiosk::views::TrainerView> trainer;
  std::string proctor_code;
  Notice trainer_notice;
  RosterView roster;
  std::string roster_session, roster_class;
  AdminView admin;
};

namespace {
Notice refusal(const Status& st) {
  if (has_string(st.key())) return {st.key(), "", false};
  return {"common.error", st.key().empty() ? st.message() : st.key(), false};
}

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
  reload_site();
}

App::~App() = default;

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
  body.add_text("●*·");
  large.add_text("●*·");
  body.add_text(s_->site.site_name);
  auto corpus = kiosk::views::glyph_corpus(store_);
  if (corpus.ok()) body.add_text(*corpus);
  // Names and titles also appear large; lesson text only in body size.
  auto people = kiosk::list_people(store_.db());
  if (people.ok())
    for (const auto& p : *people) large.add_text(p.name);
  auto lists = kiosk::views::lesson_lists(store_, "");
  if (lists.ok())
    for (const auto& l : *lists) {
      large.add_text(l.course_name);
      for (const auto& it : l.lessons) large.add_text(it.title);
    }
}

void App::on_input() {
  last_input_ms_ = clock_.steady_ms();
}

bool App::tick() {
  bool changed = false;
  if (nav_.in_exam() && s_->run) {
    auto t = kiosk::exam::tick(store_, clock_, *s_->run);
    if (t.ok() && t->submitted) {
      finish_exam("timeout");
      return true;
    }
    std::int64_t sec = clock_.now_ms() / 1000;
    if (sec != shown_second_) {
      shown_second_ = sec;
      if (s_->q && t.ok()) s_->q->remaining_ms = t->remaining_ms;
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
  s_->speech.stop();
  s_ = std::make_unique<State>();
  reload_site();
  s_->flash = {"idle.reset", "", false};
  return true;
}

std::int64_t App::ms_until_deadline() const {
  if (nav_.in_exam()) return 1000 - clock_.now_ms() % 1000;  // the exam clock ticks each second
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
      s_->pin.title = std::string(ui.t(sc == Screen::kAdminPin ? "admin.pin" : "trainer.pin"));
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
        LessonScreenView lv{&*s_->lesson, &s_->blocks, s_->page, s_->speech.speaking(), true};
        b = draw_lesson(ui, lv);
      }
      break;
    case Screen::kExamGate:
      s_->gate.code_digits = static_cast<int>(s_->code_typed.size());
      b = draw_exam_gate(ui, s_->gate);
      break;
    case Screen::kExam:
      if (s_->q)
        b = draw_exam(ui, ExamView{&*s_->q, s_->confirming, s_->unanswered, s_->speech.speaking()});
      break;
    case Screen::kExamResult:
      b = draw_exam_result(ui, s_->result);
      break;
    case Screen::kTrainerPick:
      b = draw_trainer_pick(ui, s_->staff);
      break;
    case Screen::kTrainerHome:
      if (s_->trainer)
        b = draw_trainer_home(ui,
                              TrainerHomeView{&*s_->trainer, s_->proctor_code, s_->trainer_notice});
      break;
    case Screen::kTrainerSession:
      b = draw_roster(ui, s_->roster);
      break;
    case Screen::kAdmin:
      b = draw_admin(ui, s_->admin);
      break;
    default:
      ui.text(screen_name(sc), FontRole::kLarge);
      break;
  }
  return b ? b : a;
}

bool App::frame(Ui& ui) {
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
  return true;
}

void App::enter(Screen sc) {
  if (sc != Screen::kLesson) s_->speech.stop();
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
    case Screen::kAdmin: {
      s_->admin = {};
      auto d = kiosk::views::device_view(store_);
      if (d.ok()) s_->admin.device = *d;
      s_->admin.site_name = s_->site.site_name;
      break;
    }
    case Screen::kExam:
      load_question(-1);
      break;
    default:
      break;
  }
}

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
  if (q.ok()) s_->q = *q;
}

void App::finish_exam(std::string_view reason) {
  s_->speech.stop();
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
    if (a.text == "stop") s_->speech.stop();
    if (a.text == "speak") {
      std::string text = q.stem;
      for (std::size_t i = 0; i < q.options.size(); ++i)
        text += "。" + std::string(1, static_cast<char>('A' + i)) + "，" + q.options[i];
      Status sp = s_->speech.speak(text);
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

void App::do_check_in() {
  auto& c = s_->check_in;
  c = {};
  auto v = kiosk::views::trainee_view(store_, clock_, nav_.trainee());
  if (!v.ok()) {
    c.notice = {v.status().key().empty() ? "common.error" : v.status().key(), v.status().message(),
                false};
    return;
  }
  s_->trainee = *v;
  c.name = v->name;
  if (!v->current) {
    c.notice = {"checkin.no_session", "", false};
    return;
  }
  kiosk::Actor me = kiosk::Actor::trainee(nav_.trainee());
  bool out = v->current->checked_in;
  auto r = out ? kiosk::check_out(store_.db(), clock_, me, v->current->session_id, nav_.trainee())
               : kiosk::check_in(store_.db(), clock_, me, v->current->session_id, nav_.trainee());
  if (!r.ok()) {
    c.notice = {has_string(r.status().key()) ? r.status().key() : "common.error",
                has_string(r.status().key()) ? "" : r.status().key(), false};
    return;
  }
  c.done = true;
  c.checked_in = !out;
  c.session = v->current->class_name + " " + v->current->when;
  c.time = format_china_time(clock_.now_ms());
  reload_site();
}

void App::on_sign_in_key(const std::string& k) {
  auto& v = s_->sign_in;
  if (k == "del")
    v.typed = utf8_pop_back(v.typed);
  else if (k == "clear")
    v.typed.clear();
  else if (v.typed.size() < 18)
    v.typed += k;
  v.masked = sync::mask_id_number(v.typed);
  if (v.typed.size() < 18) {
    // Show what was typed, grouped, with the birth date hidden.
    std::string m;
    for (std::size_t i = 0; i < v.typed.size(); ++i) {
      if (i == 6 || i == 14) m += ' ';
      m += (i >= 4 && i < 14) ? '*' : v.typed[i];
    }
    v.masked = m;
  } else {
    std::string full = sync::mask_id_number(v.typed);
    v.masked = full.substr(0, 6) + " " + full.substr(6, 8) + " " + full.substr(14);
  }
  v.complete_and_valid = false;
  v.notice = {};
  if (v.typed.size() == 18) {
    auto id = sync::parse_id_number(v.typed);
    if (id.ok()) {
      v.complete_and_valid = true;
      v.notice = {"signin.valid", "", true};
    } else {
      v.notice = {id.status().key(), "", false};
    }
  }
}

void App::on_enroll(const Action& a) {
  auto& e = s_->enroll;
  std::string& target = e.focus == 0 ? e.server : e.code;
  switch (a.act) {
    case Act::kSelect:
      e.focus = a.index;
      break;
    case Act::kKey:
      if (a.text == "del")
        target = utf8_pop_back(target);
      else if (target.size() < 64)
        target += a.text;
      break;
    case Act::kSubmit:
    case Act::kSecondary:
      // The enrollment exchange belongs to sync/client; until it answers,
      // say so plainly instead of pretending.
      e.notice = {"enroll.unavailable", "", false};
      break;
    default:
      break;
  }
}

void App::apply(Ui& ui, const Action& a) {
  switch (a.act) {
    case Act::kToggleLang:
      ui.lang = ui.lang == Lang::kZh ? Lang::kEn : Lang::kZh;
      return;
    case Act::kHome:
      nav_.home();
      s_->sign_in = {};
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
        s_->pin_staff = s_->staff[static_cast<std::size_t>(a.index)].id;
        s_->pin_typed.clear();
        s_->pin = {};
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
      if (a.act != Act::kCommand) return;
      if (a.text == "exit") quit_ = true;  // the admin PIN was asked on the way in
      if (a.text == "rotate") {
        Status st = store_.rotate_key();
        s_->admin.notice = st.ok() ? Notice{"admin.rotated", "", true} : refusal(st);
      }
      if (a.text == "content_usb") s_->admin.notice = {"admin.no_usb", "", false};
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
      if (a.text == "stop") s_->speech.stop();
      if (a.text == "speak") {
        Status st = s_->speech.speak(s_->lesson->title + "。" + speakable_text(s_->blocks));
        if (!st.ok()) spdlog::warn("read-aloud: {}", st.message());
      }
      return;
    default:
      return;
  }
}

void App::on_pin_submit() {
  std::string pin = s_->pin_typed;
  s_->pin_typed.clear();
  if (nav_.screen() == Screen::kTrainerPin) {
    auto actor = kiosk::sign_in(store_.db(), clock_, s_->pin_staff, pin);
    if (!actor.ok()) {
      s_->pin.notice = refusal(actor.status());
      return;
    }
    s_->actor = *actor;
    s_->proctor_code.clear();
    s_->trainer_notice = {};
    nav_.staff_signed_in(actor->id);
    return;
  }
  // Admin: a site admin's PIN (any active site admin on this kiosk).
  auto staff = kiosk::list_staff(store_.db());
  if (staff.ok()) {
    for (const auto& st : *staff) {
      if (st.role != kiosk::Role::kSiteAdmin || !st.active) continue;
      auto actor = kiosk::sign_in(store_.db(), clock_, st.id, pin);
      if (actor.ok()) {
        s_->actor = *actor;
        nav_.go(Screen::kAdmin);
        return;
      }
    }
  }
  s_->pin.notice = {"staff.pin_wrong", "", false};
}

void App::reload_trainer() {
  auto v = kiosk::views::trainer_view(store_, clock_, nav_.staff());
  if (v.ok()) s_->trainer = *v;
}

void App::reload_roster() {
  auto& r = s_->roster;
  auto lines = kiosk::class_roster(store_.db(), clock_, s_->roster_class);
  r.lines = lines.ok() ? *lines : std::vector<kiosk::RosterLine>{};
}

void App::on_trainer_home(const Action& a) {
  if (a.act != Act::kCommand || !s_->trainer) return;
  if (a.index < 0 || a.index >= static_cast<int>(s_->trainer->today.size())) return;
  const auto row = s_->trainer->today[static_cast<std::size_t>(a.index)];
  s_->trainer_notice = {};
  if (a.text == "open") {
    Status st = kiosk::open_session(store_.db(), clock_, s_->actor, row.session_id);
    if (!st.ok()) s_->trainer_notice = refusal(st);
  } else if (a.text == "roster") {
    s_->roster = {};
    s_->roster.title = row.class_name + "  " + row.when;
    s_->roster_session = row.session_id;
    s_->roster_class = row.class_id;
    nav_.go(Screen::kTrainerSession);
    return;
  } else if (a.text == "sitting") {
    auto course = content::load_installed(store_.dir(), row.course_id);
    if (!course.ok()) {
      s_->trainer_notice = {"lesson.none", "", false};
      return;
    }
    auto sitting = kiosk::exam::open_sitting(store_, clock_, s_->actor, *course, row.class_id);
    if (!sitting.ok())
      s_->trainer_notice = refusal(sitting.status());
    else
      s_->proctor_code = sitting->proctor_code;
  }
  reload_trainer();
  reload_site();
}

void App::on_roster(const Action& a) {
  if (a.act != Act::kCommand) return;
  auto& r = s_->roster;
  Db& db = store_.db();
  r.notice = {};
  auto person = [&]() -> std::string {
    return a.index >= 0 && a.index < static_cast<int>(r.lines.size())
               ? r.lines[static_cast<std::size_t>(a.index)].person
               : std::string();
  };
  if (a.text == "in" || a.text == "out") {
    auto res = a.text == "in"
                   ? kiosk::check_in(db, clock_, s_->actor, s_->roster_session, person())
                   : kiosk::check_out(db, clock_, s_->actor, s_->roster_session, person());
    if (!res.ok()) r.notice = refusal(res.status());
  } else if (a.text == "correct") {
    r.correcting = a.index;
  } else if (a.text == "cancel") {
    r.correcting = -1;
  } else if (a.text.rfind("reason:", 0) == 0 && r.correcting >= 0) {
    std::string who = r.lines[static_cast<std::size_t>(r.correcting)].person;
    std::string reason(
        tr(Lang::kZh, a.text.substr(7)));  // stored in Chinese, the record's language
    auto ev = kiosk::effective_events(db, s_->roster_session, who);
    r.correcting = -1;
    if (!ev.ok() || ev->empty()) return;
    auto res =
        kiosk::correct_attendance(db, clock_, s_->actor, ev->back().uuid, std::nullopt, reason);
    r.notice = res.ok() ? Notice{"trainer.corrected", "", true} : refusal(res.status());
  } else if (a.text == "close") {
    kiosk::CloseDecision d;
    d.missing = kiosk::MissingCheckout::kCreditToClose;
    auto res = kiosk::close_session(db, clock_, s_->actor, s_->roster_session, d);
    if (!res.ok()) {
      r.notice = refusal(res.status());
      return;
    }
    s_->trainer_notice = {"trainer.closed",
                          std::to_string(res->present.size() + res->credit_to_close.size()), true};
    nav_.back();
    return;
  }
  reload_roster();
  reload_site();
}

void App::open_lesson(const std::string& course, int index) {
  auto l = kiosk::views::lesson_view(store_, course, index);
  if (!l.ok()) return;
  s_->lesson = *l;
  s_->blocks = parse_markdown(l->markdown);
  s_->page = 0;
  nav_.go(Screen::kLesson);
}

}  // namespace chz::app
