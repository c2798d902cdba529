// Every demo course under content/courses/ is a publishable course: it
// reads, validates (blueprint satisfiable, 100 points), has >= 5 lessons and
// >= 40 questions of mixed types, builds into a signed package that a kiosk
// verifies, installs and reads back unchanged.
#include <doctest/doctest.h>

#include <set>

#include "content/install.h"
#include "content/source.h"
#include "content/testdata/sample_course.h"

using namespace chz;
using namespace chz::content;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> course_dirs() {
  const char* src = std::getenv("CHZ_SOURCE_DIR");
  fs::path root = fs::path(src ? src : ".") / "content/courses";
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec))
    if (fs::exists(e.path() / "course.toml")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("demo courses: the five required occupations are present") {
  std::set<std::string> names;
  for (const auto& d : course_dirs()) {
    auto sc = read_source(d);
    if (sc.ok()) names.insert(sc->course.name + "|" + sc->course.occupation);
  }
  auto has = [&](std::string_view word) {
    for (const auto& n : names)
      if (n.find(word) != std::string::npos) return true;
    return false;
  };
  CHECK(names.size() >= 5);
  for (auto w : {"中蜂", "连翘", "家政服务员", "焊工", "直播销售"}) CHECK_MESSAGE(has(w), w);
}

TEST_CASE("demo courses: each one is complete, builds, verifies, installs and reads back") {
  auto dirs = course_dirs();
  REQUIRE(dirs.size() >= 5);
  testing::TempDir tmp;
  auto county = ed25519_generate();
  for (const auto& d : dirs) {
    CAPTURE(d.filename().string());
    auto sc = read_source(d);
    REQUIRE_MESSAGE(sc.ok(), sc.status().message());
    const Course& c = sc->course;
    CHECK_MESSAGE(validate_for_publish(c).ok(), validate_for_publish(c).message());
    CHECK(c.id == d.filename().string());
    CHECK(c.lessons.size() >= 5);
    CHECK(c.bank.size() >= 40);
    CHECK(blueprint_points(c.blueprint) == doctest::Approx(100));
    CHECK(c.theory_hours > 0);
    CHECK(!c.summary.empty());
    std::set<QuestionType> types;
    std::set<std::string> stems;
    for (const auto& q : c.bank) {
      types.insert(q.type);
      CHECK_MESSAGE(stems.insert(q.stem).second, (std::string("repeated stem in ") + q.id));
      CHECK_MESSAGE(!q.chapter.empty(), (std::string("no chapter: ") + q.id));
      if (q.type == QuestionType::kSingle || q.type == QuestionType::kMultiple) {
        std::set<std::string> opts(q.options.begin(), q.options.end());
        CHECK_MESSAGE(opts.size() == q.options.size(), (std::string("repeated option in ") + q.id));
      }
    }
    CHECK(types.size() >= 3);
    for (const auto& l : c.lessons)
      CHECK_MESSAGE(l.markdown.size() >= 600, (std::string("short lesson ") + l.id));

    auto pkg = build_package(*sc, county.secret);
    REQUIRE_MESSAGE(pkg.ok(), pkg.status().message());
    auto file = testing::write_temp(tmp, c.id + ".chzpkg", *pkg);
    auto inst = install_package(tmp.path / "kiosk", file, {county.pub});
    REQUIRE_MESSAGE(inst.ok(), inst.status().message());
    auto back = load_installed(tmp.path / "kiosk", c.id);
    REQUIRE(back.ok());
    REQUIRE(back->lessons.size() == c.lessons.size());
    for (std::size_t i = 0; i < c.lessons.size(); ++i)
      CHECK(back->lessons[i].markdown == c.lessons[i].markdown);
    REQUIRE(back->bank.size() == c.bank.size());
    for (std::size_t i = 0; i < c.bank.size(); ++i) {
      CHECK(back->bank[i].stem == c.bank[i].stem);
      CHECK(back->bank[i].correct == c.bank[i].correct);
    }
    CHECK(verify_installed(tmp.path / "kiosk", c.id, c.version, {county.pub}).ok());
  }
  auto list = list_installed(tmp.path / "kiosk");
  REQUIRE(list.ok());
  CHECK(list->size() == dirs.size());
}
