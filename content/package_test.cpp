#include "content/package.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <functional>

#include "content/json_codec.h"
#include "content/testdata/sample_course.h"

using namespace chz;
using namespace chz::content;
using namespace chz::content::testing;

TEST_CASE("package: build then open returns the same course") {
  auto kp = ed25519_generate();
  auto src = sample_course(3);
  auto pkg = build_package(src, kp.secret);
  REQUIRE(pkg.ok());
  auto p = open_package(*pkg, {kp.pub});
  REQUIRE_MESSAGE(p.ok(), p.status().to_string());
  CHECK(p->course.id == src.course.id);
  CHECK(p->course.version == 3);
  REQUIRE(p->course.lessons.size() == 2);
  CHECK(p->course.lessons[0].markdown == src.course.lessons[0].markdown);
  CHECK(p->course.lessons[1].title == "分蜂");
  REQUIRE(p->course.bank.size() == src.course.bank.size());
  for (std::size_t i = 0; i < src.course.bank.size(); ++i) {
    const auto& a = src.course.bank[i];
    const auto& b = p->course.bank[i];
    CHECK(a.id == b.id);
    CHECK(a.stem == b.stem);
    CHECK(a.options == b.options);
    CHECK(a.correct == b.correct);
    CHECK(a.truth == b.truth);
    CHECK(a.blanks == b.blanks);
    CHECK(a.image == b.image);
  }
  CHECK(p->files.at("media/蜂箱.png") == kTinyPng);
  CHECK(p->course.blueprint.items.size() == 4);
}

TEST_CASE("package: the same source builds the same bytes") {
  auto kp = ed25519_generate();
  auto a = build_package(sample_course(), kp.secret);
  auto b = build_package(sample_course(), kp.secret);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a == *b);
}

TEST_CASE("package: a course whose blueprint is not 100 points is not built") {
  auto src = sample_course();
  src.course.blueprint.items[0].points_each = 21;
  auto pkg = build_package(src, ed25519_generate().secret);
  REQUIRE(!pkg.ok());
  CHECK(pkg.status().message().find("not 100") != std::string::npos);
}

TEST_CASE("package: an unsigned build is refused, then accepted once signed") {
  auto kp = ed25519_generate();
  auto pkg = build_package(sample_course(), std::nullopt);
  REQUIRE(pkg.ok());
  auto p = open_package(*pkg, {kp.pub});
  REQUIRE(!p.ok());
  CHECK(p.status().key() == "content.no_signature");
  auto signed_pkg = sign_package(*pkg, kp.secret);
  REQUIRE(signed_pkg.ok());
  CHECK(open_package(*signed_pkg, {kp.pub}).ok());
}

TEST_CASE("package: inspect reports the signer without trusting it") {
  auto kp = ed25519_generate();
  auto pkg = build_package(sample_course(), kp.secret);
  REQUIRE(pkg.ok());
  auto p = inspect_package(*pkg);
  REQUIRE(p.ok());
  REQUIRE(p->signer.has_value());
  CHECK(*p->signer == kp.pub);
  CHECK(p->signature_valid);
}

TEST_CASE("package: a float where the manifest or bank.json holds an integer is refused") {
  // Seen with tests/fuzz/package_fuzz under UBSan: 1e300 reached an
  // undefined float-to-integer conversion (inspect reads unsigned packages).
  auto pkg = build_package(sample_course(), std::nullopt);
  REQUIRE(pkg.ok());
  auto p = inspect_package(*pkg);
  REQUIRE(p.ok());
  auto good = nlohmann::json::parse(p->manifest_bytes);
  REQUIRE(parse_manifest(good.dump()).ok());
  std::vector<std::function<void(nlohmann::json&)>> edits = {
      [](auto& j) { j["package_version"] = 1e300; },
      [](auto& j) { j["course"]["version"] = -1e300; },
      [](auto& j) { j["course"]["level"] = 4.5; },
      [](auto& j) { j["course"]["theory_hours"] = 1e300; },
      [](auto& j) { j["lessons"][0]["minutes"] = 1e300; },
      [](auto& j) { j["blueprint"]["max_attempts"] = 1e300; },
      [](auto& j) { j["blueprint"]["items"][0]["count"] = 1e300; },
      [](auto& j) { j["files"][0]["size"] = 1e300; },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    auto j = good;
    edits[i](j);
    CHECK_MESSAGE(parse_manifest(j.dump()).status().key() == "content.bad_manifest", "edit ", i);
  }
  auto bank = nlohmann::json::parse(bank_to_json(sample_course().course.bank));
  REQUIRE(bank_from_json(bank.dump()).ok());
  bank[0]["correct"] = {1e300};
  CHECK(!bank_from_json(bank.dump()).ok());
}

TEST_CASE("archive: path checks refuse absolute, parent, dot and empty parts") {
  CHECK(check_entry_path("lessons/01.md").ok());
  CHECK(check_entry_path("media/蜂箱.png").ok());
  CHECK(check_entry_path("/etc/passwd").key() == "content.unsafe_path");
  CHECK(check_entry_path("../x").key() == "content.unsafe_path");
  CHECK(check_entry_path("a/../../x").key() == "content.unsafe_path");
  CHECK(check_entry_path("a/./x").key() == "content.unsafe_path");
  CHECK(check_entry_path("a//x").key() == "content.unsafe_path");
  CHECK(check_entry_path("a\\x").key() == "content.unsafe_path");
  CHECK(check_entry_path("").key() == "content.unsafe_path");
  CHECK(check_entry_path("a\xff").key() == "content.unsafe_path");
}

TEST_CASE("archive: garbage is not an archive") {
  auto r = read_archive("this is not a tar file at all, not even close", ArchiveKind::kTar);
  REQUIRE(!r.ok());
  CHECK(r.status().key() == "content.not_archive");
}
