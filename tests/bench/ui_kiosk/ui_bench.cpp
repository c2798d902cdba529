// ui_bench: the kiosk UI against its bars (docs/architecture.md), on the same video driver
// in the same run (starts its own Xvfb at 1024×600 when DISPLAY is unset).
//   first interactive frame (process start → first frame shown) ≤ 0.4 s
//   idle CPU over 10 s                                            ≤ 0.5 % of a core
//   resident memory, Chinese font + 1,000-person roster           ≤ floor + 48 MB
// The floor is ui_bench_floor: a bare SDL_Renderer + ImGui window.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"
#include "kiosk/store.h"
#include "sync/protocol/idcard.h"
#include "tests/ui/ui_fixture_data.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct Child {
  pid_t pid = -1;
  int out = -1;
};

Child spawn(const std::vector<std::string>& args) {
  int p[2];
  if (pipe(p) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[1], 1);
    close(p[0]);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(p[1]);
  return {pid, p[0]};
}

// Seconds until the child prints "ready"; -1 if it never does.
double wait_ready(const Child& c, std::chrono::steady_clock::time_point t0) {
  std::string buf;
  char ch;
  while (read(c.out, &ch, 1) == 1) {
    buf += ch;
    if (ch == '\n' && buf.find("ready") != std::string::npos)
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (ch == '\n') buf.clear();
  }
  return -1;
}

void stop(Child& c) {
  if (c.pid > 0) {
    kill(c.pid, SIGKILL);
    waitpid(c.pid, nullptr, 0);
  }
  if (c.out >= 0) close(c.out);
  c = {};
}

long proc_field_kb(pid_t pid, const char* field) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::string(field).size());
  return -1;
}

double cpu_seconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), {});
  auto p = s.rfind(')');
  std::vector<std::string> fields;
  std::string cur;
  for (std::size_t i = p + 2; i < s.size(); ++i) {
    if (s[i] == ' ') {
      fields.push_back(cur);
      cur.clear();
    } else {
      cur += s[i];
    }
  }
  // fields[11] = utime, fields[12] = stime (after pid and comm)
  return (std::atof(fields[11].c_str()) + std::atof(fields[12].c_str())) / sysconf(_SC_CLK_TCK);
}

void line(const char* name, const std::string& fig, const std::string& floor, double ratio,
          const char* bar, bool pass) {
  std::printf("BENCH\t%s\t%s\t%s\t%.3f\t%s\t%s\n", name, fig.c_str(), floor.c_str(), ratio, bar,
              pass ? "PASS" : "FAIL");
  std::fflush(stdout);
}

chz::Status make_store(const fs::path& dir) {
  chz::SystemClock clock;
  setenv("CHZ_SOURCE_DIR", CHZ_SOURCE_ROOT, 0);
  CHZ_ASSIGN_OR_RETURN(auto store, chz::kiosk::Store::init(dir, clock));
  CHZ_TRY(chz::test_ui::fill(store, clock, true));
  // 1,000 people with varied names (rare characters among them).
  const char* family[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                          "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                          "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
                          "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
                          "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈"};
  const char* given[] = {"建国", "秀英", "丽娟", "志强", "桂兰", "海燕", "红梅",
                         "国庆", "玉兰", "春生", "喆",   "堃",   "𠮷",   "淑珍",
                         "文杰", "晓东", "凤英", "德胜", "金花", "永红"};
  chz::kiosk::Actor sys = chz::kiosk::Actor::system();
  auto staff = chz::kiosk::list_staff(store.db());
  if (staff.ok())
    for (const auto& s : *staff)
      if (s.role == chz::kiosk::Role::kTrainer)
        sys = chz::kiosk::Actor{chz::kiosk::Role::kTrainer, s.id};
  for (int i = 0; i < 1000; ++i) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "140521%04d%02d%02d%03d", 1970 + i % 30, 1 + i % 12, 1 + i % 28,
                  500 + i % 499);
    std::string id(buf);
    id += chz::sync::id_check_char(id);
    std::string name = std::string(family[i % 50]) + given[(i / 50) % 20];
    auto r =
        chz::kiosk::register_person(store.db(), clock, sys, {id, name, "龙港镇", "青龙村", "", {}});
    if (!r.ok() && r.status().code() != chz::Code::kAlreadyExists) return r.status();
  }
  return chz::OkStatus();
}

}  // namespace

