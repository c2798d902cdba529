#include "tests/bench/sync_upload/bench_records.h"

#include <fmt/format.h>

#include <cstdio>
#include <random>

#include "common/crypto.h"
#include "common/uuid.h"
#include "sync/protocol/wire.h"

namespace chz::bench {

std::vector<sync::Record> attendance(const std::string& device, int n, std::int64_t start_ms,
                                     bool derived) {
  std::mt19937 rng(7);
  std::vector<std::string> people;
  for (int i = 0; i < 40; ++i)
    people.push_back(hex(sha256(fmt::format("{}-person-{}", device, i))));
  std::vector<sync::Record> out;
  out.reserve(static_cast<std::size_t>(n));
  std::int64_t seq = 0, t = start_ms;
  int session = 0;
  while (static_cast<int>(out.size()) < n) {
    ++session;
    std::string sid = fmt::format(
        "session-{}-{:04}", device.substr(device.size() > 6 ? device.size() - 6 : 0), session);
    for (const char* ev : {"in", "out"}) {
      std::int64_t base = t + (ev[0] == 'o' ? 2 * 3600 * 1000 : 0);
      for (int p = 0; p < 40 && static_cast<int>(out.size()) < n; ++p) {
        if (rng() % 10 == 0) continue;  // absent
        std::int64_t at = base + static_cast<std::int64_t>(rng() % 20000) + p * 15000;
        sync::Record r;
        ++seq;
        r.meta = {derived ? sync::record_uuid(device, seq, at) : new_uuid_text(at),
                  device,
                  seq,
                  {at, 0},
                  at,
                  -850};
        r.kind = "attendance";
        r.body =
            fmt::format(R"({{"at_ms":{},"by":"{}","event":"{}","person":"{}","session":"{}"}})", at,
                        rng() % 8 == 0 ? "staff:staff-1" : "self", ev,
                        people[static_cast<std::size_t>(p)], sid);
        out.push_back(std::move(r));
      }
    }
    t += 24LL * 3600 * 1000;
  }
  return out;
}

void report(const std::string& name, const std::string& figure, const std::string& floor,
            double ratio, const std::string& bar, bool pass) {
  std::printf("BENCH\t%s\t%s\t%s\t%.3f\t%s\t%s\n", name.c_str(), figure.c_str(), floor.c_str(),
              ratio, bar.c_str(), pass ? "PASS" : "FAIL");
  std::fflush(stdout);
}

}  // namespace chz::bench
