// The store's folder lock: key rotation never replaces the files under a
// connection that still writes (another process, or another thread of this
// one), a partial store is damage rather than a first start, and of two
// creations at once exactly one wins.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "common/fs.h"
#include "common/store_file.h"
#include "common/testing/temp_dir.h"

using namespace chz;
using chz::testing::snapshot_files;
using chz::testing::TempDir;
namespace fs = std::filesystem;

namespace {

const char* kSchema = "CREATE TABLE IF NOT EXISTS att(id INTEGER PRIMARY KEY, who TEXT)";

StorePaths new_store(const TempDir& dir) {
  auto p = StorePaths::in(dir.path());
  auto db = create_store(p);
  REQUIRE(db.ok());
  REQUIRE(db->exec(kSchema).ok());
  return p;
}

Status insert(Db& db, long id) {
  return db.transaction([&] {
    return db.run("INSERT INTO att(id, who) VALUES (?, ?)", static_cast<std::int64_t>(id),
                  "签到-郭𬌗");
  });
}

// Child: writes rows and reports each committed id on `fd`. `hold` keeps one
// connection open throughout (a running kiosk UI or `demo-fill`); otherwise
// each row opens and closes the store (the UI's sync thread, kioskctl).
[[noreturn]] void writer_child(const StorePaths& p, long first_id, int fd, bool hold) {
  std::optional<Db> held;
  if (hold) {
    auto db = open_store(p);
    if (!db.ok()) _exit(3);
    held.emplace(std::move(*db));
  }
  for (long id = first_id;; id += 2) {
    if (hold) {
      if (!insert(*held, id).ok()) _exit(4);
    } else {
      auto db = open_store(p);
      if (!db.ok()) _exit(3);
      if (!insert(*db, id).ok()) _exit(4);
      db->close();
      usleep(3000);
    }
    if (write(fd, &id, sizeof id) != sizeof id) _exit(5);
  }
}

struct Writer {
  pid_t pid = -1;
  int fd = -1;
};

Writer spawn_writer(const StorePaths& p, long first_id, bool hold) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    writer_child(p, first_id, fds[1], hold);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

// SIGKILLs the writer and returns the ids it acknowledged.
std::set<long> stop_writer(Writer w) {
  kill(w.pid, SIGKILL);
  int status = 0;
  waitpid(w.pid, &status, 0);
  std::set<long> acked;
  long id;
  while (read(w.fd, &id, sizeof id) == sizeof id) acked.insert(id);
  close(w.fd);
  CHECK_MESSAGE(WIFSIGNALED(status), "a writer stopped by itself: exit " << WEXITSTATUS(status));
  return acked;
}

std::set<long> ids_in(const StorePaths& p) {
  auto db = open_store(p);
  REQUIRE(db.ok());
  REQUIRE(db->integrity_check().ok());
  auto st = db->prepare("SELECT id FROM att");
  REQUIRE(st.ok());
  std::set<long> out;
  while (st->step().value()) out.insert(st->int64(0));
  return out;
}

void require_all_present(const std::set<long>& acked, const std::set<long>& present) {
  for (long a : acked) REQUIRE_MESSAGE(present.count(a) == 1, "acknowledged row " << a << " lost");
}

}  // namespace

TEST_CASE("store lock: rotation is refused as busy while another process keeps the store open") {
  TempDir dir;
  auto p = new_store(dir);
  Writer w = spawn_writer(p, 1, /*hold=*/true);
  usleep(50000);
  StoreOpenOptions quick;
  quick.busy_timeout_ms = 300;
  auto db = open_store(p, quick);
  REQUIRE(db.ok());
  Status st = rekey_store(p, *db, quick);
  CHECK(st.code() == Code::kUnavailable);
  CHECK(st.key() == "store.busy");
  // The refused rotation left this connection open and usable.
  CHECK(db->query_int("SELECT count(*) FROM att").ok());
  CHECK_FALSE(fs::exists(p.key.string() + ".new"));
  CHECK_FALSE(fs::exists(p.db.string() + ".rekey"));
  std::set<long> acked = stop_writer(w);
  CHECK(acked.size() > 5);
  // With the writer gone the same connection rotates.
  REQUIRE(rekey_store(p, *db, quick).ok());
  db->close();
  require_all_present(acked, ids_in(p));
}

