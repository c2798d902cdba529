// kioskctl sync commands: enroll, sync, sync-status, export-usb, import-usb.
// The work is app/ops/kiosk_ops.h (shared with the kiosk UI); this file
// prints for people.
#include <fmt/format.h>

#include <filesystem>

#include "app/ctl/ctl.h"
#include "app/ops/kiosk_ops.h"
#include "common/clock.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/store.h"

namespace chz::ctl {
namespace {

Status cmd_enroll(Context& ctx, const std::string& server, const std::string& code) {
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(ops::EnrollResult e, ops::enroll(store, clock, server, code));
  fmt::print("已注册 / enrolled: device {} at site {} ({})\n", e.device_id, e.site_id, e.site_name);
  fmt::print("  server        {}{}\n", e.server_url, e.ca_pinned ? " (county CA pinned)" : "");
  if (e.device_number != 0)
    fmt::print("  certificates  {}-YY-{:03}-NNNN (device number {:03})\n", e.area_code,
               e.device_number, e.device_number);
  else
    fmt::print("  certificates  <site>-<device>-<seq> (the county sent no area code)\n");
  return OkStatus();
}

Status cmd_sync(Context& ctx) {
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(auto r, ops::sync_pass(store, clock, [](const sync_client::Progress& p) {
                         fmt::print("{:<12} acknowledged {}/{}  downloaded {}\n",
                                    sync_client::state_name(p.state), p.acknowledged, p.last_seq,
                                    p.downloaded);
                       }));
  for (const auto& c : r.courses_installed) fmt::print("content      installed {}\n", c);
  return OkStatus();
}

Status cmd_status(Context& ctx) {
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(ops::SyncStatus s, ops::sync_status(store, clock));
  auto dash = [](const std::string& v) { return v.empty() ? std::string("-") : v; };
  fmt::print("site            {} {}\n", dash(s.site_id), dash(s.site_name));
  fmt::print("server          {}\n", dash(s.server_url));
  fmt::print("records         {} written, {} acknowledged, {} waiting\n", s.written, s.acknowledged,
             s.waiting());
  fmt::print("feed cursor     {}\n", s.feed_cursor.empty() ? "0" : s.feed_cursor);
  fmt::print("clock offset    {} ms\n", s.offset_ms);
  fmt::print("last success    {}\n",
             s.last_success_ms ? format_china_time(s.last_success_ms) : "never");
  fmt::print("last error      {}\n", s.last_error.empty() ? "none" : s.last_error);
  return OkStatus();
}

Status cmd_export(Context& ctx, const std::string& dir) {
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(ops::UsbExportResult ex, ops::export_usb(store, clock, dir));
  if (ex.last_seq == 0)
    fmt::print("nothing waiting; wrote an empty bundle {}\n", ex.file.string());
  else
    fmt::print("wrote {} (records {}..{})\n", ex.file.string(), ex.first_seq, ex.last_seq);
  return OkStatus();
}

Status cmd_import(Context& ctx, const std::string& file) {
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(ops::UsbImportResult im, ops::import_usb(store, clock, file));
  if (im.applied == 0)
    fmt::print(
        "nothing new: the {} records in this bundle were all here already; acknowledged "
        "up to {}\n",
        im.received, im.acknowledged);
  else
    fmt::print(
        "imported {} new records from the county ({} in the bundle, {} already here); "
        "acknowledged up to {}\n",
        im.applied, im.received, im.received - im.applied, im.acknowledged);
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
