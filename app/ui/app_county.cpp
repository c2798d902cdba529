// The app's dealings with the county: first-run enrollment (by code, or
// from a file on a USB stick), the background sync thread and the sync
// screen (sync now, USB export and import), and the admin screen (course
// packages from USB, key rotation, logs). Network work never runs on the UI
// thread: enrollment runs on its own thread with its own store connection,
// sync on ops::SyncWorker's.
#include <spdlog/spdlog.h>

#include <filesystem>

#include "app/ui/app_state.h"
#include "common/clock.h"

namespace chz::app {

namespace {
// What a running sync pass is doing, in the UI's language: "上传中 120/300 ↓4".
std::string state_text(Lang lang, const sync_client::Progress& p) {
  std::string key = "sync.state." + std::string(sync_client::state_name(p.state));
  std::string_view name = has_string(key) ? tr(lang, key) : sync_client::state_name(p.state);
  return fmt::format("{} {}/{} ↓{}", name, p.acknowledged, p.last_seq, p.downloaded);
}
}  // namespace

void App::start_sync(bool asked) {
  if ((!opts_.background_sync && !asked) || sync_ || !s_->site.enrolled) return;
  // Without background sync the thread only runs the passes asked for.
  long interval = opts_.background_sync ? opts_.sync_interval_ms : 24L * 3600 * 1000;
  sync_ = std::make_unique<ops::SyncWorker>(store_.dir(), sync_clock_, interval);
  sync_->start();
  spdlog::info("sync thread started (every {} s)", interval / 1000);
}

void App::on_enroll(const Action& a) {
  auto& e = s_->enroll;
  if (enrolling_.valid()) return;  // an answer is awaited
  std::string& target = e.focus == 0 ? e.server : e.code;
  auto submit = [&] {
    e.notice = {"enroll.working", "", true};
    std::filesystem::path dir = store_.dir();
    std::string server = e.server, code = e.code;
    enrolling_ = std::async(std::launch::async, [dir, server, code]() -> Result<ops::EnrollResult> {
      SystemClock clock;
      CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(dir));
      return ops::enroll(store, clock, server, code);
    });
  };
  switch (a.act) {
    case Act::kSelect:
      e.focus = a.index;
      break;
    case Act::kKey:
      if (a.text == "del")
        target = utf8_pop_back(target);
      else if (target.size() < 64)
        target += a.text;
      e.notice = {};
      break;
    case Act::kSubmit:
      submit();
      break;
    case Act::kSecondary: {
      auto f = ops::read_enroll_file(ops::find_usb_dir(opts_.usb_dir));
      if (!f.ok()) {
        e.notice = refusal(f.status());
        break;
      }
      e.server = f->server;
      e.code = f->code;
      submit();
      break;
    }
    default:
      break;
  }
}

bool App::poll_background() {
  bool changed = false;
  if (enrolling_.valid() &&
      enrolling_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    auto r = enrolling_.get();
    changed = true;
    if (r.ok()) {
      spdlog::info("enrolled at site {} as device {}", r->site_id, r->device_id);
      s_->enroll = {};
      reload_site();
      nav_.enrolled();
      s_->flash = {"enroll.done", "", true};
      start_sync();
    } else {
      spdlog::warn("enrollment refused: {}", r.status().to_string());
      s_->enroll.notice = refusal(r.status());
    }
  }
  if (sync_) {
    auto snap = sync_->snapshot();
    if (snap.passes != seen_passes_) {
      seen_passes_ = snap.passes;
      if (snap.last_error.empty())
        spdlog::info("sync pass done: acknowledged {}/{}, {} downloaded, {} course(s) installed",
                     snap.progress.acknowledged, snap.progress.last_seq, snap.progress.downloaded,
                     snap.courses_installed.size());
      reload_site();
      changed = true;
    }
    if (nav_.screen() == Screen::kSync) {
      bool was = s_->sync.running;
      std::string before = s_->sync.progress;
      refresh_sync_view();
      changed = changed || was != s_->sync.running || before != s_->sync.progress;
    }
  }
  return changed;
}

void App::refresh_sync_view() {
  auto& v = s_->sync;
  auto st = ops::sync_status(store_, clock_);
  if (st.ok()) {
    v.site_name = st->site_name;
    v.server = st->server_url;
    v.written = st->written;
    v.waiting = st->waiting();
    v.last_success = st->last_success_ms ? format_china_time(st->last_success_ms) : "";
    v.last_error = st->last_error;
  }
  v.running = false;
  v.progress.clear();
  if (sync_) {
    auto snap = sync_->snapshot();
    v.running = snap.running;
    if (snap.running) v.progress = state_text(lang_, snap.progress);
    if (!snap.running && snap.passes > 0) v.last_error = snap.last_error;
  }
  v.usb_dir = ops::find_usb_dir(opts_.usb_dir).string();
}

