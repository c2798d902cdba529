#include "common/store_file.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>

#include "common/fs.h"

namespace chz {

namespace fs = std::filesystem;

StorePaths StorePaths::in(const fs::path& dir, const std::string& name) {
  return {dir / (name + ".db"), dir / (name + ".key"), dir / (name + ".id"),
          dir / (name + ".lock")};
}

static fs::path with_suffix(const fs::path& p, const char* s) {
  return fs::path(p.string() + s);
}

static constexpr std::string_view kKeyMagic = "chizheng-key v1";
static constexpr std::string_view kIdMagic = "chizheng-store v1";

Result<Key32> read_key_file(const fs::path& path) {
  struct stat sb;
  if (::stat(path.c_str(), &sb) != 0)
    return Status(Code::kMissingKeyFile, "key file " + path.string() + " is missing",
                  "store.missing_key");
  if (sb.st_mode & 077) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", sb.st_mode & 07777);
    return Status(Code::kInsecureKeyFile,
                  "key file " + path.string() + " has mode " + mode +
                      ": others can read it; run `chmod 600` on it after checking who copied it",
                  "store.insecure_key");
  }
  CHZ_ASSIGN_OR_RETURN(std::string text, read_file(path, 4096));
  // Format: first line magic, second line 64 hex chars.
  auto nl = text.find('\n');
  if (nl == std::string::npos || text.substr(0, nl) != kKeyMagic)
    return Status(Code::kInvalidArgument, path.string() + " is not a Chizheng key file");
  std::string line = text.substr(nl + 1);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  auto b = unhex(line);
  if (!b.ok() || b->size() != 32)
    return Status(Code::kInvalidArgument, path.string() + " does not hold a 256-bit key");
  Key32 k;
  std::copy(b->begin(), b->end(), k.begin());
  return k;
}

Status write_key_file(const fs::path& path, const Key32& key) {
  return write_file_atomic(path, std::string(kKeyMagic) + "\n" + hex(key) + "\n", 0600);
}

static Result<std::string> read_salt_of_db(const fs::path& db) {
  std::ifstream in(db, std::ios::binary);
  char buf[16];
  if (!in.read(buf, 16)) return Status(Code::kCorrupt, "store file is shorter than its header");
  return std::string(buf, 16);
}

static Status write_id_file(const StorePaths& p) {
  CHZ_ASSIGN_OR_RETURN(std::string salt, read_salt_of_db(p.db));
  return write_file_atomic(p.id, std::string(kIdMagic) + "\n" + hex(as_bytes(salt)) + "\n", 0644);
}

static std::optional<std::string> read_id_salt(const fs::path& id) {
  auto t = read_file(id, 4096);
  if (!t.ok()) return std::nullopt;
  auto nl = t->find('\n');
  if (nl == std::string::npos || t->substr(0, nl) != kIdMagic) return std::nullopt;
  std::string line = t->substr(nl + 1, 32);
  auto b = unhex(line);
  if (!b.ok() || b->size() != 16) return std::nullopt;
  return std::string(b->begin(), b->end());
}

Result<std::string> cipher_version(Db& db) {
  auto v = db.query_text("PRAGMA cipher_version");
  if (!v.ok() || v->empty())
    return Status(Code::kNoEncryption,
                  "SQLCipher did not answer PRAGMA cipher_version: this build would store data "
                  "unencrypted, so it refuses to run",
                  "store.no_encryption");
  return *v;
}

// Opens the connection and applies the key; does not touch the file yet.
static Result<Db> raw_open(const fs::path& path, const Key32& key, bool create,
                           const StoreOpenOptions& o) {
  sqlite3* h = nullptr;
  (void)create;  // callers check existence; CREATE is also needed by ATTACH (rekey)
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &h, flags, o.vfs.empty() ? nullptr : o.vfs.c_str());
  Db db(h);
  if (rc != SQLITE_OK) return sqlite_error(h, rc, "cannot open store " + path.string());
  CHZ_TRY(cipher_version(db).status());
  std::string pragma = "PRAGMA key = \"x'" + hex(key) + "'\"";
  CHZ_TRY(db.exec(pragma));
  CHZ_TRY(db.exec("PRAGMA cipher_page_size = " + std::to_string(kStorePageSize)));
  sqlite3_busy_timeout(h, o.busy_timeout_ms);
  return db;
}

static Status configure(Db& db) {
  CHZ_TRY(db.exec("PRAGMA journal_mode = WAL"));
  CHZ_TRY(db.exec("PRAGMA synchronous = FULL"));
  CHZ_TRY(db.exec("PRAGMA foreign_keys = ON"));
  return OkStatus();
}

