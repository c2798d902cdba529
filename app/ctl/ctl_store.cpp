// kioskctl store commands: init, status, check, rotate-key.
#include <fmt/format.h>

#include <iostream>

#include "app/ctl/ctl.h"
#include "common/clock.h"
#include "kiosk/store.h"

namespace chz::ctl {

namespace {

Status cmd_init(Context& ctx) {
  SystemClock clock;
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::init(ctx.data, clock));
  CHZ_ASSIGN_OR_RETURN(kiosk::DeviceIdentity id, store.identity());
  CHZ_ASSIGN_OR_RETURN(std::string cv, cipher_version(store.db()));
  auto p = store.paths();
  fmt::print("已创建 kiosk store / created\n");
  fmt::print("  data folder   {}\n", ctx.data.string());
  fmt::print("  store         {} (SQLCipher {})\n", p.db.string(), cv);
  fmt::print("  key file      {} (mode 0600)\n", p.key.string());
  fmt::print("  device id     {}\n", id.device_id);
  fmt::print("  device key    ed25519:{}\n", hex(id.public_key));
  fmt::print("next: chizheng-kioskctl --data {} enroll --server URL --code CODE\n",
             ctx.data.string());
  return OkStatus();
}

Status cmd_status(Context& ctx, bool json) {
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(kiosk::StoreInfo in, store.info());
  if (json) {
    std::string counts;
    for (auto& [t, n] : in.row_counts)
      counts += fmt::format("{}\"{}\":{}", counts.empty() ? "" : ",", t, n);
    fmt::print(
        "{{\"schema_version\":{},\"schema_latest\":{},\"cipher_version\":\"{}\",\"db_bytes\":{},"
        "\"wal_bytes\":{},\"device_id\":\"{}\",\"rows\":{{{}}}}}\n",
        in.schema_version, in.schema_latest, in.cipher_version, in.db_bytes, in.wal_bytes,
        in.device_id, counts);
    return OkStatus();
  }
  fmt::print("store         {}\n", store.paths().db.string());
  fmt::print("schema        v{} (this program knows v{})\n", in.schema_version, in.schema_latest);
  fmt::print("encryption    SQLCipher {} (AES-256, raw 256-bit key)\n", in.cipher_version);
  fmt::print("size          {} bytes + {} bytes WAL\n", in.db_bytes, in.wal_bytes);
  fmt::print("device id     {}\n", in.device_id);
  auto site = store.setting("enroll.site_id");
  fmt::print("enrolled      {}\n", site.ok() ? "site " + *site : std::string("no (run enroll)"));
  fmt::print("rows\n");
  for (auto& [t, n] : in.row_counts) fmt::print("  {:<28} {}\n", t, n);
  return OkStatus();
}

Status cmd_check(Context& ctx) {
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  Status st = store.check();
  if (!st.ok()) return st;
  fmt::print("ok: integrity_check passed");
  for (const auto& c : kiosk::kiosk_store_checks()) fmt::print(", {} ok", c.name);
  fmt::print("\n");
  return OkStatus();
}

Status cmd_rotate(Context& ctx) {
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_TRY(store.rotate_key());
  fmt::print("ok: store re-encrypted under a new key; {} replaced\n", store.paths().key.string());
  return OkStatus();
}

}  // namespace

void add_store_commands(CLI::App& app, Context& ctx) {
  on_run(app.add_subcommand("init",
                            "create the data folder, its key (0600), the encrypted store "
                            "and this device's identity"),
         ctx, [&] { return cmd_init(ctx); });
  auto* status =
      app.add_subcommand("status", "print store version, cipher version, sizes, row counts");
  static bool json = false;
  status->add_flag("--json", json, "machine-readable output");
  on_run(status, ctx, [&] { return cmd_status(ctx, json); });
  on_run(app.add_subcommand("check",
                            "run PRAGMA integrity_check and the deep checks (audit chain); "
                            "exit non-zero on any problem"),
         ctx, [&] { return cmd_check(ctx); });
  on_run(app.add_subcommand("rotate-key", "re-encrypt the store under a fresh random key"), ctx,
         [&] { return cmd_rotate(ctx); });
}

}  // namespace chz::ctl
