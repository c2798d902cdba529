#include "app/ui/screens/pinyin_keyboard.h"

#include <SDL.h>
#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string>

#include "app/ui/fonts.h"
#include "app/ui/pinyin.h"
#include "app/ui/utf8.h"
#include "common/testing/temp_dir.h"

namespace chz::app {
namespace {

std::unique_ptr<PinyinInput> open_ok(const testing::TempDir& dir) {
  auto r = PinyinInput::open(dir / "rime");
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  return std::move(r).value();
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

// Draws the keyboard once, headless: SDL's software renderer on a 1024×600
// surface, the kiosk's fonts, ImGui without a window.
class Headless {
 public:
  Headless() {
    surface_ = SDL_CreateRGBSurfaceWithFormat(0, 1024, 600, 32, SDL_PIXELFORMAT_RGBA32);
    REQUIRE(surface_);
    renderer_ = SDL_CreateSoftwareRenderer(surface_);
    REQUIRE(renderer_);
    ImGui::CreateContext();
    ImGui::GetIO().DisplaySize = ImVec2(1024, 600);
    ImGui::GetIO().DeltaTime = 1.f / 60;
    ImGui_ImplSDLRenderer_Init(renderer_);
  }
  ~Headless() {
    fonts_.reset();
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui::DestroyContext();
    SDL_DestroyRenderer(renderer_);
    SDL_FreeSurface(surface_);
  }
  Fonts& fonts() { return *fonts_; }
  SDL_Surface* surface() { return surface_; }

  // One frame of the keyboard; returns the widgets it recorded.
  std::vector<WidgetInfo> draw(const PinyinKeyboardView& v) {
    GlyphSet body, large;
    body.add_text(std::string(kPinyinKeyGlyphs) + "删除清空" + v.hint);
    large.add_text(std::string(kPinyinKeyGlyphs) + v.preedit);
    for (const auto& c : v.candidates) {
      body.add_text(c);
      large.add_text(c);
    }
    fonts_ = std::make_unique<Fonts>();
    Status st = fonts_->load(renderer_, FontPaths{}, 1.f, body, large);
    REQUIRE_MESSAGE(st.ok(), st.to_string());
    Ui ui(*fonts_, 1.f);
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui::NewFrame();
    ui.begin_frame();
    ui.begin_screen("pinyin");
    draw_pinyin_keyboard(ui, v, ImGui::GetContentRegionAvail().x);
    ui.end_screen();
    ImGui::Render();
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    return ui.widgets();
  }

 private:
  SDL_Surface* surface_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  std::unique_ptr<Fonts> fonts_;
};

TEST_CASE("pinyin keyboard: every key is a big, separate, scriptable touch target") {
  PinyinKeyboardView v;
  v.preedit = "阿yi gu li";
  v.candidates = {"依古丽", "依", "一", "以", "已", "亿", "易", "伊"};
  v.has_next = true;
  Headless h;
  auto widgets = h.draw(v);
  std::set<std::string> ids;
  for (const auto& w : widgets) ids.insert(w.id);
  for (char c = 'a'; c <= 'z'; ++c) CHECK(ids.count(std::string("py.key.") + c) == 1);
  for (const char* id : {"py.sep", "py.dot", "py.del", "py.clear", "py.prev", "py.next",
                         "py.preedit", "py.cand.0", "py.cand.7"})
    CHECK_MESSAGE(ids.count(id) == 1, std::string(id));
  CHECK(ids.size() == widgets.size());  // no id drawn twice
  float bottom = 0;
  for (std::size_t i = 0; i < widgets.size(); ++i) {
    const auto& w = widgets[i];
    CHECK_MESSAGE(w.max.y - w.min.y >= 56, w.id);
    CHECK_MESSAGE(w.max.x - w.min.x >= 56, w.id);
    CHECK_MESSAGE(w.min.x >= 0, w.id);
    CHECK_MESSAGE(w.max.x <= 1024, w.id);
    bottom = std::max(bottom, w.max.y);
    for (std::size_t j = i + 1; j < widgets.size(); ++j) {
      const auto& o = widgets[j];
      bool apart =
          w.max.x <= o.min.x || o.max.x <= w.min.x || w.max.y <= o.min.y || o.max.y <= w.min.y;
      CHECK_MESSAGE(apart, w.id << " overlaps " << o.id);
    }
  }
  CHECK(bottom <= 400);  // leaves room above for the title and the name field
  auto find = [&](const std::string& id) {
    return *std::find_if(widgets.begin(), widgets.end(),
                         [&](const WidgetInfo& w) { return w.id == id; });
  };
  CHECK_FALSE(find("py.prev").enabled);
  CHECK(find("py.next").enabled);
  CHECK(find("py.cand.0").label == "依古丽");
  CHECK(find("py.preedit").label == "阿yi gu li");
  for (const auto& w : widgets)
    for (char32_t c : utf8_decode(w.label)) {
      bool drawable =
          h.fonts().can_draw(c, FontRole::kBody) || h.fonts().can_draw(c, FontRole::kLarge);
      CHECK_MESSAGE(drawable, w.id);
    }
}

TEST_CASE("pinyin keyboard: a page with a long phrase still fits the row") {
  PinyinKeyboardView v;
  v.preedit = "zhang san li si wang wu zhao liu";
  v.candidates = {"张三李四王五赵六", "张三", "张", "章", "长", "涨", "掌", "帐"};
  v.has_prev = v.has_next = true;
  Headless h;
  auto widgets = h.draw(v);
  std::vector<WidgetInfo> row;
  for (const auto& w : widgets)
    if (w.id.rfind("py.cand.", 0) == 0 || w.id == "py.prev" || w.id == "py.next") row.push_back(w);
  REQUIRE(row.size() == 10);
  std::sort(row.begin(), row.end(),
            [](const WidgetInfo& a, const WidgetInfo& b) { return a.min.x < b.min.x; });
  CHECK(row.front().id == "py.prev");
  CHECK(row.back().id == "py.next");
  CHECK(row.back().max.x <= 1024);
  for (std::size_t i = 0; i < row.size(); ++i) {
    CHECK_MESSAGE(row[i].max.x - row[i].min.x >= 56, row[i].id);
    if (i) CHECK_MESSAGE(row[i - 1].max.x <= row[i].min.x, row[i].id);
  }
}

}  // namespace
}  // namespace chz::app
