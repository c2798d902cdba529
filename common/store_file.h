// An encrypted store on disk: the SQLCipher database file, its key file and
// a small plaintext identity file, all in one data folder:
//
//   <dir>/<name>.db      SQLCipher 3 (AES-256-CBC + HMAC per page), 4 KiB pages
//   <dir>/<name>.key     "chizheng-key v1" + 256-bit raw key (hex), mode 0600
//   <dir>/<name>.id      "chizheng-store v1" + the db file's 16-byte salt (hex);
//                        not secret; lets us tell a wrong key from a foreign
//                        or damaged file without any plaintext in the db.
//   <dir>/<name>.lock    empty; every open connection holds a shared lock on
//                        it (common/fs.h FileLock), creation and key rotation
//                        an exclusive one, so the files are never replaced
//                        under a connection that is still writing to them.
//
// The raw key is used as is (PRAGMA key = "x'..'"), so opening costs no KDF.
// Both the kiosk (kiosk/store.h) and the county server use this.
#pragma once

#include <filesystem>
#include <string>

#include "common/crypto.h"
#include "common/db.h"

namespace chz {

inline constexpr int kStorePageSize = 4096;

struct StorePaths {
  std::filesystem::path db, key, id, lock;
  static StorePaths in(const std::filesystem::path& dir, const std::string& name = "store");
};

struct StoreOpenOptions {
  // A registered SQLite VFS name (tests use the fault VFS); empty = default.
  std::string vfs;
  // Also how long open waits for a rotation in progress, and how long a
  // rotation waits for other connections to close.
  int busy_timeout_ms = 5000;
};

// Reads a key file. kMissingKeyFile if absent; kInsecureKeyFile if group or
// others may read or write it (the message says which mode it has);
// kInvalidArgument if it is not a Chizheng key file.
Result<Key32> read_key_file(const std::filesystem::path& path);
// Writes a key file atomically with mode 0600.
Status write_key_file(const std::filesystem::path& path, const Key32& key);

// Creates a new store with a fresh random key, holding the folder's lock
// exclusively meanwhile: of two creations at once one wins and the other gets
// kUnavailable ("store.busy"). Refuses (kAlreadyExists) if a store is there,
// and says what is there when only part of one is (a key without its db is
// damage, never a reason to start afresh). On failure nothing this call
// created is left behind, and nothing it did not create is touched.
Result<Db> create_store(const StorePaths& p, const StoreOpenOptions& o = {});

// Opens an existing store with its key file, then sets WAL,
// synchronous=FULL, foreign keys and the busy timeout. Distinct errors:
// kMissingKeyFile, kInsecureKeyFile, kNotFound (no db), kWrongKey,
// kNotAStore (plain SQLite or a foreign file), kCorrupt (right key, damaged
// or truncated file), kNoEncryption (SQLCipher absent), kReadOnly, kDiskFull.
// A failed open writes nothing to the folder but the lock file. A missing or
// empty db beside an existing key or id file is damage (kCorrupt, with how to
// restore), never a new store. Waits up to busy_timeout_ms for a rotation in
// progress (then kUnavailable, "store.busy"). The connection holds the
// folder's shared lock until it closes.
Result<Db> open_store(const StorePaths& p, const StoreOpenOptions& o = {});

// Opens `path` with `key` (no key file), for backups and tools.
Result<Db> open_store_with_key(const std::filesystem::path& path, const Key32& key,
                               const StoreOpenOptions& o = {});

// SQLCipher's version string (e.g. "3.4.1"); kNoEncryption if the linked
// SQLite is not SQLCipher.
Result<std::string> cipher_version(Db& db);

// Re-encrypts the store under a new random key: sqlcipher_export into a new
// file, then swaps db, key and id files. `db` must come from open_store: its
// shared lock is converted to exclusive first, waiting up to busy_timeout_ms
// for every other connection (other processes, other threads) to close; if
// any stays open, kUnavailable ("store.busy") and nothing changes, `db` still
// open. A crash at any point leaves a store that open_store opens (old or new
// key). On success `db` is the reopened store under the new key.
Status rekey_store(const StorePaths& p, Db& db, const StoreOpenOptions& o = {});

// Copies a consistent snapshot of an open store to a new file `to`,
// encrypted with `key` (sqlcipher_export; user_version kept). Never reads
// the store's file through another descriptor: closing one would drop this
// process's POSIX locks on it, and another process could then checkpoint
// and delete the WAL while this connection still writes to it.
Status backup_store(Db& db, const Key32& key, const std::filesystem::path& to);

}  // namespace chz
