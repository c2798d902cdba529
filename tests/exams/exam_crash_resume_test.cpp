// Crash resume: a child process answers questions and is SIGKILLed at
// random points (before, during or after a save) for many rounds. The
// child's clock is a value in shared memory written only by the parent,
// in lockstep with the child's saves, so the parent knows the exact time of
// every save. After each kill the parent lets a random downtime pass,
// resumes the attempt as a restarted kiosk would and checks that every
// acknowledged answer is there, that the paper resumes on the last saved
// question, and that the remaining time is exactly right.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <random>
#include <sstream>

#include "kiosk/exam_session.h"
#include "kiosk/exam_test_store.h"

namespace chz::kiosk::exam {

namespace {

class SharedClock final : public Clock {
 public:
  explicit SharedClock(std::atomic<std::int64_t>* v) : v_(v) {}
  std::int64_t now_ms() const override { return v_->load(); }
  std::int64_t steady_ms() const override { return v_->load(); }

 private:
  std::atomic<std::int64_t>* v_;
};

struct Save {
  int pos = -1;
  std::string answer;  // answer_json of the display-position answer
  std::int64_t at = 0;
};

// The child: resume under a new boot id, say "R", then for each byte on `go` make one
// save and report "P pos answer at" before and "A ..." after it returned OK.
[[noreturn]] void child(const std::filesystem::path& dir, const std::string& attempt, int round,
                        std::atomic<std::int64_t>* clock_value, int go_fd, int out_fd) {
  SharedClock clock(clock_value);
  auto store = Store::open(dir);
  if (!store.ok()) _exit(10);
  auto run = resume_attempt(*store, clock, attempt, "child-" + std::to_string(round));
  if (!run.ok()) _exit(11);
  // Resumed: only now may the parent move the clock.
  if (write(out_fd, "R 0 - 0\n", 8) != 8) _exit(16);
  std::mt19937_64 rng(1000 + round);
  char b;
  while (read(go_fd, &b, 1) == 1) {
    int pos = static_cast<int>(rng() % 9);
    auto v = question(*store, clock, *run, pos);
    if (!v.ok()) _exit(12);
    Answer a;
    switch (v->type) {
      case content::QuestionType::kTrueFalse:
        a.truth = rng() % 2 == 0;
        break;
      case content::QuestionType::kFill:
        a.blanks = {"答" + std::to_string(rng() % 1000), "ＺＷ"};
        break;
      default:
        a.choices = {static_cast<int>(rng() % v->options.size())};
    }
    std::string line =
        std::to_string(pos) + " " + answer_json(a) + " " + std::to_string(clock.now_ms()) + "\n";
    std::string pre = "P " + line, ack = "A " + line;
    if (write(out_fd, pre.data(), pre.size()) != static_cast<ssize_t>(pre.size())) _exit(13);
    if (!answer(*store, clock, *run, pos, a).ok()) _exit(14);
    if (write(out_fd, ack.data(), ack.size()) != static_cast<ssize_t>(ack.size())) _exit(15);
  }
  _exit(0);
}

bool parse(const std::string& line, char& tag, Save& s) {
  std::istringstream in(line);
  return static_cast<bool>(in >> tag >> s.pos >> s.answer >> s.at);
}

}  // namespace

TEST_CASE(
    "exam crash: every acknowledged answer and the remaining time survive SIGKILL (24 rounds)") {
  testing::ExamFixture f;
  auto person = f.trainee(1, "张𠮷祥");
  const std::int64_t kMaxDown = 5 * 60'000;
  auto sitting = f.sitting(kMaxDown);
  auto start = f.start(person, sitting.id, 77);
  REQUIRE(start.ok());
  const std::string attempt = start->attempt_id;
  const std::int64_t limit = sitting.time_limit_ms;

  void* mem = mmap(nullptr, sizeof(std::atomic<std::int64_t>), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  REQUIRE(mem != MAP_FAILED);
  auto* clock_value = new (mem) std::atomic<std::int64_t>(f.clock().now_ms());
  SharedClock clock(clock_value);

  // The model of the attempt's clock: exam time used as of a checkpoint.
  std::int64_t charged = 0, checkpoint = clock.now_ms();
  std::map<int, std::string> expected;  // pos -> answer_json
  // CHZ_SEED varies the schedule (the default keeps runs reproducible).
  std::mt19937_64 rng(getenv("CHZ_SEED") ? std::stoull(getenv("CHZ_SEED")) : 20261123);
  int kills_mid_save = 0, in_flight_persisted = 0, charged_gaps = 0;

  for (int round = 0; round < 24; ++round) {
    f.store().db().close();
    int go[2], out[2];
    REQUIRE(pipe(go) == 0);
    REQUIRE(pipe(out) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(go[1]);
      close(out[0]);
      child(f.ts.dir, attempt, round, clock_value, go[0], out[1]);
    }
    close(go[0]);
    close(out[1]);
    FILE* lines = fdopen(out[0], "r");
    REQUIRE(lines);
    int saves = 1 + static_cast<int>(rng() % 12);
    bool kill_mid = rng() % 2 == 0;  // kill after a "P" line (in or around the save)
    std::vector<Save> acked;
    Save in_flight;
    char buf[512];
    REQUIRE(fgets(buf, sizeof buf, lines));
    REQUIRE(buf[0] == 'R');
    for (int i = 0; i < saves; ++i) {
      clock_value->fetch_add(static_cast<std::int64_t>(rng() % 5000));
      REQUIRE(write(go[1], "g", 1) == 1);
      char tag;
      Save s;
      REQUIRE(fgets(buf, sizeof buf, lines));
      REQUIRE(parse(buf, tag, s));
      REQUIRE(tag == 'P');
      in_flight = s;
      if (kill_mid && i == saves - 1) {
        usleep(static_cast<useconds_t>(rng() % 1500));
        break;
      }
      REQUIRE(fgets(buf, sizeof buf, lines));
      REQUIRE(parse(buf, tag, s));
      REQUIRE(tag == 'A');
      acked.push_back(s);
      in_flight = Save{};
    }
    kill(pid, SIGKILL);
    int wst = 0;
    waitpid(pid, &wst, 0);
    REQUIRE(WIFSIGNALED(wst));
    // An "A" written before death is an acknowledgement too.
    while (fgets(buf, sizeof buf, lines)) {
      char tag;
      Save s;
      if (parse(buf, tag, s) && tag == 'A') {
        acked.push_back(s);
        in_flight = Save{};
      }
    }
    fclose(lines);
    close(go[1]);
    if (in_flight.pos >= 0) ++kills_mid_save;

    // Downtime: mostly forgiven, every fourth round longer than the limit.
    bool long_gap = round % 4 == 3;
    std::int64_t gap = long_gap ? kMaxDown + 60'000 + static_cast<std::int64_t>(rng() % 60'000)
                                : static_cast<std::int64_t>(rng() % kMaxDown);
    clock_value->fetch_add(gap);
    std::int64_t now = clock.now_ms();

    auto reopened = Store::open(f.ts.dir);
    REQUIRE(reopened.ok());
    f.ts.store = std::move(reopened).value();
    auto run = resume_attempt(f.store(), clock, attempt, "parent-" + std::to_string(round));
    REQUIRE(run.ok());

    // Candidate states: the last acknowledged save, or the in-flight one.
    auto expect_used = [&](const Save* last) {
      std::int64_t c = charged, cp = checkpoint;
      if (last) {
        c += last->at - checkpoint;
        cp = last->at;
      }
      std::int64_t down = now - cp;
      return c + (down > kMaxDown ? down - kMaxDown : 0);
    };
    const Save* last_ack = acked.empty() ? nullptr : &acked.back();
    std::int64_t rem = *remaining_ms(f.store(), clock, *run);
    if (getenv("CHZ_DEBUG")) {
      auto st = f.store().db().prepare(
          "SELECT charged_ms, checkpoint_ms, downtime_ms, boot_id FROM exam_attempts");
      REQUIRE(st.ok());
      REQUIRE(*st->step());
      MESSAGE("db charged ", st->int64(0), " checkpoint ", st->int64(1), " down ", st->int64(2),
              " boot ", st->text(3), " now ", now, " model charged ", charged, " cp ", checkpoint,
              " acked ", acked.size(), " last at ", acked.empty() ? 0 : acked.back().at);
    }
    std::int64_t rem_ack = limit - expect_used(last_ack);
    std::int64_t rem_flight = in_flight.pos >= 0 ? limit - expect_used(&in_flight) : -1;
    auto stored_at = [&](int pos) {
      auto v = question(f.store(), clock, *run, pos);
      REQUIRE(v.ok());
      return answer_json(v->answer);
    };
    bool flight_saved = false;
    if (in_flight.pos >= 0 && rem == rem_flight && rem != rem_ack) flight_saved = true;
    if (in_flight.pos >= 0 && rem == rem_ack && rem == rem_flight)
      flight_saved = stored_at(in_flight.pos) == in_flight.answer;  // same instant: tell by content
    CHECK_MESSAGE((rem == rem_ack || rem == rem_flight), "round ", round, ": remaining ", rem,
                  " expected ", rem_ack, " or ", rem_flight);
    for (const auto& s : acked) expected[s.pos] = s.answer;
    if (flight_saved) {
      expected[in_flight.pos] = in_flight.answer;
      ++in_flight_persisted;
    }
    // Every acknowledged answer is there, nothing else changed.
    for (int pos = 0; pos < 9; ++pos) {
      auto it = expected.find(pos);
      CHECK_MESSAGE(stored_at(pos) == (it == expected.end() ? std::string() : it->second), "round ",
                    round, " pos ", pos);
    }
    // Resumes on the last saved question.
    const Save* last = flight_saved ? &in_flight : last_ack;
    if (last) CHECK(question(f.store(), clock, *run)->pos == last->pos);
    if (long_gap) ++charged_gaps;
    charged = limit - rem;
    checkpoint = now;
  }
  CHECK(kills_mid_save > 0);
  MESSAGE("kills during a save: ", kills_mid_save, ", of which persisted: ", in_flight_persisted);

  auto res = result(f.store(), attempt);
  REQUIRE(res.ok());
  CHECK(static_cast<int>(res->gaps.size()) >= 20);
  int charged_seen = 0;
  for (const auto& g : res->gaps) charged_seen += g.charged_ms > 0;
  CHECK(charged_seen == charged_gaps);
  CHECK(!res->submitted);

  // Time runs out with the kiosk on: tick auto-submits, answers graded.
  auto run = resume_attempt(f.store(), clock, attempt, "final");
  REQUIRE(run.ok());
  clock_value->fetch_add(limit);
  auto t = tick(f.store(), clock, *run);
  REQUIRE(t.ok());
  CHECK(t->submitted);
  auto done = result(f.store(), attempt);
  REQUIRE(done.ok());
  CHECK(done->submitted);
  CHECK(done->reason == "timeout");
  int answered = 0;
  for (const auto& it : done->items) answered += !it.your_answer.empty();
  CHECK(answered == static_cast<int>(expected.size()));
  CHECK(f.store().check().ok());
  munmap(mem, sizeof(std::atomic<std::int64_t>));
}

}  // namespace chz::kiosk::exam
