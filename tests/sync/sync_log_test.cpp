// The request log line cannot be forged: line breaks and control bytes in
// a request's path, method or device header are escaped, so one request
// writes exactly one line.
#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "common/log.h"
#include "tests/sync/harness.h"
#include "tests/sync/raw_http.h"

using namespace chz;
using namespace chz::synctest;

namespace {
// Captures the default logger's lines while alive.
class Capture {
 public:
  Capture() : old_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto l = std::make_shared<spdlog::logger>("capture", sink);
    l->set_level(spdlog::level::debug);
    l->set_pattern("%l %v");
    spdlog::set_default_logger(l);
  }
  ~Capture() { spdlog::set_default_logger(old_); }
  // The request log lines; every other line goes to `others`.
  std::vector<std::string> http_lines(std::vector<std::string>* others = nullptr) {
    std::vector<std::string> v;
    for (auto& l : lines())
      (l.find("http ") != std::string::npos ? v : others ? *others : v).push_back(l);
    return v;
  }
  std::vector<std::string> lines() {
    spdlog::default_logger()->flush();
    std::vector<std::string> v;
    std::istringstream in(out_.str());
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> old_;
};
bool has_control(const std::string& l) {
  for (char c : l)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}
}  // namespace

TEST_CASE("log: a path with %0a, %0d and raw bytes writes one line, escaped") {
  Harness h;
  Capture cap;
  auto r = exchange(h.http->port(),
                    "GET /api/v1/health%0a2026-01-01%20info%20FORGED%0d%00\xff\xfe HTTP/1.1\r\n"
                    "Host: county\r\nX-Chz-Device: kiosk\xff\xc0[2J\r\n\r\n",
                    2000);
  CHECK_MESSAGE(r.status == 404, r.body);
  std::vector<std::string> others;
  auto lines = cap.http_lines(&others);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("/api/v1/health\\x0a2026-01-01 info FORGED\\x0d\\x00\\xff\\xfe") !=
        std::string::npos);
  CHECK(lines[0].find("device=kiosk\\xff\\xc0[2J") != std::string::npos);
  CHECK_FALSE(has_control(lines[0]));
  for (const auto& l : others) CHECK(l.find("FORGED") == std::string::npos);
}

TEST_CASE("log: a request refused for raw control bytes in a header still writes one clean line") {
  Harness h;
  Capture cap;
  auto r = exchange(
      h.http->port(),
      "GET /api/v1/health HTTP/1.1\r\nHost: county\r\nX-Chz-Device: a\x1b[2J\rb\r\n\r\n", 2000);
  CHECK(r.status == 400);
  auto lines = cap.http_lines();
  REQUIRE(lines.size() == 1);
  CHECK_FALSE(has_control(lines[0]));
}

TEST_CASE("log: a long path is capped in the log line") {
  Harness h;
  Capture cap;
  std::string path = "/" + std::string(5000, 'a');
  auto r = exchange(h.http->port(), "GET " + path + " HTTP/1.1\r\nHost: county\r\n\r\n", 2000);
  CHECK(r.status == 404);
  bool found = false;
  for (const auto& l : cap.lines()) {
    if (l.find("http ") == std::string::npos) continue;
    found = true;
    CHECK(l.size() < 600);
    CHECK(l.find("...(5001 bytes)") != std::string::npos);
  }
  CHECK(found);
}