// Explains why a store that exists would not open.
static Status diagnose(const StorePaths& p, const Status& raw) {
  std::error_code ec;
  auto size = fs::file_size(p.db, ec);
  if (ec) return Status(Code::kIoError, "cannot read " + p.db.string());
  std::string head;
  {
    std::ifstream in(p.db, std::ios::binary);
    head.resize(16);
    in.read(head.data(), 16);
    head.resize(static_cast<size_t>(in.gcount()));
  }
  if (head.size() == 16 && std::memcmp(head.data(), "SQLite format 3\0", 16) == 0)
    return Status(Code::kNotAStore,
                  p.db.string() + " is a plain, unencrypted SQLite file, not a Chizheng store",
                  "store.not_a_store");
  if (size < static_cast<std::uintmax_t>(kStorePageSize) || size % kStorePageSize != 0)
    return Status(Code::kCorrupt,
                  p.db.string() + " is truncated or damaged (" + std::to_string(size) +
                      " bytes is not a whole number of pages)",
                  "store.corrupt");
  auto id_salt = read_id_salt(p.id);
  if (id_salt && *id_salt != head)
    return Status(Code::kNotAStore,
                  p.db.string() +
                      " is not the store this folder was created with "
                      "(the file was replaced by something else)",
                  "store.not_a_store");
  if (id_salt && raw.code() == Code::kCorrupt)
    return Status(Code::kCorrupt, p.db.string() + " is damaged: " + raw.message(), "store.corrupt");
  return Status(Code::kWrongKey,
                "the key file " + p.key.string() + " does not open " + p.db.string() +
                    (id_salt ? " (wrong key, or the store's first page is damaged)"
                             : " (wrong key, or not a Chizheng store)"),
                "store.wrong_key");
}

Result<Db> open_store_with_key(const fs::path& path, const Key32& key, const StoreOpenOptions& o) {
  CHZ_ASSIGN_OR_RETURN(Db db, raw_open(path, key, false, o));
  // Reading the schema forces decryption of page 1.
  auto n = db.query_int("SELECT count(*) FROM sqlite_master");
  if (!n.ok()) return n.status();
  CHZ_TRY(configure(db));
  return db;
}

static Status finish_interrupted_rekey(const StorePaths& p, const StoreOpenOptions& o);

// A store that is not there, or only partly: what to tell the operator.
// Returns OK iff the db file exists and is not empty.
static Status check_present(const StorePaths& p) {
  std::error_code ec;
  bool db = fs::exists(p.db, ec), key = fs::exists(p.key, ec), id = fs::exists(p.id, ec);
  std::string dir = p.db.parent_path().string();
  std::string restore =
      ": restore it from a backup (the folder's backups/ holds the pre-migration copies), or "
      "move the whole folder aside and run `init` to start this terminal as a new device";
  if (!db && (key || id))
    return Status(Code::kCorrupt,
                  p.db.string() + " is missing but its key file and store.id are still in " + dir +
                      ": the store's database was deleted or moved, not never created" + restore,
                  "store.missing_db");
  if (!db)
    return Status(Code::kNotFound, "no store at " + p.db.string() + " (run `init` first)",
                  "store.not_found");
  auto size = fs::file_size(p.db, ec);
  if (!ec && size == 0)
    return Status(Code::kCorrupt,
                  p.db.string() +
                      " is empty (0 bytes): the store was truncated, and the device identity, "
                      "enrollment and records in it are gone from this file" +
                      restore,
                  "store.empty_db");
  return OkStatus();
}

Result<Db> open_store(const StorePaths& p, const StoreOpenOptions& o) {
  std::error_code ec;
  if (!fs::exists(p.db, ec) && !fs::exists(p.key, ec) && !fs::exists(p.id, ec))
    return check_present(p);  // nothing here at all: no lock file either
  CHZ_ASSIGN_OR_RETURN(FileLock lock,
                       FileLock::acquire(p.lock, FileLock::Mode::kShared, o.busy_timeout_ms));
  if (fs::exists(with_suffix(p.key, ".new"), ec) || fs::exists(with_suffix(p.db, ".rekey"), ec)) {
    // A rotation was cut short; finishing it rewrites files, so alone.
    CHZ_TRY(lock.convert(FileLock::Mode::kExclusive, o.busy_timeout_ms));
    CHZ_TRY(finish_interrupted_rekey(p, o));
    CHZ_TRY(lock.convert(FileLock::Mode::kShared, 0));
  }
  CHZ_TRY(check_present(p));
  CHZ_ASSIGN_OR_RETURN(Key32 key, read_key_file(p.key));
  // SQLite reads only page 1 at open; a file cut mid-page would fail later.
  auto size = fs::file_size(p.db, ec);
  if (!ec && size % kStorePageSize != 0) return diagnose(p, Status(Code::kCorrupt, "size"));
  auto db = open_store_with_key(p.db, key, o);
  if (db.ok()) {
    db->hold(std::move(lock));
    return db;
  }
  Code c = db.status().code();
  if (c == Code::kNotAStore || c == Code::kCorrupt) return diagnose(p, db.status());
  return db.status();
}

