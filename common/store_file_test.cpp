// The encrypted store: really encrypted, and every way it can fail to open
// has its own error and changes nothing on disk.
#include "common/store_file.h"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>

#include "common/fs.h"
#include "common/testing/temp_dir.h"

using namespace chz;
using chz::testing::snapshot_files;
using chz::testing::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kSecret = "王𠮷祥 140521198803150012 嘉峰镇李庄村";

void write_secret_rows(Db& db) {
  REQUIRE(db.exec("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)").ok());
  for (int i = 0; i < 50; ++i) REQUIRE(db.run("INSERT INTO t(v) VALUES (?)", kSecret).ok());
}

std::string slurp(const fs::path& p) {
  auto r = read_file(p, 1 << 30);
  return r.ok() ? *r : std::string();
}

StorePaths make_store(const TempDir& dir) {
  auto p = StorePaths::in(dir.path());
  auto db = create_store(p);
  REQUIRE(db.ok());
  write_secret_rows(*db);
  REQUIRE(db->exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  return p;
}

}  // namespace

TEST_CASE("store: the file on disk is encrypted") {
  TempDir dir;
  auto p = StorePaths::in(dir.path());
  auto db = create_store(p);
  REQUIRE(db.ok());
  write_secret_rows(*db);
  // Before the checkpoint the rows sit in the WAL: it must be encrypted too.
  std::string wal = slurp(fs::path(p.db.string() + "-wal"));
  CHECK(wal.size() > 0);
  CHECK(wal.find("嘉峰镇") == std::string::npos);
  CHECK(wal.find("140521198803150012") == std::string::npos);
  REQUIRE(db->exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  std::string file = slurp(p.db);
  CHECK(file.rfind("SQLite format 3", 0) == std::string::npos);
  CHECK(file.find("嘉峰镇") == std::string::npos);
  CHECK(file.find("140521198803150012") == std::string::npos);
  CHECK(file.find("CREATE TABLE") == std::string::npos);
  // And it reads back with its key.
  db->close();
  auto again = open_store(p);
  REQUIRE(again.ok());
  CHECK(*again->query_text("SELECT v FROM t LIMIT 1") == kSecret);
  CHECK(again->integrity_check().ok());
}

TEST_CASE("store: key file is 0600 and an insecure one is refused") {
  TempDir dir;
  auto p = make_store(dir);
  CHECK((fs::status(p.key).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  fs::permissions(p.key, fs::perms::group_read, fs::perm_options::add);
  auto before = snapshot_files(dir.path());
  auto db = open_store(p);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == Code::kInsecureKeyFile);
  CHECK(db.status().message().find("0640") != std::string::npos);
  CHECK(snapshot_files(dir.path()) == before);
}

// A umask of 022 would leave files SQLite makes 0644: the store, its WAL and
// shm, a backup and a rotated store are made 0600 first.
TEST_CASE("store: the database, its WAL, a backup and a rotated store are 0600 under umask 022") {
  TempDir dir;
  struct Umask {
    mode_t old = ::umask(022);
    ~Umask() { ::umask(old); }
  } umask_022;
  auto p = StorePaths::in(dir.path());
  auto db = create_store(p);
  REQUIRE(db.ok());
  write_secret_rows(*db);
  auto private_file = [](const fs::path& f) {
    INFO(f.string());
    REQUIRE(fs::exists(f));
    CHECK((fs::status(f).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
  };
  private_file(p.db);
  private_file(p.key);
  private_file(fs::path(p.db.string() + "-wal"));
  private_file(fs::path(p.db.string() + "-shm"));
  auto backup = dir.path() / "backup.db";
  REQUIRE(backup_store(*db, read_key_file(p.key).value(), backup).ok());
  private_file(backup);
  db->close();
  auto again = open_store(p);
  REQUIRE(again.ok());
  REQUIRE(rekey_store(p, *again).ok());
  private_file(p.db);
  private_file(p.key);
  CHECK(*again->query_text("SELECT v FROM t LIMIT 1") == kSecret);
}

TEST_CASE("store: a missing key file is its own error") {
  TempDir dir;
  auto p = make_store(dir);
  fs::remove(p.key);
  auto before = snapshot_files(dir.path());
  auto db = open_store(p);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == Code::kMissingKeyFile);
  CHECK(snapshot_files(dir.path()) == before);
}

TEST_CASE("store: a wrong key is refused, with our words, and nothing changes") {
  TempDir dir;
  auto p = make_store(dir);
  REQUIRE(write_key_file(p.key, random_key32()).ok());
  auto before = snapshot_files(dir.path());
  auto db = open_store(p);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == Code::kWrongKey);
  CHECK(db.status().message().find("file is not a database") == std::string::npos);
  CHECK(snapshot_files(dir.path()) == before);
}

TEST_CASE("store: a truncated file is reported as damaged") {
  TempDir dir;
  auto p = make_store(dir);
  auto size = fs::file_size(p.db);
  fs::resize_file(p.db, size / 2 + 100);
  auto before = snapshot_files(dir.path());
  auto db = open_store(p);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == Code::kCorrupt);
  CHECK(db.status().message().find("truncated") != std::string::npos);
  CHECK(snapshot_files(dir.path()) == before);
}

TEST_CASE("store: random bytes in place of the store are not a store") {
  TempDir dir;
  auto p = make_store(dir);
  Bytes junk(fs::file_size(p.db));
  random_bytes(junk);
  REQUIRE(write_file_atomic(p.db, to_string(junk), 0600).ok());
  auto before = snapshot_files(dir.path());
  auto db = open_store(p);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == Code::kNotAStore);
  CHECK(snapshot_files(dir.path()) == before);
}

