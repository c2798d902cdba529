// kioskctl's content commands, run in-process against a real kiosk store:
// the kiosk trusts only the county content key it was given.
#include <doctest/doctest.h>

#include "app/ctl/ctl.h"
#include "common/clock.h"
#include "content/install.h"
#include "content/keys.h"
#include "content/testdata/sample_course.h"
#include "kiosk/store.h"

using namespace chz;
using namespace chz::content;
namespace fs = std::filesystem;

namespace {

int kioskctl(const fs::path& data, std::vector<std::string> args) {
  CLI::App app{"kioskctl"};
  app.require_subcommand(1);
  ctl::Context ctx;
  ctx.data = data;
  ctl::add_content_commands(app, ctx);
  std::vector<std::string> argv = {"kioskctl"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<const char*> cargv;
  for (const auto& a : argv) cargv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(cargv.size()), cargv.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return ctx.exit_code;
}

struct Kiosk {
  testing::TempDir tmp;
  fs::path data = tmp.path / "kiosk";
  Ed25519KeyPair county = ed25519_generate();
  fs::path pub = tmp.path / "county.pub";
  Kiosk() {
    FakeClock clock;
    REQUIRE(kiosk::Store::init(data, clock).ok());
    REQUIRE(write_key_file(pub, county.pub, "county", 0644).ok());
  }
  fs::path package(std::int64_t v, const Key32& secret) {
    auto p = build_package(testing::sample_course(v), secret);
    REQUIRE(p.ok());
    return testing::write_temp(tmp, "v" + std::to_string(v) + ".chzpkg", *p);
  }
};

}  // namespace

TEST_CASE("kioskctl content: a kiosk with no county key installs nothing") {
  Kiosk k;
  CHECK(kioskctl(k.data, {"install-content", k.package(1, k.county.secret).string()}) == 1);
  CHECK(installed_version(k.data, "zhongfeng-test").status().code() == Code::kNotFound);
}

TEST_CASE("kioskctl content: trust the county key in the store, install, list") {
  Kiosk k;
  REQUIRE(kioskctl(k.data, {"content-trust", k.pub.string()}) == 0);
  auto store = kiosk::Store::open(k.data);
  REQUIRE(store.ok());
  CHECK(*store->setting("county.content_pub") == hex(k.county.pub));
  CHECK(kioskctl(k.data, {"install-content", k.package(1, k.county.secret).string()}) == 0);
  CHECK(kioskctl(k.data, {"install-content", k.package(2, k.county.secret).string()}) == 0);
  CHECK(kioskctl(k.data, {"content"}) == 0);
  CHECK(*installed_version(k.data, "zhongfeng-test") == 2);
  // Another county's package is refused and v2 stays.
  auto other = ed25519_generate();
  CHECK(kioskctl(k.data, {"install-content", k.package(3, other.secret).string()}) == 1);
  CHECK(*installed_version(k.data, "zhongfeng-test") == 2);
  // A downgrade is refused.
  CHECK(kioskctl(k.data, {"install-content", (k.tmp.path / "v1.chzpkg").string()}) == 1);
  CHECK(*installed_version(k.data, "zhongfeng-test") == 2);
}

TEST_CASE("kioskctl content: --trust and <data>/content-key.pub are honoured") {
  Kiosk k;
  CHECK(kioskctl(k.data, {"install-content", k.package(1, k.county.secret).string(), "--trust",
                          k.pub.string()}) == 0);
  fs::copy_file(k.pub, k.data / "content-key.pub");
  CHECK(kioskctl(k.data, {"install-content", k.package(2, k.county.secret).string()}) == 0);
  CHECK(*installed_version(k.data, "zhongfeng-test") == 2);
}
