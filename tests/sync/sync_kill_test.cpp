// kill -9 of the client process at random moments of a sync (>= 20 rounds),
// then a clean pass: nothing lost, nothing duplicated, both ends equal.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "tests/sync/harness.h"

extern char** environ;

using namespace chz;
using namespace chz::synctest;

namespace {
pid_t spawn_client(const std::string& exe, const std::string& dir) {
  pid_t pid = -1;
  std::string a0 = exe, a1 = "--dir", a2 = dir;
  char* argv[] = {a0.data(), a1.data(), a2.data(), nullptr};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}
}  // namespace

TEST_CASE("kill: SIGKILL of the client mid-sync at random points, then resume") {
  const char* bin = std::getenv("CHZ_BINARY_DIR");
  REQUIRE(bin);
  std::string exe = std::string(bin) + "/tests/sync/chz-sync-test-client";
  Harness h;
  auto a = h.kiosk("site-a");
  auto b = h.kiosk("site-a");
  REQUIRE(b.dev->add_attendance(3000, h.clock.now_ms()).ok());
  REQUIRE(sync_client::Client(b.cred, {}, h.clock).sync_once(*b.dev, *b.dev).ok());
  REQUIRE(a.dev->set("url", h.url()).ok());
  REQUIRE(a.dev->set("secret", hex(a.key.secret)).ok());
  std::ofstream(a.dir / "device-id") << a.id;

  std::mt19937 rng(4242);
  int killed = 0;
  for (int round = 0; round < 24; ++round) {
    REQUIRE(a.dev->add_attendance(400, h.clock.now_ms()).ok());
    pid_t pid = spawn_client(exe, a.dir.string());
    REQUIRE(pid > 0);
    // A pass takes tens of milliseconds on an idle machine: kill early.
    std::this_thread::sleep_for(std::chrono::milliseconds(2 + rng() % 40));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++killed;  // not already finished
  }
  MESSAGE("killed " << killed << " of 24 client processes mid-run");
  // Most rounds must really be cut mid-run (a client that finished first
  // proves nothing); how many depends on the machine's speed.
  CHECK(killed >= 12);
  pid_t pid = spawn_client(exe, a.dir.string());
  int status = -1;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(server_holds_exactly(h, *a.dev));
  CHECK(*a.dev->acknowledged() == 24 * 400);
  CHECK(*a.dev->applied() == *b.dev->outbox());
  CHECK(h.store->faults()->empty());
}
