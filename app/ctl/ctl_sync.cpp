// kioskctl sync commands: enroll, sync, sync-status, export-usb, import-usb.
// Enrollment results live in the kiosk store's settings:
//   enroll.site_id, enroll.site_name, server.url, server.cert_pem (the
//   pinned county CA), county.content_pub, county.person_key,
//   county.bundle_pub, device.box_secret (X25519, site bundles are
//   encrypted to it), device_keys.json (device public keys for
//   certificate verification), sync.last_success_ms, sync.last_error.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>

#include "app/ctl/ctl.h"
#include "common/clock.h"
#include "common/fs.h"
#include "content/install.h"
#include "kiosk/certificate_issue.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/outbox.h"
#include "kiosk/record_sink.h"
#include "kiosk/store.h"
#include "sync/client/client.h"
#include "sync/client/usb.h"
#include "sync/protocol/box.h"

namespace chz::ctl {
namespace {

Result<Key32> setting_key(kiosk::Store& s, std::string_view name) {
  CHZ_ASSIGN_OR_RETURN(std::string h, s.setting(name));
  CHZ_ASSIGN_OR_RETURN(Bytes b, unhex(h));
  if (b.size() != 32)
    return Status(Code::kInvalidArgument, std::string(name) + " is not a 32-byte key");
  Key32 k;
  std::copy(b.begin(), b.end(), k.begin());
  return k;
}

Result<sync_client::Credentials> credentials(kiosk::Store& s) {
  auto url = s.setting("server.url");
  if (!url.ok())
    return Status(Code::kFailedPrecondition, "not enrolled yet (run enroll)", "sync.not_enrolled");
  CHZ_ASSIGN_OR_RETURN(kiosk::DeviceIdentity id, s.identity());
  auto ca = s.setting("server.cert_pem");
  return sync_client::Credentials{*url, ca.ok() ? *ca : std::string(), id.device_id, id.secret_key};
}

Status cmd_enroll(Context& ctx, const std::string& server, const std::string& code) {
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(kiosk::DeviceIdentity id, store.identity());
  auto box = sync::x25519_generate();
  std::string url = server;
  while (!url.empty() && url.back() == '/') url.pop_back();
  std::int64_t t0 = clock.now_ms();
  CHZ_ASSIGN_OR_RETURN(sync_client::Enrollment e,
                       sync_client::enroll(url, code, id.device_id, id.public_key, box.pub));
  std::int64_t t1 = clock.now_ms();
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : e.response.device_keys)
    keys.push_back({{"device", k.device}, {"pub", k.pub}, {"retired", k.retired}});
  Db& db = store.db();
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_TRY(store.set_setting("enroll.site_id", e.response.site_id));
    CHZ_TRY(store.set_setting("enroll.site_name", e.response.site_name));
    CHZ_TRY(store.set_setting("server.url", url));
    CHZ_TRY(store.set_setting("server.cert_pem", e.response.ca_pem));
    CHZ_TRY(store.set_setting("county.content_pub", e.response.content_pub));
    CHZ_TRY(store.set_setting("county.person_key", hex(e.person_key)));
    CHZ_TRY(store.set_setting("county.bundle_pub", e.response.bundle_pub));
    CHZ_TRY(store.set_setting("device.box_secret", hex(box.secret)));
    CHZ_TRY(store.set_setting("device_keys.json", keys.dump()));
    return kiosk::set_server_offset(db, e.response.server_time_ms - (t0 + t1) / 2);
  }));
  fmt::print("已注册 / enrolled: device {} at site {} ({})\n", id.device_id, e.response.site_id,
             e.response.site_name);
  fmt::print("  server        {}{}\n", url, e.response.ca_pem.empty() ? "" : " (county CA pinned)");
  return OkStatus();
}

// After a sync pass: fetches and installs every course package the county
// announced (content_published records in the inbox) that is newer than the
// installed version. Each package is checked against the announced SHA-256,
// then installed by content::install_package, which verifies the county's
// signature and refuses anything else; the installed version stays intact.
Status update_content(kiosk::Store& store, sync_client::Client& client,
                      const std::filesystem::path& data) {
  CHZ_ASSIGN_OR_RETURN(Key32 pub, setting_key(store, "county.content_pub"));
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, store.db().prepare("SELECT body FROM inbox WHERE kind = 'content_published'"));
  std::map<std::string, nlohmann::json> newest;  // course id -> announcement
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    auto j = nlohmann::json::parse(st.text(0), nullptr, false);
    if (!j.is_object() || !j.contains("course") || !j.contains("version") || !j.contains("package"))
      continue;
    auto course = j.value("course", std::string());
    if (!newest.count(course) || newest[course].value("version", 0LL) < j.value("version", 0LL))
      newest[course] = j;
  }
  for (const auto& [course, a] : newest) {
    auto have = content::installed_version(data, course);
    if (have.ok() && *have >= a.value("version", 0LL)) continue;
    std::string package = a.value("package", std::string());
    CHZ_ASSIGN_OR_RETURN(std::string pkg, client.fetch_content(package));
    if (hex(sha256(pkg)) != a.value("sha256", std::string()))
      return Status(Code::kTampered,
                    "content package " + package + " differs from its announcement");
    auto tmp = data / (".fetch-" + package + ".chzpkg");
    CHZ_TRY(write_file_atomic(tmp, pkg, 0600));
    auto r = content::install_package(data, tmp, {pub});
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    if (!r.ok()) return r.status();
    fmt::print("content      installed {} ({} bytes)\n", package, pkg.size());
  }
  return OkStatus();
}