TEST_CASE("store: a plain unencrypted SQLite file is refused") {
  TempDir dir;
  auto p = make_store(dir);
  fs::remove(p.db);
  {
    sqlite3* h = nullptr;
    // An unkeyed SQLCipher connection writes plain SQLite format.
    REQUIRE(sqlite3_open(p.db.c_str(), &h) == SQLITE_OK);
    REQUIRE(sqlite3_exec(h, "CREATE TABLE x(a); INSERT INTO x VALUES(1);", nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    sqlite3_close(h);
  }
  auto db = open_store(p);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == Code::kNotAStore);
  CHECK(db.status().message().find("unencrypted") != std::string::npos);
}

TEST_CASE("store: a damaged page with the right key is corrupt, not a wrong key") {
  TempDir dir;
  auto p = make_store(dir);
  {
    std::fstream f(p.db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(kStorePageSize + 200);  // inside page 2
    const char junk[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    f.write(junk, sizeof junk);
  }
  auto db = open_store(p);
  // Page 1 is fine, so the store opens; reading page 2 must fail as corrupt.
  if (db.ok()) {
    auto n = db->query_int("SELECT count(*) FROM t");
    Status st = n.ok() ? db->integrity_check() : n.status();
    CHECK(st.code() == Code::kCorrupt);
  } else {
    CHECK(db.status().code() == Code::kCorrupt);
  }
}

TEST_CASE("store: a store from a newer program is refused untouched") {
  TempDir dir;
  auto p = make_store(dir);
  {
    auto db = open_store(p);
    REQUIRE(db.ok());
    REQUIRE(db->set_user_version(99).ok());
  }
  auto before = snapshot_files(dir.path());
  auto db = open_store(p);
  REQUIRE(db.ok());
  const Migration list[] = {{1, "one", [](Db& d) { return d.exec("CREATE TABLE one(a)"); }}};
  Status st = migrate(*db, list, [](int) -> Status {
    FAIL("no backup expected");
    return OkStatus();
  });
  CHECK(st.code() == Code::kNewerSchema);
  CHECK(*db->user_version() == 99);
  db->close();
  CHECK(snapshot_files(dir.path()) == before);
}

TEST_CASE("store: an older store is backed up, then migrated step by step") {
  TempDir dir;
  auto p = StorePaths::in(dir.path());
  const Migration v1[] = {{1, "one", [](Db& d) {
                             return d.exec("CREATE TABLE one(a); INSERT INTO one VALUES ('甲')");
                           }}};
  {
    auto db = create_store(p);
    REQUIRE(db.ok());
    REQUIRE(migrate(*db, v1).ok());
  }
  const Migration v3[] = {
      v1[0],
      {2, "two", [](Db& d) { return d.exec("CREATE TABLE two(b)"); }},
      {3, "three", [](Db& d) { return d.exec("INSERT INTO two VALUES ('乙')"); }},
  };
  auto db = open_store(p);
  REQUIRE(db.ok());
  int backed_up_from = 0;
  auto backup_path = dir.path() / "backup.db";
  REQUIRE(migrate(*db, v3, [&](int from) {
            backed_up_from = from;
            return backup_store(*db, read_key_file(p.key).value(), backup_path);
          }).ok());
  CHECK(backed_up_from == 1);
  CHECK(*db->user_version() == 3);
  CHECK(*db->query_text("SELECT b FROM two") == "乙");
  // The backup is the old store, still encrypted with the same key.
  auto key = read_key_file(p.key);
  auto old = open_store_with_key(backup_path, *key);
  REQUIRE(old.ok());
  CHECK(*old->user_version() == 1);
  CHECK(slurp(backup_path).find("甲") == std::string::npos);
}

TEST_CASE("store: a failing migration leaves the previous version intact") {
  TempDir dir;
  auto p = StorePaths::in(dir.path());
  auto db = create_store(p);
  REQUIRE(db.ok());
  const Migration bad[] = {
      {1, "one", [](Db& d) { return d.exec("CREATE TABLE one(a)"); }},
      {2, "broken",
       [](Db& d) { return d.exec("CREATE TABLE two(b); SELECT * FROM no_such_table"); }},
  };
  Status st = migrate(*db, bad);
  CHECK_FALSE(st.ok());
  CHECK(st.message().find("migration 2 (broken)") != std::string::npos);
  CHECK(*db->user_version() == 1);
  CHECK(db->query_int("SELECT count(*) FROM sqlite_master WHERE name = 'two'").value() == 0);
}

TEST_CASE("store: key rotation re-encrypts and the old key no longer opens it") {
  TempDir dir;
  auto p = make_store(dir);
  auto old_key = read_key_file(p.key).value();
  auto db = open_store(p);
  REQUIRE(db.ok());
  REQUIRE(db->set_user_version(7).ok());
  REQUIRE(rekey_store(p, *db).ok());
  auto& rotated = db;
  CHECK(*rotated->query_text("SELECT v FROM t LIMIT 1") == kSecret);
  CHECK(*rotated->user_version() == 7);
  CHECK(rotated->query_int("SELECT count(*) FROM t").value() == 50);
  rotated->close();
  CHECK_FALSE(open_store_with_key(p.db, old_key).ok());
  CHECK(open_store(p).ok());
}

TEST_CASE("store: a rotation cut short before the swap keeps the old key") {
  TempDir dir;
  auto p = make_store(dir);
  // The state after a crash right after the new key file was written.
  REQUIRE(write_key_file(fs::path(p.key.string() + ".new"), random_key32()).ok());
  REQUIRE(write_file_atomic(fs::path(p.db.string() + ".rekey"), "partial", 0600).ok());
  auto db = open_store(p);
  REQUIRE(db.ok());
  CHECK(db->query_int("SELECT count(*) FROM t").value() == 50);
  CHECK_FALSE(fs::exists(p.key.string() + ".new"));
  CHECK_FALSE(fs::exists(p.db.string() + ".rekey"));
}

TEST_CASE("store: a rotation cut short after the swap finishes with the new key") {
  TempDir dir;
  auto p = make_store(dir);
  Key32 nk = random_key32();
  {
    auto db = open_store(p);
    REQUIRE(db.ok());
    auto tmp = fs::path(p.db.string() + ".rekey");
    REQUIRE(
        db->exec("ATTACH DATABASE '" + tmp.string() + "' AS r KEY \"x'" + hex(nk) + "'\"").ok());
    REQUIRE(db->exec("PRAGMA r.cipher_page_size = 4096").ok());
    REQUIRE(db->exec("SELECT sqlcipher_export('r')").ok());
    REQUIRE(db->exec("DETACH DATABASE r").ok());
    db->close();
    fs::rename(tmp, p.db);  // db swapped, key not yet
  }
  REQUIRE(write_key_file(fs::path(p.key.string() + ".new"), nk).ok());
  auto db = open_store(p);
  REQUIRE(db.ok());
  CHECK(db->query_int("SELECT count(*) FROM t").value() == 50);
  CHECK(read_key_file(p.key).value() == nk);
}

TEST_CASE("store: create refuses to overwrite an existing store") {
  TempDir dir;
  auto p = make_store(dir);
  auto before = snapshot_files(dir.path());
  auto again = create_store(p);
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().code() == Code::kAlreadyExists);
  CHECK(snapshot_files(dir.path()) == before);
}
