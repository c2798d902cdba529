#include "app/ui/pinyin.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>

#include "app/ui/utf8.h"
#include "common/testing/temp_dir.h"

namespace chz::app {
namespace {

std::unique_ptr<PinyinInput> open_ok(const testing::TempDir& dir) {
  auto r = PinyinInput::open(dir / "rime");
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  return std::move(r).value();
}

void type(PinyinInput& in, const std::string& keys) {
  for (char c : keys) in.key(c);
}

bool on_page(const PinyinInput& in, const std::string& text) {
  const auto& c = in.candidates();
  return std::find(c.begin(), c.end(), text) != c.end();
}

// Pages forward (from the first page) until `text` shows; its index on the
// page, or -1 when it is not on the first `pages` pages.
int find_candidate(PinyinInput& in, const std::string& text, int pages = 8) {
  while (in.prev_page()) {
  }
  for (int p = 0; p < pages; ++p) {
    const auto& c = in.candidates();
    auto it = std::find(c.begin(), c.end(), text);
    if (it != c.end()) return static_cast<int>(it - c.begin());
    if (!in.next_page()) break;
  }
  return -1;
}

std::string pick_text(PinyinInput& in, const std::string& text) {
  int i = find_candidate(in, text);
  REQUIRE_MESSAGE(i >= 0, text << " not offered for " << in.input());
  return in.pick(i);
}

TEST_CASE("pinyin: zhang offers 张 on the first page, in simplified characters") {
  testing::TempDir dir;
  auto in = open_ok(dir);
  CHECK_FALSE(in->composing());
  CHECK(in->candidates().empty());
  type(*in, "zhang");
  CHECK(in->composing());
  CHECK(in->input() == "zhang");
  CHECK(in->preedit() == "zhang");
  CHECK(on_page(*in, "张"));
  CHECK(static_cast<int>(in->candidates().size()) <= PinyinInput::kPageSize);
  in->clear();
  type(*in, "guo");
  CHECK(on_page(*in, "国"));
  CHECK_FALSE(on_page(*in, "國"));
}

TEST_CASE("pinyin: zhangsan picked in two steps commits 张三") {
  testing::TempDir dir;
  auto in = open_ok(dir);
  type(*in, "zhangsan");
  CHECK(pick_text(*in, "张").empty());
  CHECK(in->composing());
  CHECK(in->preedit().rfind("张", 0) == 0);
  CHECK(in->preedit().find("san") != std::string::npos);
  CHECK(pick_text(*in, "三") == "张三");
  CHECK_FALSE(in->composing());
  CHECK(in->preedit().empty());
  CHECK(in->candidates().empty());
}

TEST_CASE("pinyin: a minority name is picked character by character") {
  testing::TempDir dir;
  auto in = open_ok(dir);
  type(*in, "ayiguli");
  CHECK(pick_text(*in, "阿").empty());
  CHECK(pick_text(*in, "依").empty());
  CHECK(pick_text(*in, "古").empty());
  CHECK(in->preedit().rfind("阿依古", 0) == 0);
  CHECK(pick_text(*in, "丽") == "阿依古丽");
  // The separator splits syllables where letters alone are ambiguous.
  type(*in, "mai'mai'ti");
  CHECK(in->input() == "mai'mai'ti");
  CHECK(pick_text(*in, "买").empty());
  CHECK(pick_text(*in, "买").empty());
  CHECK(pick_text(*in, "提") == "买买提");
}

TEST_CASE("pinyin: backspace drops one letter and clear drops everything") {
  testing::TempDir dir;
  auto in = open_ok(dir);
  in->backspace();  // nothing to delete: no effect
  CHECK_FALSE(in->composing());
  type(*in, "zhangs");
  in->backspace();
  CHECK(in->input() == "zhang");
  CHECK(on_page(*in, "张"));
  type(*in, "san");
  CHECK(pick_text(*in, "张").empty());
  // The first delete after a partial pick takes the pick back.
  in->backspace();
  CHECK(in->input() == "zhangsan");
  CHECK(in->preedit().rfind("张", 0) == std::string::npos);
  CHECK(pick_text(*in, "张").empty());
  in->clear();
  CHECK_FALSE(in->composing());
  CHECK(in->preedit().empty());
  CHECK(in->candidates().empty());
  CHECK(in->page() == 0);
}

TEST_CASE("pinyin: pages move forward and back over the candidates") {
  testing::TempDir dir;
  auto in = open_ok(dir);
  type(*in, "shi");
  CHECK_FALSE(in->has_prev_page());
  CHECK_FALSE(in->prev_page());
  REQUIRE(in->has_next_page());
  auto first = in->candidates();
  CHECK(static_cast<int>(first.size()) == PinyinInput::kPageSize);
  CHECK(in->next_page());
  CHECK(in->page() == 1);
  CHECK(in->has_prev_page());
  auto second = in->candidates();
  CHECK_FALSE(second.empty());
  CHECK(second != first);
  CHECK(in->prev_page());
  CHECK(in->candidates() == first);
  // A pick on a later page commits that page's candidate.
  CHECK(in->next_page());
  std::string want = in->candidates()[0];
  CHECK(in->pick(0) == want);
  // Typing starts again on the first page.
  type(*in, "shi");
  CHECK(in->page() == 0);
}

TEST_CASE("pinyin: keys other than letters and a separator are ignored") {
  testing::TempDir dir;
  auto in = open_ok(dir);
  in->key('\'');  // a separator on empty input would be punctuation
  in->key('1');
  in->key(' ');
  in->key('.');
  CHECK_FALSE(in->composing());
  type(*in, "ZHANG");
  CHECK(in->input() == "zhang");
  CHECK(in->pick(-1).empty());
  CHECK(in->pick(PinyinInput::kPageSize).empty());
  CHECK(in->input() == "zhang");
  std::string long_input(PinyinInput::kMaxInput + 10, 'a');
  in->clear();
  type(*in, long_input);
  CHECK(in->input().size() == PinyinInput::kMaxInput);
}

TEST_CASE("pinyin: typed names are never learned or written to disk") {
  testing::TempDir dir;
  {
    auto in = open_ok(dir);
    type(*in, "zhangsan");
    CHECK(pick_text(*in, "张").empty());
    CHECK(pick_text(*in, "三") == "张三");
  }
  auto files = testing::snapshot_files(dir.path());
  CHECK(files.size() == 1);
  CHECK(files.count("rime/build/luna_pinyin_simp.schema.yaml") == 1);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path()))
    CHECK_MESSAGE(entry.path().filename() != "luna_pinyin.userdb", entry.path().string());
  // librime's logger (glog) would leave rime.chizheng.* files in /tmp.
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
    CHECK_MESSAGE(entry.path().filename().string().rfind("rime.chizheng", 0) == std::string::npos,
                  entry.path().string());
}

