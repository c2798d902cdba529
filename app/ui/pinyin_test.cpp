#include "app/ui/pinyin.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string>

#include "app/ui/screens/pinyin_keyboard.h"
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

PinyinKeyAction letter(char c) {
  return {PinyinKey::kLetter, c, -1};
}
PinyinKeyAction act(PinyinKey k, int index = -1) {
  return {k, 0, index};
}

// Taps the letters, then picks each character in turn, as a trainer would.
void tap_name(PinyinInput& in, std::string& name, const std::string& keys,
              std::initializer_list<const char*> chars) {
  for (char c : keys) CHECK_FALSE(apply_pinyin_key(letter(c), &in, name));
  for (const char* ch : chars) {
    int i = find_candidate(in, ch);
    REQUIRE_MESSAGE(i >= 0, ch);
    apply_pinyin_key(act(PinyinKey::kPick, i), &in, name);
  }
}

TEST_CASE("pinyin keyboard: keys build a minority name with the middle dot") {
  testing::TempDir dir;
  auto in = open_ok(dir);
  std::string name;
  tap_name(*in, name, "ayiguli", {"阿", "依", "古", "丽"});
  CHECK(name == "阿依古丽");
  CHECK(apply_pinyin_key(act(PinyinKey::kDot), in.get(), name));
  tap_name(*in, name, "mai", {"买"});
  CHECK_FALSE(apply_pinyin_key(act(PinyinKey::kSeparator), in.get(), name));  // nothing composed
  tap_name(*in, name, "mai", {"买"});
  tap_name(*in, name, "ti", {"提"});
  CHECK(name == "阿依古丽·买买提");
  auto v = pinyin_keyboard_view(in.get(), "hint");
  CHECK(v.preedit.empty());
  CHECK(v.candidates.empty());
  CHECK(v.hint == "hint");
}

TEST_CASE("pinyin keyboard: the dot finishes an unfinished composition first") {
  testing::TempDir dir;
  auto in = open_ok(dir);
  std::string name;
  for (char c : std::string("zhangsan")) apply_pinyin_key(letter(c), in.get(), name);
  auto v = pinyin_keyboard_view(in.get());
  CHECK(v.preedit == in->preedit());
  CHECK(v.candidates == in->candidates());
  CHECK(v.has_next == in->has_next_page());
  CHECK(apply_pinyin_key(act(PinyinKey::kDot), in.get(), name));
  CHECK_FALSE(in->composing());
  REQUIRE(name.size() > std::string("·").size());
  CHECK(name.substr(name.size() - std::string("·").size()) == "·");
  CHECK(utf8_decode(name).size() == 3);  // two characters and the dot
}

TEST_CASE("pinyin keyboard: delete and clear edit the composition before the name") {
  testing::TempDir dir;
  auto in = open_ok(dir);
  std::string name = "张三";
  apply_pinyin_key(letter('l'), in.get(), name);
  apply_pinyin_key(letter('i'), in.get(), name);
  CHECK_FALSE(apply_pinyin_key(act(PinyinKey::kBackspace), in.get(), name));
  CHECK(in->input() == "l");
  CHECK(name == "张三");
  CHECK_FALSE(apply_pinyin_key(act(PinyinKey::kClear), in.get(), name));
  CHECK_FALSE(in->composing());
  CHECK(name == "张三");
  CHECK(apply_pinyin_key(act(PinyinKey::kBackspace), in.get(), name));
  CHECK(name == "张");
  CHECK(apply_pinyin_key(act(PinyinKey::kClear), in.get(), name));
  CHECK(name.empty());
  CHECK_FALSE(apply_pinyin_key(act(PinyinKey::kBackspace), in.get(), name));
  CHECK_FALSE(apply_pinyin_key(act(PinyinKey::kPick, 0), in.get(), name));
}

TEST_CASE("pinyin keyboard: without pinyin, letters go straight into the name") {
  std::string name;
  CHECK(apply_pinyin_key(letter('l'), nullptr, name));
  CHECK(apply_pinyin_key(letter('i'), nullptr, name));
  CHECK_FALSE(apply_pinyin_key(act(PinyinKey::kPick, 0), nullptr, name));
  CHECK_FALSE(apply_pinyin_key(act(PinyinKey::kNextPage), nullptr, name));
  CHECK(apply_pinyin_key(act(PinyinKey::kDot), nullptr, name));
  CHECK(name == "li·");
  CHECK(apply_pinyin_key(act(PinyinKey::kBackspace), nullptr, name));
  CHECK(name == "li");
  auto v = pinyin_keyboard_view(nullptr, "拼音不可用");
  CHECK(v.candidates.empty());
  CHECK(v.hint == "拼音不可用");
}

}  // namespace
}  // namespace chz::app
