// SIGKILL during install: a child process installs the next version while
// the parent kills it at a random moment. After every kill the course in
// use is the old or the new version, complete and verifiable, and the next
// install still works.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "content/install.h"
#include "content/testdata/sample_course.h"

using namespace chz;
using namespace chz::content;
namespace fs = std::filesystem;

namespace {

// A bigger course so an install spends time writing and fsyncing.
SourceCourse course_v(std::int64_t v) {
  auto s = testing::sample_course(v);
  for (int i = 0; i < 12; ++i) {
    std::string body = "# 第" + std::to_string(i + 3) + "课\n\n";
    for (int k = 0; k < 200; ++k)
      body += "蜂群管理要点第" + std::to_string(k) + "条：勤查看、少干扰。\n";
    s.course.lessons.push_back(
        {"l" + std::to_string(i + 3), "第" + std::to_string(i + 3) + "课", body, 45});
  }
  for (int i = 0; i < 6; ++i)
    s.media["media/img" + std::to_string(i) + ".png"] =
        testing::kTinyPng + std::string(50000 + i, 'p');
  return s;
}

void check_complete(const fs::path& data, const Key32& pub, std::int64_t expect_a,
                    std::int64_t expect_b) {
  auto v = installed_version(data, "zhongfeng-test");
  REQUIRE_MESSAGE(v.ok(), v.status().to_string());
  CHECK((*v == expect_a || *v == expect_b));
  CHECK_MESSAGE(verify_installed(data, "zhongfeng-test", *v, {pub}).ok(),
                verify_installed(data, "zhongfeng-test", *v, {pub}).to_string());
  auto c = load_installed(data, "zhongfeng-test");
  REQUIRE(c.ok());
  CHECK(c->version == *v);
  CHECK(c->lessons.size() == 14);
  CHECK(c->summary.find("版本 " + std::to_string(*v)) != std::string::npos);
}

}  // namespace

TEST_CASE("install crash: SIGKILL at random points leaves the old or the new version complete") {
  testing::TempDir tmp;
  fs::path data = tmp.path / "kiosk";
  auto county = ed25519_generate();
  constexpr int kRounds = 24;
  std::vector<fs::path> files;
  for (int v = 1; v <= kRounds + 2; ++v) {
    auto pkg = build_package(course_v(v), county.secret);
    REQUIRE(pkg.ok());
    files.push_back(testing::write_temp(tmp, "v" + std::to_string(v) + ".chzpkg", *pkg));
  }
  REQUIRE(install_package(data, files[0], {county.pub}).ok());

  // How long one install takes here, so kills land before, during and after.
  // Measured in a forked child, as the rounds run.
  auto t0 = std::chrono::steady_clock::now();
  pid_t first = fork();
  REQUIRE(first >= 0);
  if (first == 0) _exit(install_package(data, files[1], {county.pub}).ok() ? 0 : 3);
  int first_status = 0;
  waitpid(first, &first_status, 0);
  REQUIRE((WIFEXITED(first_status) && WEXITSTATUS(first_status) == 0));
  auto install_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  std::int64_t current = 2;

  std::uint32_t seed = std::random_device{}();
  MESSAGE("seed " << seed << ", one install takes " << install_us << " us");
  std::mt19937 rng(seed);
  std::uniform_int_distribution<long> delay(0, std::max<long>(1, install_us * 16 / 10));
  int kept_old = 0, got_new = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::int64_t next = current + 1;
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      auto r = install_package(data, files[static_cast<std::size_t>(next - 1)], {county.pub});
      _exit(r.ok() ? 0 : 3);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay(rng)));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 3));  // finished installs succeeded
    check_complete(data, county.pub, current, next);
    auto v = installed_version(data, "zhongfeng-test");
    REQUIRE(v.ok());
    if (*v == next)
      ++got_new, current = next;
    else
      ++kept_old;
  }
  MESSAGE("rounds " << kRounds << ": old kept " << kept_old << ", new installed " << got_new);

  // After all that, a normal install still works and tidies the staging.
  auto last = install_package(data, files.back(), {county.pub});
  REQUIRE_MESSAGE(last.ok(), last.status().to_string());
  check_complete(data, county.pub, kRounds + 2, kRounds + 2);
  for (const auto& e : fs::directory_iterator(data / "content"))
    CHECK(e.path().filename().string().rfind(".tmp-", 0) != 0);
}

TEST_CASE(
    "install crash: SIGKILL at every step of an install leaves the old or the new version "
    "complete") {
  testing::TempDir tmp;
  fs::path data = tmp.path / "kiosk";
  auto county = ed25519_generate();
  std::vector<fs::path> files;
  for (int v = 1; v <= 3; ++v) {
    auto pkg = build_package(course_v(v), county.secret);
    REQUIRE(pkg.ok());
    files.push_back(testing::write_temp(tmp, "v" + std::to_string(v) + ".chzpkg", *pkg));
  }
  REQUIRE(install_package(data, files[0], {county.pub}).ok());
  // Kill the child at its k-th step, for every k, until an install completes.
  int k = 0;
  for (;; ++k) {
    REQUIRE(k < 200);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int seen = 0;
      auto r = install_package(data, files[1], {county.pub}, {}, [&](std::string_view) {
        if (seen++ == k) kill(getpid(), SIGKILL);
      });
      _exit(r.ok() ? 0 : 3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) {
      CHECK(WEXITSTATUS(status) == 0);
      check_complete(data, county.pub, 2, 2);
      break;
    }
    REQUIRE(WIFSIGNALED(status));
    check_complete(data, county.pub, 1, 2);
    // Killed after the switch ("switched" is the last step): done.
    if (*installed_version(data, "zhongfeng-test") == 2) break;
  }
  MESSAGE("killed at each of " << k << " steps");
  CHECK(k >= 20);  // locked + one per file (14 lessons, bank, 7 media, manifest, sig) + the rest
  CHECK(*installed_version(data, "zhongfeng-test") == 2);
  // A later install is still accepted.
  REQUIRE(install_package(data, files[2], {county.pub}).ok());
  check_complete(data, county.pub, 3, 3);
}
