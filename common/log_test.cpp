// The one logger: set again without aborting, bad levels refused, and no
// message can forge a line of its own.
#include "common/log.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "common/fs.h"
#include "common/testing/temp_dir.h"

using namespace chz;
using chz::testing::TempDir;

TEST_CASE("log: escaping keeps Chinese and writes control bytes and bad UTF-8 as \\xNN") {
  CHECK(log_escape("签到 张𠮷") == "签到 张𠮷");
  CHECK(log_escape("a\nb\rc\x1b[31m") == "a\\x0ab\\x0dc\\x1b[31m");
  CHECK(log_escape("back\\slash") == "back\\\\slash");
  CHECK(log_escape("\xff\xfe ok") == "\\xff\\xfe ok");
  CHECK(log_escape("\xe4\xb8") == "\\xe4\\xb8");           // a cut sequence
  CHECK(log_escape("\xc0\xaf") == "\\xc0\\xaf");           // an overlong '/'
  CHECK(log_escape("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(log_escape(std::string(100, 'x'), 10) == std::string(10, 'x') + "…");
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
