// Hostile or damaged input never crashes the readers: random byte flips and
// truncations of a valid package and of every importer's input either come
// back as a clean refusal or as valid data. (Run under -DCHZ_SANITIZE=ON.)
#include <doctest/doctest.h>

#include <random>

#include "common/fs.h"
#include "content/import.h"
#include "content/package.h"
#include "content/testdata/sample_course.h"

using namespace chz;
using namespace chz::content;
namespace fs = std::filesystem;

namespace {

std::string mutate(std::string s, std::mt19937& rng) {
  if (s.empty()) return s;
  std::uniform_int_distribution<int> kind(0, 2);
  std::uniform_int_distribution<std::size_t> pos(0, s.size() - 1);
  switch (kind(rng)) {
    case 0: {  // flip a few bytes
      int n = 1 + static_cast<int>(rng() % 8);
      for (int i = 0; i < n; ++i) s[pos(rng)] = static_cast<char>(rng());
      break;
    }
    case 1:  // truncate
      s.resize(pos(rng));
      break;
    default: {  // duplicate a slice
      std::size_t a = pos(rng), len = std::min<std::size_t>(s.size() - a, rng() % 64);
      s.insert(pos(rng), s.substr(a, len));
    }
  }
  return s;
}

std::string fixture(const char* name) {
  const char* src = std::getenv("CHZ_SOURCE_DIR");
  auto r = read_file(fs::path(src ? src : ".") / "content/testdata" / name);
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("robustness: damaged packages are refused cleanly, never half-read") {
  auto kp = ed25519_generate();
  auto pkg = build_package(testing::sample_course(), kp.secret);
  REQUIRE(pkg.ok());
  std::mt19937 rng(20261123);
  int accepted = 0;
  for (int i = 0; i < 400; ++i) {
    auto bad = mutate(*pkg, rng);
    auto p = open_package(bad, {kp.pub});
    if (p.ok()) {
      ++accepted;  // only possible when the flip hit bytes nothing depends on (gzip header)
      CHECK(p->course.bank.size() == testing::sample_course().course.bank.size());
      CHECK(validate_course(p->course).ok());
    } else {
      CHECK(!p.status().key().empty());
    }
  }
  MESSAGE("accepted " << accepted << " of 400 damaged copies (harmless header bytes)");
}

TEST_CASE("robustness: importers survive damaged CSV, GIFT, Aiken and XLSX") {
  std::mt19937 rng(7);
  testing::TempDir tmp;
  auto xlsx_path = tmp.path / "b.xlsx";
  REQUIRE(export_xlsx(testing::sample_course().course.bank, xlsx_path).ok());
  auto xlsx = read_file(xlsx_path);
  REQUIRE(xlsx.ok());
  struct Input {
    std::string bytes;
    ImportFormat format;
  };
  std::vector<Input> inputs = {{fixture("bank_good.csv"), ImportFormat::kCsv},
                               {fixture("bank_gb18030.csv"), ImportFormat::kCsv},
                               {fixture("bank.gift"), ImportFormat::kGift},
                               {fixture("bank.aiken"), ImportFormat::kAiken},
                               {*xlsx, ImportFormat::kXlsx}};
  for (const auto& in : inputs) {
    for (int i = 0; i < 150; ++i) {
      auto r = import_bytes(mutate(in.bytes, rng), "damaged", in.format);
      for (const auto& q : r.questions) CHECK(validate_question(q).ok());
      if (!r.ok()) CHECK(r.questions.empty());
    }
  }
}