Result<Db> create_store(const StorePaths& p, const StoreOpenOptions& o) {
  std::error_code ec;
  fs::create_directories(p.db.parent_path(), ec);
  if (ec)
    return Status(Code::kIoError,
                  "cannot create folder " + p.db.parent_path().string() + ": " + ec.message());
  // Alone in the folder: a second creation at once is refused, not raced.
  auto lock = FileLock::acquire(p.lock, FileLock::Mode::kExclusive, 0);
  if (!lock.ok()) {
    if (lock.status().code() != Code::kUnavailable) return lock.status();
    return Status(Code::kUnavailable,
                  "another program is creating or using the store at " + p.db.string() +
                      "; nothing was created",
                  "store.busy");
  }
  bool db_there = fs::exists(p.db, ec), key_there = fs::exists(p.key, ec);
  if (db_there && key_there)
    return Status(Code::kAlreadyExists, "a store already exists at " + p.db.string(),
                  "store.exists");
  if (key_there)
    return Status(Code::kAlreadyExists,
                  "the key file " + p.key.string() + " is here but " + p.db.string() +
                      " is missing: this folder held a store whose database is gone. Restore "
                      "the database from a backup, or move the folder aside to start a new "
                      "device; a new store here would throw the old key away",
                  "store.missing_db");
  if (db_there)
    return Status(Code::kAlreadyExists,
                  p.db.string() + " is here but its key file " + p.key.string() +
                      " is missing: restore the key file (without it the store cannot be read); "
                      "a new store here would replace the old one",
                  "store.missing_key");
  Key32 key = random_key32();
  // Only what this call creates is removed on failure; the lock keeps any
  // other creation out meanwhile.
  auto cleanup = [&] {
    fs::remove(p.db, ec);
    fs::remove(p.key, ec);
    fs::remove(p.id, ec);
    fs::remove(fs::path(p.db.string() + "-wal"), ec);
    fs::remove(fs::path(p.db.string() + "-shm"), ec);
  };
  // Key file first: a store must never exist without its key.
  Status st = write_key_file(p.key, key);
  if (!st.ok()) {
    cleanup();
    return st;
  }
  st = create_private_file(p.db);  // 0600, and so are its -wal and -shm
  if (!st.ok()) {
    cleanup();
    return st;
  }
  auto db = raw_open(p.db, key, true, o);
  if (db.ok())
    st = configure(*db);  // the first write creates the file
  else
    st = db.status();
  if (st.ok())
    st = db->exec(
        "CREATE TABLE IF NOT EXISTS chz_store_created(at INTEGER); DROP TABLE chz_store_created;");
  // The id file reads the db's first bytes through its own descriptor, so
  // the connection is closed first (see backup_store on POSIX locks).
  if (db.ok()) db->close();
  if (st.ok()) st = write_id_file(p);
  if (st.ok()) st = fsync_dir(p.db.parent_path());
  if (!st.ok()) {
    cleanup();
    return st;
  }
  auto out = open_store_with_key(p.db, key, o);
  if (!out.ok()) return out.status();
  CHZ_TRY(lock->convert(FileLock::Mode::kShared, 0));
  out->hold(std::move(*lock));
  return out;
}

Status backup_store(Db& db, const Key32& key, const fs::path& to) {
  // Never read the db file through another descriptor while a connection is
  // open: closing any descriptor on it drops this process's POSIX locks, and
  // another process could then checkpoint and delete the WAL under us. So
  // the copy is made by SQLCipher itself, into a new file with the same key.
  std::error_code ec;
  fs::remove(to, ec);
  CHZ_TRY(create_private_file(to));  // a new file: no descriptor of the store is touched
  CHZ_ASSIGN_OR_RETURN(int version, db.user_version());
  CHZ_TRY(
      db.exec("ATTACH DATABASE '" + to.string() + "' AS chz_backup KEY \"x'" + hex(key) + "'\""));
  Status st = db.exec("PRAGMA chz_backup.cipher_page_size = " + std::to_string(kStorePageSize));
  if (st.ok()) st = db.exec("SELECT sqlcipher_export('chz_backup')");
  if (st.ok()) st = db.exec("PRAGMA chz_backup.user_version = " + std::to_string(version));
  db.exec("DETACH DATABASE chz_backup").ignore();
  if (!st.ok()) {
    fs::remove(to, ec);
    return st;
  }
  return fsync_dir(to.parent_path());
}

