// The binaries end to end: chizheng-server (init, site, code, serve,
// demo-seed, import-bundle, export-site-bundle) and chizheng-kioskctl
// (init, enroll, sync, sync-status, export-usb, import-usb) on a real kiosk
// store, over HTTPS with the pinned county CA.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/testing/temp_dir.h"

namespace fs = std::filesystem;

namespace {
std::string bin(const std::string& rel) {
  return std::string(std::getenv("CHZ_BINARY_DIR")) + "/" + rel;
}
struct Run {
  int rc;
  std::string out;
};
Run run(const std::string& cmd) {
  Run r{-1, {}};
  FILE* f = popen((cmd + " 2>&1").c_str(), "r");
  if (!f) return r;
  std::array<char, 512> buf{};
  while (fgets(buf.data(), buf.size(), f)) r.out += buf.data();
  int st = pclose(f);
  r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}
std::string last_line(const std::string& s) {
  auto t = s;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  auto p = t.rfind('\n');
  return p == std::string::npos ? t : t.substr(p + 1);
}
}  // namespace

TEST_CASE("cli: county server and kioskctl enroll, sync and carry USB bundles") {
  REQUIRE(std::getenv("CHZ_BINARY_DIR"));
  chz::testing::TempDir dir("chz-sync-cli");
  std::string server = bin("sync/server/chizheng-server"), kioskctl = bin("app/chizheng-kioskctl");
  std::string sdata = (dir / "county").string(), kdata = (dir / "kiosk").string();
  CHECK(run(server + " --help").rc == 0);
  REQUIRE(run(server + " --data " + sdata + " init --host 127.0.0.1 --area-code 140521").rc == 0);
  CHECK(run(server + " --data " + sdata + " init").rc != 0);  // never overwrites keys
  // report refuses what it cannot do, naming it, and writes nothing.
  auto bad_cut =
      run(server + " --data " + sdata + " report --from 2026-01-01 --to 2026-12-31 --by planet");
  CHECK(bad_cut.rc != 0);
  CHECK(bad_cut.out.find("--by is one of") != std::string::npos);
  auto reversed = run(server + " --data " + sdata + " report --from 2026-12-31 --to 2026-01-01");
  CHECK(reversed.rc != 0);
  CHECK(reversed.out.find("before --from") != std::string::npos);
  auto bad_day = run(server + " --data " + sdata + " report --from 2026-02-30 --to 2026-12-31");
  CHECK(bad_day.rc != 0);
  auto no_out =
      run(server + " --data " + sdata + " report --from 2026-01-01 --to 2026-12-31 --format xlsx");
  CHECK(no_out.rc != 0);
  CHECK(no_out.out.find("needs -o") != std::string::npos);
  // Global options are taken on either side of the subcommand.
  CHECK(run(server + " faults --data " + sdata).rc == 0);
  auto side = run(kioskctl + " init --data " + (dir / "kiosk-after").string());
  CHECK_MESSAGE(side.rc == 0, side.out);
  CHECK(std::filesystem::exists(dir / "kiosk-after"));
  auto seed = run(server + " --data " + sdata + " demo-seed --courses " +
                  std::getenv("CHZ_SOURCE_DIR") + "/content/courses");
  REQUIRE_MESSAGE(seed.rc == 0, seed.out);
  // A code lives at most 30 days: a mistyped --hours is refused, not a year-long code.
  CHECK(run(server + " --data " + sdata + " code --site site-11 --hours 8760").rc != 0);
  CHECK(run(server + " --data " + sdata + " code --site site-11 --hours 0").rc != 0);
  auto code = run(server + " --data " + sdata + " code --site site-11 --hours 1");
  REQUIRE(code.rc == 0);

  pid_t pid = fork();
  if (pid == 0) {
    execl(server.c_str(), server.c_str(), "--data", sdata.c_str(), "serve", "--listen", "127.0.0.1",
          "--port", "0", static_cast<char*>(nullptr));
    _exit(127);
  }
  // With --port 0 the server picks a free port: ask the OS which one.
  std::string url;
  for (int i = 0; i < 100 && url.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto ss =
        run("ss -ltnpH 2>/dev/null | grep 'pid=" + std::to_string(pid) + ",' | awk '{print $4}'");
    auto addr = last_line(ss.out);
    auto colon = addr.rfind(':');
    if (colon != std::string::npos) url = "https://127.0.0.1:" + addr.substr(colon + 1);
  }
  REQUIRE_MESSAGE(!url.empty(), "server did not listen");

  REQUIRE(run(kioskctl + " --data " + kdata + " init").rc == 0);
  auto en = run(kioskctl + " --data " + kdata + " enroll --server " + url + " --code " +
                last_line(code.out));
  REQUIRE_MESSAGE(en.rc == 0, en.out);
  CHECK(en.out.find("site-11") != std::string::npos);
  // The county's area code and a device number for new certificate numbers.
  CHECK_MESSAGE(en.out.find("certificates  140521-YY-") != std::string::npos, en.out);
  auto again = run(kioskctl + " --data " + kdata + " enroll --server " + url + " --code " +
                   last_line(code.out));
  CHECK(again.rc != 0);  // one-time code
  auto sy = run(kioskctl + " --data " + kdata + " sync");
  REQUIRE_MESSAGE(sy.rc == 0, sy.out);
  CHECK(sy.out.find("done") != std::string::npos);
  auto status = run(kioskctl + " --data " + kdata + " sync-status");
  CHECK(status.rc == 0);
  CHECK(status.out.find("last error      none") != std::string::npos);

  fs::create_directories(dir / "usb");
  auto ex = run(kioskctl + " --data " + kdata + " export-usb " + (dir / "usb").string());
  REQUIRE_MESSAGE(ex.rc == 0, ex.out);
  fs::path bundle;
  for (const auto& e : fs::directory_iterator(dir / "usb")) bundle = e.path();
  REQUIRE(!bundle.empty());
  auto imp = run(server + " --data " + sdata + " import-bundle " + bundle.string());
  CHECK_MESSAGE(imp.rc == 0, imp.out);
  auto at = en.out.find("device ");
  REQUIRE(at != std::string::npos);
  std::string device = en.out.substr(at + 7, en.out.find(' ', at + 7) - (at + 7));
  auto esb = run(server + " --data " + sdata + " export-site-bundle --device " + device +
                 " --out " + (dir / "usb" / "site.chzs").string());
  REQUIRE_MESSAGE(esb.rc == 0, esb.out);
  auto ki =
      run(kioskctl + " --data " + kdata + " import-usb " + (dir / "usb" / "site.chzs").string());
  CHECK_MESSAGE(ki.rc == 0, ki.out);
  // A tampered site bundle is refused.
  {
    std::fstream f(dir / "usb" / "site.chzs", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-5, std::ios::end);
    f.put('\x42');
  }
  CHECK(run(kioskctl + " --data " + kdata + " import-usb " + (dir / "usb" / "site.chzs").string())
            .rc != 0);
  ::kill(pid, SIGTERM);
  int st = 0;
  ::waitpid(pid, &st, 0);
}