void App::on_sync(const Action& a) {
  if (a.act != Act::kCommand) return;
  auto& v = s_->sync;
  v.notice = {};
  std::filesystem::path usb = ops::find_usb_dir(opts_.usb_dir);
  if (a.text == "sync") {
    if (!s_->site.enrolled) {
      v.notice = {"sync.not_enrolled", "", false};
      return;
    }
    bool fresh = !sync_;
    start_sync(true);
    if (sync_ && !fresh) sync_->trigger();  // a fresh worker runs a pass at once
    v.running = true;
    v.progress = std::string(sync_client::state_name(sync_client::Progress::State::kConnecting));
    return;
  }
  if (a.text == "usb_export") {
    auto r = ops::export_usb(store_, clock_, usb);
    if (!r.ok()) {
      v.notice = refusal(r.status());
      return;
    }
    spdlog::info("USB export: records {}..{}", r->first_seq, r->last_seq);
    v.notice = r->last_seq
                   ? Notice{"usb.exported", std::to_string(r->last_seq - r->first_seq + 1), true}
                   : Notice{"usb.exported_empty", "", true};
  }
  if (a.text == "usb_import") {
    // The county writes "chizheng-site-<device>....chzb" (chizheng-server
    // export-site-bundle --device D --out ...); take the newest for this kiosk.
    std::filesystem::path newest;
    std::filesystem::file_time_type newest_t{};
    auto id = store_.identity();
    std::string prefix = "chizheng-site-" + (id.ok() ? id->device_id : std::string("?"));
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(usb, ec)) {
      std::string name = e.path().filename().string();
      if (name.rfind(prefix, 0) != 0 || e.path().extension() != ".chzb") continue;
      auto t = e.last_write_time(ec);
      if (newest.empty() || t > newest_t) {
        newest = e.path();
        newest_t = t;
      }
    }
    if (newest.empty()) {
      v.notice = {"usb.no_site_bundle", "", false};
      return;
    }
    auto r = ops::import_usb(store_, clock_, newest);
    if (!r.ok()) {
      v.notice = refusal(r.status());
      return;
    }
    spdlog::info("USB import: {} new of {} records, acknowledged up to {}", r->applied, r->received,
                 r->acknowledged);
    v.notice = r->applied == 0 ? Notice{"usb.nothing_new", "", true}
                               : Notice{"usb.imported", std::to_string(r->applied), true};
    reload_site();
  }
  refresh_sync_view();
}

void App::enter_admin() {
  s_->admin = {};
  auto d = kiosk::views::device_view(store_);
  if (d.ok()) s_->admin.device = *d;
  s_->admin.site_name = s_->site.site_name;
  s_->admin.voice_on = prompts_on_;
  s_->admin.volume = speech_.volume();
}

void App::on_admin(const Action& a) {
  if (a.act != Act::kCommand) return;
  auto& v = s_->admin;
  v.notice = {};
  v.details.clear();
  if (a.text == "exit") quit_ = true;  // the admin PIN was asked on the way in
  if (a.text == "sync") nav_.go(Screen::kSync);
  if (a.text == "logs") nav_.go(Screen::kAdminLogs);
  if (a.text == "voice" || a.text == "volume_down" || a.text == "volume_up") {
    int vol = speech_.volume() + (a.text == "volume_up" ? 20 : a.text == "volume_down" ? -20 : 0);
    Status st = set_voice(a.text == "voice" ? !prompts_on_ : prompts_on_, vol);
    if (!st.ok()) v.notice = refusal(st);
    v.voice_on = prompts_on_;
    v.volume = speech_.volume();
    if (st.ok() && a.text != "voice")  // hear the new volume
      (void)speech_.speak(tr(lang_, "prompt.signin"), lang_);
  }
  if (a.text == "rotate") {
    Status st = store_.rotate_key();
    if (st.ok()) spdlog::info("store key rotated");
    v.notice = st.ok() ? Notice{"admin.rotated", "", true} : refusal(st);
  }
  if (a.text == "content_usb") {
    auto r = ops::install_content_from(store_, ops::find_usb_dir(opts_.usb_dir));
    if (!r.ok()) {
      v.notice = refusal(r.status());
      return;
    }
    for (const auto& c : r->installed) spdlog::info("course installed from USB: {}", c);
    for (const auto& c : r->refused) spdlog::warn("course package refused: {}", c);
    v.notice = r->refused.empty()
                   ? Notice{"admin.content_done", std::to_string(r->installed.size()), true}
                   : Notice{"admin.content_refused", std::to_string(r->refused.size()), false};
    for (const auto& c : r->installed) v.details.push_back("✓ " + c);
    for (const auto& c : r->skipped) v.details.push_back("= " + c);
    for (const auto& c : r->refused) v.details.push_back("✗ " + c);
  }
}

}  // namespace chz::app