static Status finish_interrupted_rekey(const StorePaths& p, const StoreOpenOptions& o) {
  std::error_code ec;
  auto new_key_path = with_suffix(p.key, ".new");
  auto new_db_path = with_suffix(p.db, ".rekey");
  if (!fs::exists(new_key_path, ec)) {
    fs::remove(new_db_path, ec);
    return OkStatus();
  }
  // A rotation was cut short. Whichever key opens the current db wins.
  auto old_key = read_key_file(p.key);
  if (old_key.ok() && open_store_with_key(p.db, *old_key, o).ok()) {
    fs::remove(new_key_path, ec);
    fs::remove(new_db_path, ec);
    return OkStatus();
  }
  CHZ_ASSIGN_OR_RETURN(Key32 nk, read_key_file(new_key_path));
  if (!fs::exists(p.db, ec) && fs::exists(new_db_path, ec)) {
    fs::rename(new_db_path, p.db, ec);
    if (ec) return Status(Code::kIoError, "cannot finish key rotation: " + ec.message());
  }
  auto db = open_store_with_key(p.db, nk, o);
  if (!db.ok())
    return Status(Code::kCorrupt, "key rotation was interrupted and neither key opens the store");
  db->close();
  fs::rename(new_key_path, p.key, ec);
  if (ec) return Status(Code::kIoError, "cannot finish key rotation: " + ec.message());
  CHZ_TRY(write_id_file(p));
  return fsync_dir(p.db.parent_path());
}

Status rekey_store(const StorePaths& p, Db& db, const StoreOpenOptions& o) {
  if (!db.lock().held())
    return Status(Code::kFailedPrecondition, "rekey_store needs a store opened by open_store");
  // Alone, or not at all: other connections keep writing to the file they
  // opened, so replacing it under them would lose what they write.
  CHZ_TRY(db.lock().convert(FileLock::Mode::kExclusive, o.busy_timeout_ms));
  std::error_code ec;
  auto new_key_path = with_suffix(p.key, ".new");
  auto new_db_path = with_suffix(p.db, ".rekey");
  auto give_back = [&](Status st) {
    fs::remove(new_db_path, ec);
    fs::remove(new_key_path, ec);
    db.lock().convert(FileLock::Mode::kShared, 0).ignore();
    return st;
  };
  fs::remove(new_db_path, ec);
  Key32 nk = random_key32();
  Status st = create_private_file(new_db_path);
  if (!st.ok()) return give_back(st);
  st = db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  if (st.ok())
    st = db.exec("ATTACH DATABASE '" + new_db_path.string() + "' AS rekey KEY \"x'" + hex(nk) +
                 "'\"");
  if (!st.ok()) return give_back(st);
  st = db.exec("PRAGMA rekey.cipher_page_size = " + std::to_string(kStorePageSize));
  if (st.ok()) st = db.exec("SELECT sqlcipher_export('rekey')");
  if (st.ok()) {
    auto v = db.user_version();
    st = v.ok() ? db.exec("PRAGMA rekey.user_version = " + std::to_string(*v)) : v.status();
  }
  db.exec("DETACH DATABASE rekey").ignore();
  // Durability of the new file and its key before anything points at them.
  if (st.ok()) st = fsync_file(new_db_path);
  if (st.ok()) st = write_key_file(new_key_path, nk);
  if (!st.ok()) return give_back(st);
  // From here a crash is finished by finish_interrupted_rekey(). The lock
  // outlives the old connection: nobody may open the files while they swap.
  FileLock lock = db.take_lock();
  db.close();
  fs::remove(with_suffix(p.db, "-wal"), ec);
  fs::remove(with_suffix(p.db, "-shm"), ec);
  fs::rename(new_db_path, p.db, ec);
  if (ec) return Status(Code::kIoError, "cannot swap in the re-keyed store: " + ec.message());
  CHZ_TRY(fsync_dir(p.db.parent_path()));
  fs::rename(new_key_path, p.key, ec);
  if (ec) return Status(Code::kIoError, "cannot swap in the new key: " + ec.message());
  CHZ_TRY(write_id_file(p));
  CHZ_TRY(fsync_dir(p.db.parent_path()));
  CHZ_ASSIGN_OR_RETURN(Db fresh, open_store_with_key(p.db, nk, o));
  CHZ_TRY(lock.convert(FileLock::Mode::kShared, 0));
  fresh.hold(std::move(lock));
  db = std::move(fresh);
  return OkStatus();
}

}  // namespace chz
