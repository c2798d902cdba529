// Answer-save latency (p50/p99) of exam::answer() — one durable transaction
// holding the time checkpoint, the answer row and the current question — on
// a real kiosk store, against a floor measured in the same run: the same
// answer row written by the bare Db API (one INSERT in one transaction, no
// domain logic) into the same store. Both pay one WAL commit + fsync; the
// ratio is the cost of the exam logic. Runs alternate in blocks so disk
// drift hits both alike. The plain-SQLite floor (separate process, since
// SQLCipher and SQLite export the same symbols) is tests/bench/store's.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "kiosk/exam_session.h"
#include "kiosk/exam_test_store.h"

using namespace chz;
using namespace chz::kiosk;

namespace {

double now_us() {
  return std::chrono::duration<double, std::micro>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double pct(std::vector<double> v, int p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, v.size() * p / 100)];
}

void line(const std::string& name, double fig, double floor, double bar) {
  double ratio = fig / floor;
  fmt::print("BENCH\t{}\t{:.0f} us\t{:.0f} us\t{:.2f}\t<= {:.2f}\t{}\n", name, fig, floor, ratio,
             bar, ratio <= bar ? "PASS" : "FAIL");
}

}  // namespace

int main() {
  exam::testing::ExamFixture f;
  auto person = f.trainee(1, "张三");
  auto sitting = f.sitting();
  auto run = f.start(person, sitting.id, 1);
  if (!run.ok()) {
    fmt::print(stderr, "start: {}\n", run.status().to_string());
    return 1;
  }
  auto q = exam::question(f.store(), f.clock(), *run, 0);
  Db& db = f.ts.db();
  auto ins = db.prepare(
      "INSERT OR REPLACE INTO exam_answers(attempt_id, pos, answer, flagged, elapsed_ms, "
      "saved_ms, changes) VALUES (?, ?, ?, 0, ?, ?, 1)");
  if (!q.ok() || !ins.ok()) return 1;
  std::vector<double> api, bare;
  const int kBlocks = 12, kPerBlock = 40;
  for (int b = 0; b < kBlocks; ++b) {
    for (int i = 0; i < kPerBlock; ++i) {
      f.clock().advance(1000);
      exam::Answer a;
      a.truth = (i % 2) == 0;
      int pos = 0;
      if (q->type != content::QuestionType::kTrueFalse) return 1;
      double t0 = now_us();
      if (!exam::answer(f.store(), f.clock(), *run, pos, a).ok()) return 1;
      api.push_back(now_us() - t0);
    }
    for (int i = 0; i < kPerBlock; ++i) {
      std::string body = (i % 2) == 0 ? "{\"t\":1}" : "{\"t\":0}";
      double t0 = now_us();
      Status st = db.transaction([&]() -> Status {
        ins->bind_all(run->attempt_id, std::int64_t(1), body, std::int64_t(1000) * i,
                      f.clock().now_ms());
        Status s = ins->run();
        (void)ins->reset();
        return s;
      });
      if (!st.ok()) return 1;
      bare.push_back(now_us() - t0);
    }
  }
  fmt::print(
      "# exam answer save: {} saves each; floor = same row via bare Db API in the same store\n",
      api.size());
  line("exam_answer_save_p50", pct(api, 50), pct(bare, 50), 1.25);
  line("exam_answer_save_p99", pct(api, 99), pct(bare, 99), 1.50);
  return 0;
}