int main() {
  pid_t xvfb = -1;
  if (!std::getenv("DISPLAY")) {
    int n = 500 + getpid() % 300;
    while (fs::exists("/tmp/.X11-unix/X" + std::to_string(n))) ++n;
    xvfb = fork();
    if (xvfb == 0) {
      execlp("Xvfb", "Xvfb", (":" + std::to_string(n)).c_str(), "-screen", "0", "1024x600x24",
             "-nolisten", "tcp", (char*)nullptr);
      _exit(127);
    }
    for (int i = 0; i < 100 && !fs::exists("/tmp/.X11-unix/X" + std::to_string(n)); ++i)
      std::this_thread::sleep_for(50ms);
    setenv("DISPLAY", (":" + std::to_string(n)).c_str(), 1);
  }
  setenv("SDL_AUDIODRIVER", "dummy", 1);
  // CHZ_UI_BENCH_DATA=DIR keeps the store there and reuses it on later runs
  // (profiling); by default the store lives in a temp dir removed at the end.
  const char* keep = std::getenv("CHZ_UI_BENCH_DATA");
  fs::path dir = keep ? fs::path(keep)
                      : fs::temp_directory_path() / ("chz-ui-bench-" + std::to_string(getpid()));
  if (!keep || !fs::exists(dir / "data")) {
    chz::Status st = make_store(dir / "data");
    if (!st.ok()) {
      std::fprintf(stderr, "store: %s\n", st.to_string().c_str());
      return 1;
    }
  }
  std::string data = (dir / "data").string();
  // First interactive frame: median of 5 cold starts of each.
  auto first_frame = [&](const std::vector<std::string>& args) {
    std::vector<double> t;
    for (int i = 0; i < 5; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      Child c = spawn(args);
      t.push_back(wait_ready(c, t0));
      stop(c);
    }
    std::sort(t.begin(), t.end());
    return t[2];
  };
  double kf = first_frame({CHZ_KIOSK_BIN, "--data", data, "--print-ready"});
  double ff = first_frame({CHZ_FLOOR_BIN});
  char a[64], b[64];
  std::snprintf(a, sizeof a, "%.3f s", kf);
  std::snprintf(b, sizeof b, "%.3f s", ff);
  line("ui_first_frame", a, b, ff > 0 ? kf / ff : 0, "<= 0.4 s", kf > 0 && kf <= 0.4);

  // Idle CPU and memory, both running side by side.
  auto t0 = std::chrono::steady_clock::now();
  Child kiosk = spawn({CHZ_KIOSK_BIN, "--data", data, "--print-ready"});
  wait_ready(kiosk, t0);
  t0 = std::chrono::steady_clock::now();
  Child floor = spawn({CHZ_FLOOR_BIN});
  wait_ready(floor, t0);
  std::this_thread::sleep_for(2s);
  double c0 = cpu_seconds(kiosk.pid), f0 = cpu_seconds(floor.pid);
  std::this_thread::sleep_for(10s);
  double c1 = cpu_seconds(kiosk.pid), f1 = cpu_seconds(floor.pid);
  double kcpu = (c1 - c0) / 10.0 * 100, fcpu = (f1 - f0) / 10.0 * 100;
  std::snprintf(a, sizeof a, "%.2f %%", kcpu);
  std::snprintf(b, sizeof b, "%.2f %%", fcpu);
  line("ui_idle_cpu", a, b, fcpu > 0 ? kcpu / fcpu : 0, "<= 0.5 % of a core", kcpu <= 0.5);
  long krss = proc_field_kb(kiosk.pid, "VmRSS:"), frss = proc_field_kb(floor.pid, "VmRSS:");
  std::snprintf(a, sizeof a, "%.1f MB", krss / 1024.0);
  std::snprintf(b, sizeof b, "%.1f MB", frss / 1024.0);
  line("ui_resident_memory", a, b, frss > 0 ? static_cast<double>(krss) / frss : 0,
       "<= floor + 48 MB", krss > 0 && krss <= frss + 48 * 1024);
  stop(kiosk);
  stop(floor);
  if (xvfb > 0) {
    kill(xvfb, SIGTERM);
    waitpid(xvfb, nullptr, 0);
  }
  std::error_code ec;
  if (!keep) fs::remove_all(dir, ec);
  return 0;
}
