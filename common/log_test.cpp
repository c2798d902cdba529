// The one logger: log_field escapes and caps a value from outside; the
// logger can be set again without aborting, refuses bad levels, and no
// message can forge a line of its own.
#include "common/log.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "common/fs.h"
#include "common/testing/temp_dir.h"

using namespace chz;
using chz::testing::TempDir;

TEST_CASE("log: a field cannot start a second line") {
  CHECK(log_field("/a\nb\rc") == "/a\\x0ab\\x0dc");
  CHECK(log_field(std::string_view("a\0b", 3)) == "a\\x00b");
  CHECK(log_field("\x1b[31m\x7f") == "\\x1b[31m\\x7f");
  CHECK(log_field("\\x0a") == "\\x5cx0a");  // a literal escape stays distinguishable
}

TEST_CASE("log: valid UTF-8 is kept, invalid bytes and C1 controls are escaped") {
  CHECK(log_field("城关镇") == "城关镇");
  CHECK(log_field("a\xff\xfe") == "a\\xff\\xfe");
  CHECK(log_field("\xc0\xaf") == "\\xc0\\xaf");           // overlong '/'
  CHECK(log_field("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(log_field("\xc2\x85") == "\\xc2\\x85");           // NEL
  CHECK(log_field("\xe5\x9f") == "\\xe5\\x9f");           // cut sequence
}

TEST_CASE("log: a long field is capped and says how long it was") {
  std::string s(1000, 'a');
  auto f = log_field(s, 10);
  CHECK(f == "aaaaaaaaaa...(1000 bytes)");
  // A multi-byte character cut by the cap is escaped, not split.
  CHECK(log_field("ab城", 4) == "ab\\xe5\\x9f...(5 bytes)");
}

TEST_CASE("log: init_logging twice replaces the logger instead of aborting") {
  REQUIRE(init_logging("info").ok());
  REQUIRE(
      init_logging("debug").ok());  // spdlog used to throw "logger with name 'chz' already exists"
  CHECK(spdlog::default_logger()->level() == spdlog::level::debug);
  REQUIRE(init_logging("warn").ok());
  CHECK(spdlog::default_logger()->level() == spdlog::level::warn);
}

TEST_CASE("log: an unknown level is refused and the logger stays as it was") {
  REQUIRE(init_logging("info").ok());
  for (const char* bad : {"loud", "", "INFO", "trace", "off"}) {
    Status st = init_logging(bad);
    CHECK(st.code() == Code::kInvalidArgument);
    CHECK(st.message().find("debug, info, warn or error") != std::string::npos);
  }
  CHECK(spdlog::default_logger()->level() == spdlog::level::info);
}

TEST_CASE("log: a newline in a logged field cannot start a forged line") {
  TempDir dir;
  auto file = dir.path() / "server.log";
  REQUIRE(init_logging("info", file.string()).ok());
  spdlog::info("http path={} status=404", "/api/v1/x\n2026-12-01T00:00:00.000+0800 info enrolled");
  spdlog::info("second line");
  spdlog::default_logger()->flush();
  auto text = read_file(file);
  REQUIRE(text.ok());
  CHECK(std::count(text->begin(), text->end(), '\n') == 2);
  CHECK(text->find("/api/v1/x\\x0a2026-12-01") != std::string::npos);
  REQUIRE(init_logging("info").ok());  // back to stderr: the file goes with the temp dir
}

TEST_CASE("log: lines carry China time (+08:00), not the machine's zone") {
  TempDir dir;
  auto file = dir.path() / "server.log";
  REQUIRE(init_logging("info", file.string()).ok());
  auto before = std::chrono::system_clock::now();
  spdlog::info("one line");
  spdlog::default_logger()->flush();
  auto text = read_file(file);
  REQUIRE(text.ok());
  // "YYYY-MM-DDTHH:MM:SS.mmm+08:00 info one line"
  REQUIRE(text->size() > 30);
  CHECK(text->substr(23, 6) == "+08:00");
  std::time_t t = std::chrono::system_clock::to_time_t(before) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char want[64];
  std::snprintf(want, sizeof want, "%04d-%02d-%02dT%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour);
  CHECK(text->substr(0, 13) == want);
  CHECK(text->find(" info one line") != std::string::npos);
  REQUIRE(init_logging("info").ok());
}
