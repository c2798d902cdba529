// Durable single-answer save (docs/architecture.md, Performance bars):
//   SQLCipher (WAL, synchronous=FULL, 4 KiB pages)  vs
//   plain SQLite, same settings (separate process)  bar <= 1.10x
//   raw write + fdatasync of the same bytes          bar <= 2.00x
// Median of several runs of N transactions each; prints BENCH lines.
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "common/store_file.h"
#include "common/testing/temp_dir.h"

using namespace chz;
namespace fs = std::filesystem;

namespace {

double now_us() {
  return std::chrono::duration<double, std::micro>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Lat {
  double p50, p99;
};

Lat summarize(std::vector<double> t) {
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2], t[t.size() * 99 / 100]};
}

Lat run_sqlcipher(const fs::path& dir, int n) {
  auto p = StorePaths::in(dir, "bench");
  auto db = create_store(p).value();
  (void)db.exec(
      "CREATE TABLE answers(id INTEGER PRIMARY KEY, attempt TEXT, question INTEGER, "
      "choice TEXT, elapsed_ms INTEGER, saved_ms INTEGER)");
  auto ins = db.prepare(
                   "INSERT INTO answers(attempt, question, choice, elapsed_ms, saved_ms) "
                   "VALUES (?, ?, ?, ?, ?)")
                 .value();
  std::vector<double> t;
  for (int i = 0; i < n; ++i) {
    double a = now_us();
    Status st = db.transaction([&]() -> Status {
      ins.bind_all("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", i % 100, "ACD",
                   static_cast<std::int64_t>(1000) * i, std::int64_t{1790000000000} + i);
      Status s = ins.run();
      (void)ins.reset();
      return s;
    });
    if (!st.ok()) std::abort();
    t.push_back(now_us() - a);
  }
  return summarize(t);
}

Lat run_raw(const fs::path& dir, int n) {
  int fd = ::open((dir / "raw.bin").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  // The bytes of one answer row as SQLite would hold them (~70 bytes).
  std::string row = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b|42|ACD|1234000|1790000000042";
  std::vector<double> t;
  for (int i = 0; i < n; ++i) {
    double a = now_us();
    if (::write(fd, row.data(), row.size()) != static_cast<ssize_t>(row.size())) std::abort();
    if (::fdatasync(fd) != 0) std::abort();
    t.push_back(now_us() - a);
  }
  ::close(fd);
  return summarize(t);
}

Lat run_plain(const fs::path& dir, int n) {
  std::string cmd = fmt::format("{} {} {}", CHZ_PLAIN_FLOOR, dir.string(), n);
  FILE* f = ::popen(cmd.c_str(), "r");
  Lat l{0, 0};
  if (!f || std::fscanf(f, "%lf %lf", &l.p50, &l.p99) != 2) std::abort();
  ::pclose(f);
  return l;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void line(const char* name, double fig, double floor, double bar) {
  double r = fig / floor;
  fmt::print("BENCH\t{}\t{:.1f} us\t{:.1f} us\t{:.2f}\t<= {:.2f}\t{}\n", name, fig, floor, r, bar,
             r <= bar ? "PASS" : "FAIL");
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 400;
  const int runs = 5;
  std::vector<double> cipher, plain, raw, cipher99;
  for (int r = 0; r < runs; ++r) {
    // Interleave the three so drift in the machine hits them alike.
    chz::testing::TempDir d("chz-bench");
    cipher.push_back(run_sqlcipher(d.path(), n).p50);
    plain.push_back(run_plain(d.path(), n).p50);
    raw.push_back(run_raw(d.path(), n).p50);
  }
  double c = median(cipher), p = median(plain), w = median(raw);
  fmt::print(
      stderr,
      "answer save p50: sqlcipher {:.1f} us, plain sqlite {:.1f} us, raw write+fdatasync {:.1f} us "
      "({} runs x {} answers)\n",
      c, p, w, runs, n);
  line("answer_save_vs_plain_sqlite", c, p, 1.10);
  line("answer_save_vs_raw_fdatasync", c, w, 2.00);
  return 0;
}