Status cmd_sync(Context& ctx) {
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(auto cred, credentials(store));
  kiosk::KioskRecordSource src(store.db());
  kiosk::KioskRecordSink sink(store.db(), clock, &kiosk::exam::apply_exam_record);
  sync_client::Client client(cred, {}, clock);
  Status st = client.sync_once(src, sink, [](const sync_client::Progress& p) {
    fmt::print("{:<12} acknowledged {}/{}  downloaded {}\n", sync_client::state_name(p.state),
               p.acknowledged, p.last_seq, p.downloaded);
  });
  if (st.ok()) {
    CHZ_TRY(kiosk::set_server_offset(store.db(), client.offset_ms()));
    CHZ_TRY(store.set_setting("sync.last_success_ms",
                              std::to_string(clock.now_ms() + client.offset_ms())));
    CHZ_TRY(store.set_setting("sync.last_error", ""));
    st = update_content(store, client, ctx.data);
    if (!st.ok()) store.set_setting("sync.last_error", st.to_string()).ignore();
  } else {
    store.set_setting("sync.last_error", st.to_string()).ignore();
  }
  return st;
}

Status cmd_status(Context& ctx) {
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  auto get = [&](std::string_view k) {
    auto v = store.setting(k);
    return v.ok() ? *v : std::string("-");
  };
  kiosk::KioskRecordSource src(store.db());
  SystemClock clock;
  kiosk::KioskRecordSink sink(store.db(), clock);
  CHZ_ASSIGN_OR_RETURN(std::int64_t last, src.last_seq());
  CHZ_ASSIGN_OR_RETURN(std::int64_t ack, src.acknowledged());
  CHZ_ASSIGN_OR_RETURN(std::string feed, sink.feed_cursor());
  auto off = kiosk::server_offset(store.db());
  std::string when = get("sync.last_success_ms");
  fmt::print("site            {} {}\n", get("enroll.site_id"), get("enroll.site_name"));
  fmt::print("server          {}\n", get("server.url"));
  fmt::print("records         {} written, {} acknowledged, {} waiting\n", last, ack, last - ack);
  fmt::print("feed cursor     {}\n", feed.empty() ? "0" : feed);
  fmt::print("clock offset    {} ms\n", off.ok() ? *off : 0);
  fmt::print("last success    {}\n", when == "-" ? "never" : format_china_time(std::stoll(when)));
  std::string err = get("sync.last_error");
  fmt::print("last error      {}\n", err.empty() || err == "-" ? "none" : err);
  return OkStatus();
}

Status cmd_export(Context& ctx, const std::string& dir) {
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(kiosk::DeviceIdentity id, store.identity());
  CHZ_ASSIGN_OR_RETURN(Key32 county, setting_key(store, "county.bundle_pub"));
  kiosk::KioskRecordSource src(store.db());
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk::kiosk_now(store.db(), clock));
  CHZ_ASSIGN_OR_RETURN(auto ex, sync_client::export_usb(src, id.secret_key, county, now));
  std::filesystem::path out =
      std::filesystem::path(dir) /
      fmt::format("chizheng-{}-{}-{}.chzb", id.device_id, ex.first_seq, ex.last_seq);
  CHZ_TRY(write_file_atomic(out, ex.bytes, 0600));
  if (ex.last_seq == 0)
    fmt::print("nothing waiting; wrote an empty bundle {}\n", out.string());
  else
    fmt::print("wrote {} (records {}..{})\n", out.string(), ex.first_seq, ex.last_seq);
  return OkStatus();
}

Status cmd_import(Context& ctx, const std::string& file) {
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(Key32 content, setting_key(store, "county.content_pub"));
  CHZ_ASSIGN_OR_RETURN(Key32 box, setting_key(store, "device.box_secret"));
  CHZ_ASSIGN_OR_RETURN(std::string bytes, read_file(file, 512u << 20));
  kiosk::KioskRecordSource src(store.db());
  kiosk::KioskRecordSink sink(store.db(), clock, &kiosk::exam::apply_exam_record);
  CHZ_ASSIGN_OR_RETURN(auto im, sync_client::import_site_bundle(bytes, content, box, src, sink));
  fmt::print("imported {} records from the county; acknowledged up to {}\n", im.applied,
             im.acknowledged);
  return OkStatus();
}

}  // namespace

void add_sync_commands(CLI::App& app, Context& ctx) {
  auto* enroll =
      app.add_subcommand("enroll", "enroll this kiosk with the county server (one-time code)");
  auto server = std::make_shared<std::string>();
  auto code = std::make_shared<std::string>();
  enroll->add_option("--server", *server, "county server URL, e.g. https://county:8443")
      ->required();
  enroll->add_option("--code", *code, "one-time enrollment code")->required();
  on_run(enroll, ctx, [&ctx, server, code] { return cmd_enroll(ctx, *server, *code); });

  auto* sync = app.add_subcommand("sync", "one sync pass with the county server (prints progress)");
  on_run(sync, ctx, [&ctx] { return cmd_sync(ctx); });

  auto* status = app.add_subcommand("sync-status", "what is waiting, last success, last error");
  on_run(status, ctx, [&ctx] { return cmd_status(ctx); });

  auto* exp =
      app.add_subcommand("export-usb", "write not-yet-acknowledged records as a USB bundle");
  auto dir = std::make_shared<std::string>();
  exp->add_option("dir", *dir, "folder on the USB stick")->required();
  on_run(exp, ctx, [&ctx, dir] { return cmd_export(ctx, *dir); });

  auto* imp = app.add_subcommand("import-usb", "import a site bundle from the county");
  auto file = std::make_shared<std::string>();
  imp->add_option("file", *file, "the site bundle")->required();
  on_run(imp, ctx, [&ctx, file] { return cmd_import(ctx, *file); });
}

}  // namespace chz::ctl