TEST_CASE("pinyin: missing rime data is refused with its key") {
  testing::TempDir dir;
  auto r = PinyinInput::open(dir / "rime", dir / "no-rime-data");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kUnavailable);
  CHECK(r.status().key() == "pinyin.unavailable");
  CHECK_FALSE(std::filesystem::exists(dir / "rime"));
  // A shared folder without the prebuilt tables is refused the same way.
  std::filesystem::create_directories(dir / "empty" / "build");
  auto e = PinyinInput::open(dir / "rime", dir / "empty");
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().key() == "pinyin.unavailable");
}

TEST_CASE("pinyin: a user folder that cannot be made is refused with its key") {
  testing::TempDir dir;
  {
    std::ofstream f(dir / "plain-file");
    f << "not a folder";
  }
  auto r = PinyinInput::open(dir / "plain-file" / "rime");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kIoError);
  CHECK(r.status().key() == "pinyin.unavailable");
  auto e = PinyinInput::open("");
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().code() == Code::kInvalidArgument);
  CHECK(e.status().key() == "pinyin.unavailable");
}

TEST_CASE("pinyin: a second folder is refused while another input is open") {
  testing::TempDir a, b;
  auto first = open_ok(a);
  auto same = open_ok(a);  // same folders share librime
  type(*same, "zhang");
  CHECK(on_page(*same, "张"));
  auto other = PinyinInput::open(b / "rime");
  REQUIRE_FALSE(other.ok());
  CHECK(other.status().code() == Code::kFailedPrecondition);
  CHECK(other.status().key() == "pinyin.unavailable");
  first.reset();
  same.reset();
  auto later = open_ok(b);
  type(*later, "zhang");
  CHECK(on_page(*later, "张"));
}

TEST_CASE("pinyin: the glyph hint covers common characters in simplified form") {
  testing::TempDir dir;
  auto in = open_ok(dir);
  type(*in, "zh");
  std::string hint = in->glyph_hint();
  CHECK_FALSE(in->composing());
  auto cps = utf8_decode(hint);
  CHECK(cps.size() > 3000);
  CHECK(std::set<char32_t>(cps.begin(), cps.end()).size() == cps.size());
  for (const char* s : {"张", "三", "国", "学", "丽", "阿", "依", "古", "王", "李", "宇", "杰",
                        "魏", "史", "娜", "买", "提"})
    CHECK_MESSAGE(hint.find(s) != std::string::npos, std::string(s));
  CHECK(hint.find("國") == std::string::npos);
}

}  // namespace
}  // namespace chz::app