TEST_CASE("store lock: 25 rotations between two writing processes lose no acknowledged row") {
  TempDir dir;
  auto p = new_store(dir);
  Writer a = spawn_writer(p, 1, false), b = spawn_writer(p, 2, false);
  std::mt19937 rng(20261201);
  int rotated = 0, busy = 0;
  for (int round = 0; round < 25; ++round) {
    usleep(std::uniform_int_distribution<int>(1000, 15000)(rng));
    auto db = open_store(p);
    REQUIRE(db.ok());
    Status st = rekey_store(p, *db);
    if (st.ok())
      ++rotated;
    else if (st.key() == "store.busy")
      ++busy;
    else
      FAIL("rotation failed: " << st.to_string());
  }
  std::set<long> acked = stop_writer(a);
  for (long id : stop_writer(b)) acked.insert(id);
  CHECK(rotated >= 12);
  CHECK(acked.size() > 40);
  MESSAGE("rotated " << rotated << ", busy " << busy << ", rows acknowledged " << acked.size());
  require_all_present(acked, ids_in(p));
}

TEST_CASE("store lock: a thread that opens per write (the UI's sync thread) waits out a rotation") {
  TempDir dir;
  auto p = new_store(dir);
  auto main_db = open_store(p);
  REQUIRE(main_db.ok());
  std::atomic<bool> stop{false};
  std::atomic<long> failures{0};
  std::set<long> acked;
  std::thread sync_thread([&] {
    for (long id = 1; !stop; ++id) {
      auto db = open_store(p);  // its own connection, as SyncWorker has
      if (!db.ok() || !insert(*db, id).ok()) {
        ++failures;
        continue;
      }
      acked.insert(id);
      db->close();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  int rotated = 0;
  for (int round = 0; round < 25; ++round) {
    REQUIRE(insert(*main_db, 1'000'000 + round).ok());
    Status st = rekey_store(p, *main_db);
    if (st.ok()) ++rotated;
    REQUIRE_MESSAGE((st.ok() || st.key() == "store.busy"), st.to_string());
  }
  stop = true;
  sync_thread.join();
  main_db->close();
  CHECK(failures == 0);
  CHECK(rotated >= 15);
  auto present = ids_in(p);
  require_all_present(acked, present);
  for (int round = 0; round < 25; ++round) CHECK(present.count(1'000'000 + round) == 1);
}

TEST_CASE("store: an empty store file beside its key is damage, not a new store") {
  TempDir dir;
  auto p = new_store(dir);
  { std::ofstream(p.db, std::ios::trunc); }  // `: > store.db`
  auto before = snapshot_files(dir.path());
  auto db = open_store(p);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == Code::kCorrupt);
  CHECK(db.status().key() == "store.empty_db");
  CHECK(db.status().message().find("restore") != std::string::npos);
  CHECK(snapshot_files(dir.path()) == before);
  CHECK(fs::file_size(p.db) == 0);
}

TEST_CASE("store: a missing store file beside its key is damage, and create says what is there") {
  TempDir dir;
  auto p = new_store(dir);
  fs::remove(p.db);
  auto before = snapshot_files(dir.path());
  auto db = open_store(p);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == Code::kCorrupt);
  CHECK(db.status().key() == "store.missing_db");
  auto created = create_store(p);
  REQUIRE_FALSE(created.ok());
  CHECK(created.status().key() == "store.missing_db");
  CHECK(created.status().message().find("is missing") != std::string::npos);
  CHECK(snapshot_files(dir.path()) == before);
}

TEST_CASE("store: a store file without its key is not overwritten by create") {
  TempDir dir;
  auto p = new_store(dir);
  fs::remove(p.key);
  auto before = snapshot_files(dir.path());
  auto created = create_store(p);
  REQUIRE_FALSE(created.ok());
  CHECK(created.status().key() == "store.missing_key");
  CHECK(snapshot_files(dir.path()) == before);
}

TEST_CASE("store: of eight creations at once exactly one wins, and the winner's store is whole") {
  for (int round = 0; round < 10; ++round) {
    TempDir dir;
    auto p = StorePaths::in(dir.path());
    int go[2];
    REQUIRE(pipe(go) == 0);
    std::vector<pid_t> kids;
    for (int i = 0; i < 8; ++i) {
      pid_t pid = fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        close(go[1]);
        char c;
        if (read(go[0], &c, 1) != 0) _exit(9);  // released when the pipe closes
        auto db = create_store(p);
        if (db.ok()) {
          if (!db->exec(kSchema).ok() || !insert(*db, 7).ok()) _exit(8);
          _exit(0);
        }
        _exit(db.status().key() == "store.busy" || db.status().code() == Code::kAlreadyExists ? 1
                                                                                              : 7);
      }
      kids.push_back(pid);
    }
    close(go[0]);
    close(go[1]);
    int won = 0, lost = 0;
    for (pid_t k : kids) {
      int status = 0;
      waitpid(k, &status, 0);
      REQUIRE(WIFEXITED(status));
      int code = WEXITSTATUS(status);
      REQUIRE_MESSAGE((code == 0 || code == 1), "a creation failed otherwise: exit " << code);
      (code == 0 ? won : lost)++;
    }
    CHECK(won == 1);
    CHECK(lost == 7);
    CHECK(ids_in(p) == std::set<long>{7});
  }
}
