// Sequence numbers stay gap-free across kill -9: a child process writes
// domain-shaped transactions (record + audit) in a loop and reports each
// committed seq through a pipe; the parent kills it at a random moment,
// then checks the store: no gap, no duplicate, every acknowledged record
// present, integrity_check and the audit chain intact. Then again.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "common/testing/temp_dir.h"
#include "kiosk/audit.h"
#include "kiosk/outbox.h"
#include "kiosk/store.h"

using namespace chz;
using namespace chz::kiosk;

namespace {

[[noreturn]] void child_writes(const std::filesystem::path& dir, int out_fd, int round) {
  SystemClock clock;
  auto store = Store::open(dir);
  if (!store.ok()) _exit(3);
  for (int i = 0;; ++i) {
    std::int64_t seq = 0;
    Status st = store->db().transaction([&]() -> Status {
      CHZ_ASSIGN_OR_RETURN(auto m,
                           append_record(store->db(), clock, "attendance",
                                         {{"round", round}, {"i", i}, {"person", "测试·学员"}}));
      seq = m.seq;
      return append_audit(store->db(), clock, "system", "test.write", {{"seq", m.seq}});
    });
    if (!st.ok()) _exit(4);
    // Acknowledged only once the transaction is durable.
    if (write(out_fd, &seq, sizeof seq) != sizeof seq) _exit(5);
  }
}

}  // namespace

TEST_CASE("outbox: sequence numbers stay gap-free and every acknowledged record survives kill -9") {
  chz::testing::TempDir tmp("chz-seq-crash");
  auto dir = tmp / "kiosk";
  {
    SystemClock clock;
    auto s = Store::init(dir, clock);
    REQUIRE(s.ok());
  }
  std::mt19937 rng(4711);
  std::int64_t last_acked = 0;
  int kills_mid_run = 0;
  const int rounds = 24;
  for (int round = 0; round < rounds; ++round) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(fds[0]);
      child_writes(dir, fds[1], round);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 180));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++kills_mid_run;
    std::int64_t seq = 0, acked_this_round = 0;
    while (read(fds[0], &seq, sizeof seq) == sizeof seq) {
      CHECK(seq == last_acked + acked_this_round + 1);  // the child saw no gap either
      ++acked_this_round;
    }
    close(fds[0]);
    last_acked += acked_this_round;

    auto store = Store::open(dir);
    REQUIRE(store.ok());
    Db& db = store->db();
    auto n = db.query_int("SELECT count(*) FROM outbox");
    auto mx = db.query_int("SELECT COALESCE(MAX(seq), 0) FROM outbox");
    auto distinct = db.query_int("SELECT count(DISTINCT uuid) FROM outbox");
    REQUIRE(n.ok());
    CHECK(*n == *mx);              // no gap
    CHECK(*distinct == *n);        // no duplicate
    CHECK(*mx >= last_acked);      // every acknowledged record is there
    CHECK(*mx <= last_acked + 1);  // at most the one committed as the kill came
    CHECK(store->check().ok());    // integrity_check, audit chain, outbox sequence
    last_acked = *mx;              // a record committed but not yet reported counts too
  }
  CHECK(kills_mid_run == rounds);
  CHECK(last_acked > rounds);  // the children did write
  MESSAGE("records written across ", rounds, " kills: ", last_acked);
}
