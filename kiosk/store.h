// The kiosk's encrypted store: one data folder per terminal.
//
//   <data>/store.db, store.key, store.id, store.lock   (see common/store_file.h)
//   <data>/backups/                        pre-migration copies (encrypted)
//
// The device identity (device id + Ed25519 key pair) is created in the
// store on `init`, on this terminal, never baked into an image.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/db.h"
#include "common/store_file.h"

namespace chz::kiosk {

struct DeviceIdentity {
  std::string device_id;  // "kiosk-" + 12 hex chars, random
  Key32 public_key{};
  Key32 secret_key{};  // never leaves the store
  std::int64_t created_ms = 0;
};

struct StoreInfo {
  std::filesystem::path dir;
  int schema_version = 0;
  int schema_latest = 0;
  std::string cipher_version;
  std::uintmax_t db_bytes = 0;
  std::uintmax_t wal_bytes = 0;
  std::string device_id;
  std::map<std::string, std::int64_t> row_counts;  // table -> rows
};

class Store {
 public:
  // Creates <dir> (0700), the key file, the store, the schema and the
  // device identity. kAlreadyExists if a store is already there.
  static Result<Store> init(const std::filesystem::path& dir, const Clock& clock,
                            const StoreOpenOptions& o = {});
  // Opens an existing store; migrates an older schema after copying the
  // store to <dir>/backups/; refuses a newer one (kNewerSchema).
  static Result<Store> open(const std::filesystem::path& dir, const StoreOpenOptions& o = {});

  Db& db() { return db_; }
  const std::filesystem::path& dir() const { return dir_; }
  StorePaths paths() const { return StorePaths::in(dir_); }

  Result<DeviceIdentity> identity();
  Result<StoreInfo> info();
  // PRAGMA integrity_check, then every registered deep check (the audit
  // chain, ...). OK iff all pass; the message lists every problem.
  Status check();
  // Re-encrypts under a fresh key (common/store_file.h rekey_store): only
  // while no other connection has the store open; kUnavailable
  // ("store.busy") otherwise, with nothing changed and this store still open.
  Status rotate_key();

  // Settings: a small key/value table in the store.
  Status set_setting(std::string_view key, std::string_view value);
  Result<std::string> setting(std::string_view key);  // kNotFound if unset

 private:
  Store(std::filesystem::path dir, Db db) : dir_(std::move(dir)), db_(std::move(db)) {}
  std::filesystem::path dir_;
  Db db_;
};

// The one ordered migration list of the kiosk store (kiosk/schema.cpp).
std::span<const Migration> kiosk_migrations();

// Deep checks run by Store::check() besides integrity_check. Each area of
// the core adds its own in kiosk/schema.cpp's list (e.g. the audit chain).
struct StoreCheck {
  std::string_view name;
  Status (*run)(Db&);
};
std::span<const StoreCheck> kiosk_store_checks();

}  // namespace chz::kiosk
