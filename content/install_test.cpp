#include "content/install.h"

#include <doctest/doctest.h>

#include "content/testdata/sample_course.h"

using namespace chz;
using namespace chz::content;
using namespace chz::content::testing;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  TempDir tmp;
  fs::path data = tmp.path / "kiosk";
  Ed25519KeyPair county = ed25519_generate();

  std::string build(std::int64_t version) {
    auto p = build_package(sample_course(version), county.secret);
    REQUIRE(p.ok());
    return *p;
  }
  Result<InstallResult> install_bytes(const std::string& bytes, const ArchiveLimits& limits = {}) {
    auto f = write_temp(tmp, "pkg.chzpkg", bytes);
    return install_package(data, f, {county.pub}, limits);
  }
  // Installs v1 then v2: the state each refusal must leave untouched.
  std::map<std::string, std::string> installed_v2() {
    REQUIRE(install_bytes(build(1)).ok());
    REQUIRE(install_bytes(build(2)).ok());
    return tree_snapshot(data);
  }
  // A package variant re-signed after `mutate` edits its entries.
  std::string crafted(std::int64_t version,
                      const std::function<void(std::vector<RawEntry>&)>& mutate,
                      bool resign = false) {
    auto es = package_entries(build(version));
    mutate(es);
    if (resign) {
      auto sig = signature_json(*find_entry(es, "manifest.json"), county.secret);
      *find_entry(es, "manifest.sig") = *sig;
    }
    return write_raw_tar(es);
  }
  void check_refused(const Result<InstallResult>& r, std::string_view key,
                     const std::map<std::string, std::string>& before) {
    REQUIRE(!r.ok());
    CHECK(r.status().key() == key);
    CHECK(!r.status().message().empty());
    CHECK(tree_snapshot(data) == before);
    auto v = installed_version(data, "zhongfeng-test");
    REQUIRE(v.ok());
    CHECK(*v == 2);
    CHECK(verify_installed(data, "zhongfeng-test", 2, {county.pub}).ok());
  }
};

}  // namespace

TEST_CASE("install: round trip installs and reads back every lesson and question") {
  Fixture f;
  auto r = f.install_bytes(f.build(1));
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  CHECK(r->course_id == "zhongfeng-test");
  CHECK(!r->previous.has_value());
  auto c = load_installed(f.data, "zhongfeng-test");
  REQUIRE(c.ok());
  auto src = sample_course(1).course;
  REQUIRE(c->lessons.size() == src.lessons.size());
  for (std::size_t i = 0; i < src.lessons.size(); ++i) {
    CHECK(c->lessons[i].markdown == src.lessons[i].markdown);
    auto md = read_installed_file(f.data, "zhongfeng-test", 1, lesson_path(src.lessons[i]));
    REQUIRE(md.ok());
    CHECK(*md == src.lessons[i].markdown);
  }
  REQUIRE(c->bank.size() == src.bank.size());
  for (std::size_t i = 0; i < src.bank.size(); ++i) {
    CHECK(c->bank[i].stem == src.bank[i].stem);
    CHECK(c->bank[i].correct == src.bank[i].correct);
    CHECK(c->bank[i].blanks == src.bank[i].blanks);
  }
  auto png = read_installed_file(f.data, "zhongfeng-test", 1, "media/蜂箱.png");
  REQUIRE(png.ok());
  CHECK(*png == kTinyPng);
  CHECK(verify_installed(f.data, "zhongfeng-test", 1, {f.county.pub}).ok());
  auto list = list_installed(f.data);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  CHECK((*list)[0].name == "中蜂养殖（测试）");
}

TEST_CASE("install: a newer version switches over and the old one stays readable until pruned") {
  Fixture f;
  REQUIRE(f.install_bytes(f.build(1)).ok());
  auto r = f.install_bytes(f.build(2));
  REQUIRE(r.ok());
  CHECK(r->previous == 1);
  CHECK(*installed_version(f.data, "zhongfeng-test") == 2);
  auto old = load_installed(f.data, "zhongfeng-test", 1);
  REQUIRE(old.ok());
  CHECK(old->version == 1);
  CHECK(list_installed(f.data)->at(0).kept_versions == std::vector<std::int64_t>{1, 2});
  REQUIRE(prune_versions(f.data, "zhongfeng-test", {1}).ok());
  CHECK(load_installed(f.data, "zhongfeng-test", 1).ok());
  REQUIRE(prune_versions(f.data, "zhongfeng-test", {}).ok());
  CHECK(load_installed(f.data, "zhongfeng-test", 1).status().code() == Code::kNotFound);
  CHECK(load_installed(f.data, "zhongfeng-test").ok());
}

TEST_CASE("install: a file changed on disk after install is caught when read") {
  Fixture f;
  REQUIRE(f.install_bytes(f.build(1)).ok());
  auto lesson = f.data / "content/zhongfeng-test/v1/lessons/02-分蜂.md";
  auto text = read_file(lesson);
  REQUIRE(text.ok());
  (*text)[2] = 'X';
  REQUIRE(write_file_atomic(lesson, *text, 0644).ok());
  auto c = load_installed(f.data, "zhongfeng-test");
  REQUIRE(!c.ok());
  CHECK(c.status().key() == "content.hash_mismatch");
}

TEST_CASE("install: missing signature is refused, installed version unchanged") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(
      3, [](auto& es) { std::erase_if(es, [](auto& e) { return e.path == "manifest.sig"; }); });
  f.check_refused(f.install_bytes(pkg), "content.no_signature", before);
}

TEST_CASE("install: bad signature (manifest edited after signing) is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) {
    auto* m = find_entry(es, "manifest.json");
    auto pos = m->find("中蜂养殖（测试）");
    m->replace(pos, std::string("中蜂养殖（测试）").size(), "中蜂养殖（篡改）");
  });
  f.check_refused(f.install_bytes(pkg), "content.bad_signature", before);
}

TEST_CASE("install: a package signed by an untrusted key is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto other = ed25519_generate();
  auto pkg = build_package(sample_course(3), other.secret);
  REQUIRE(pkg.ok());
  f.check_refused(f.install_bytes(*pkg), "content.untrusted_key", before);
}

TEST_CASE("install: a file whose hash differs from the manifest is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) {
    auto* b = find_entry(es, "bank.json");
    auto pos = b->find("一只");
    b->replace(pos, std::string("一只").size(), "两只");  // same size, other answer text
  });
  f.check_refused(f.install_bytes(pkg), "content.hash_mismatch", before);
}

TEST_CASE("install: a file whose size differs from the manifest is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(
      3, [](auto& es) { *find_entry(es, "lessons/02-分蜂.md") += "附加一段未签名的文字。"; });
  f.check_refused(f.install_bytes(pkg), "content.size_mismatch", before);
}

TEST_CASE("install: a pinned file missing from the package is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(
      3, [](auto& es) { std::erase_if(es, [](auto& e) { return e.path == "media/蜂箱.png"; }); });
  f.check_refused(f.install_bytes(pkg), "content.missing_file", before);
}

TEST_CASE("install: a file the manifest does not pin is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) { es.push_back({"media/extra.png", kTinyPng}); });
  f.check_refused(f.install_bytes(pkg), "content.extra_file", before);
}

TEST_CASE("install: an absolute path is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) { es.push_back({"/tmp/chz-evil.txt", "owned"}); });
  f.check_refused(f.install_bytes(pkg), "content.unsafe_path", before);
  CHECK(!fs::exists("/tmp/chz-evil.txt"));
}

TEST_CASE("install: a path with .. is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) {
    es.insert(es.begin(), {"lessons/../../../evil.md", "owned"});
  });
  f.check_refused(f.install_bytes(pkg), "content.unsafe_path", before);
}

TEST_CASE("install: a symbolic link entry is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) {
    es.push_back({"media/link.png", "", AE_IFLNK, "/etc/shadow"});
  });
  f.check_refused(f.install_bytes(pkg), "content.link", before);
}

TEST_CASE("install: a hard link entry is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) {
    es.push_back({"media/hard.png", "", AE_IFREG, "", "/etc/passwd"});
  });
  f.check_refused(f.install_bytes(pkg), "content.link", before);
}

TEST_CASE("install: a device entry is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) { es.push_back({"media/null", "", AE_IFCHR}); });
  f.check_refused(f.install_bytes(pkg), "content.special", before);
}

TEST_CASE("install: too many entries are refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) {
    for (int i = 0; i < 40; ++i) es.push_back({"media/x" + std::to_string(i) + ".png", kTinyPng});
  });
  ArchiveLimits lim;
  lim.max_entries = 20;
  f.check_refused(f.install_bytes(pkg, lim), "content.too_many_entries", before);
}

TEST_CASE("install: an entry inflating past the default limit (zip bomb) is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) {
    es.push_back({"media/bomb.png", std::string((64u << 20) + 1, '\0')});
  });
  CHECK(pkg.size() < (1u << 20));  // a small file that would unpack to 64 MB
  f.check_refused(f.install_bytes(pkg), "content.entry_too_large", before);
}

TEST_CASE("install: entries adding up past the total limit are refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(3, [](auto& es) {
    for (int i = 0; i < 4; ++i)
      es.push_back({"media/big" + std::to_string(i) + ".png", std::string(300000, 'z')});
  });
  ArchiveLimits lim;
  lim.max_total_bytes = 1000000;
  f.check_refused(f.install_bytes(pkg, lim), "content.total_too_large", before);
}

TEST_CASE("install: an older version is refused as a downgrade") {
  Fixture f;
  auto before = f.installed_v2();
  f.check_refused(f.install_bytes(f.build(1)), "content.downgrade", before);
}

TEST_CASE("install: the same version again is refused as a downgrade") {
  Fixture f;
  auto before = f.installed_v2();
  f.check_refused(f.install_bytes(f.build(2)), "content.downgrade", before);
}

TEST_CASE("install: an unknown format version is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(
      3,
      [](auto& es) {
        auto* m = find_entry(es, "manifest.json");
        auto pos = m->find("\"format_version\": 1");
        REQUIRE(pos != std::string::npos);
        m->replace(pos, std::string("\"format_version\": 1").size(), "\"format_version\": 2");
      },
      /*resign=*/true);
  f.check_refused(f.install_bytes(pkg), "content.format_version", before);
}

TEST_CASE("install: a signed package holding an invalid course is refused") {
  Fixture f;
  auto before = f.installed_v2();
  auto pkg = f.crafted(
      3,
      [](auto& es) {
        // Re-pin a bank whose single-choice answer names option F of four.
        auto* b = find_entry(es, "bank.json");
        auto pos = b->find("\"correct\": [");
        REQUIRE(pos != std::string::npos);
        pos = b->find('0', pos);
        (*b)[pos] = '5';
        auto* m = find_entry(es, "manifest.json");
        auto man = parse_manifest(*m);
        for (auto& mf : man->files)
          if (mf.path == "bank.json") mf.sha256 = hex(sha256(*b)), mf.size = b->size();
        *m = manifest_json(*man);
      },
      /*resign=*/true);
  f.check_refused(f.install_bytes(pkg), "content.invalid_course", before);
}

TEST_CASE("install: not an archive at all is refused") {
  Fixture f;
  auto before = f.installed_v2();
  f.check_refused(f.install_bytes("PK\x03\x04 nonsense that is no tar"), "content.not_archive",
                  before);
}
