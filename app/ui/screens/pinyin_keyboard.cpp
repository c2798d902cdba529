#include "app/ui/screens/pinyin_keyboard.h"

#include <algorithm>

#include "app/ui/pinyin.h"
#include "app/ui/utf8.h"

namespace chz::app {

namespace {

constexpr const char* kDot = "·";

// The candidate row: ◀, the candidates (natural width, shrunk to fit), ▶.
void draw_candidates(Ui& ui, const PinyinKeyboardView& v, float width, PinyinKeyAction& a) {
  float gap = ImGui::GetStyle().ItemSpacing.x;
  float h = ui.px(64), nav_w = ui.px(72);
  float start_x = ImGui::GetCursorPosX();
  if (ui.button("py.prev", "◀", ImVec2(nav_w, h), Tone::kSecondary, v.has_prev, FontRole::kLarge))
    a.kind = PinyinKey::kPrevPage;
  ImGui::SameLine();
  float area = width - 2 * nav_w - 2 * gap;
  std::size_t n = v.candidates.size();
  if (n == 0) {
    ImVec2 pos = ImGui::GetCursorScreenPos();
    if (!v.hint.empty()) {
      ImVec2 ts = ui.measure(v.hint, FontRole::kBody);
      ImDrawList* dl = ImGui::GetWindowDrawList();
      dl->PushClipRect(pos, ImVec2(pos.x + area, pos.y + h), true);
      ui.draw_text(dl, ImVec2(pos.x + ui.px(12), pos.y + (h - ts.y) / 2), v.hint, FontRole::kBody,
                   color::kMuted);
      dl->PopClipRect();
      ui.note_text(v.hint, FontRole::kBody);
    }
    ImGui::Dummy(ImVec2(area, h));
  } else {
    // Everything in the large font (the atlas seeds common characters at
    // that size); only when a page does not fit do phrases of three or more
    // characters drop to the body font, then all buttons shrink to fit.
    std::vector<FontRole> roles(n, FontRole::kLarge);
    std::vector<float> widths(n);
    float room = area - static_cast<float>(n - 1) * gap;
    float total = 0;
    for (int pass = 0; pass < 2; ++pass) {
      total = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (pass == 1 && utf8_decode(v.candidates[i]).size() > 2) roles[i] = FontRole::kBody;
        widths[i] = std::max(ui.px(64), ui.measure(v.candidates[i], roles[i]).x + ui.px(24));
        total += widths[i];
      }
      if (total <= room) break;
    }
    float shrink = total > room ? room / total : 1.f;
    for (std::size_t i = 0; i < n; ++i) {
      if (i) ImGui::SameLine();
      if (ui.button("py.cand." + std::to_string(i), v.candidates[i], ImVec2(widths[i] * shrink, h),
                    Tone::kPrimary, true, roles[i])) {
        a.kind = PinyinKey::kPick;
        a.index = static_cast<int>(i);
      }
    }
  }
  ImGui::SameLine(start_x + width - nav_w);
  if (ui.button("py.next", "▶", ImVec2(nav_w, h), Tone::kSecondary, v.has_next, FontRole::kLarge))
    a.kind = PinyinKey::kNextPage;
}

}  // namespace

PinyinKeyboardView pinyin_keyboard_view(const PinyinInput* in, std::string hint) {
  PinyinKeyboardView v;
  v.hint = std::move(hint);
  if (!in) return v;
  v.preedit = in->preedit();
  v.candidates = in->candidates();
  v.has_prev = in->has_prev_page();
  v.has_next = in->has_next_page();
  return v;
}

PinyinKeyAction draw_pinyin_keyboard(Ui& ui, const PinyinKeyboardView& v, float width) {
  PinyinKeyAction a;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  float h = ui.px(56), side_w = ui.px(150);
  // The preedit line and 清空.
  ui.field("py.preedit", v.preedit.empty() ? " " : v.preedit, ImVec2(width - side_w - gap, h),
           v.preedit.empty() ? color::kMuted : IM_COL32(25, 90, 170, 255), FontRole::kLarge);
  ImGui::SameLine();
  if (ui.button("py.clear", ui.t("common.clear"), ImVec2(side_w, h), Tone::kWarning, true,
                FontRole::kBody))
    a.kind = PinyinKey::kClear;
  draw_candidates(ui, v, width, a);
  // Letters: ten keys a row; the last row ends with · and a double-width 删除.
  static const char* kRows[] = {"qwertyuiop", "asdfghjkl'", "zxcvbnm"};
  float kw = (width - 9 * gap) / 10;
  for (const char* row : kRows) {
    for (int i = 0; row[i]; ++i) {
      if (i) ImGui::SameLine();
      char c = row[i];
      if (c == '\'') {
        if (ui.button("py.sep", "'", ImVec2(kw, h), Tone::kKey, true, FontRole::kLarge))
          a.kind = PinyinKey::kSeparator;
        continue;
      }
      std::string k(1, c);
      if (ui.button("py.key." + k, k, ImVec2(kw, h), Tone::kKey, true, FontRole::kLarge)) {
        a.kind = PinyinKey::kLetter;
        a.letter = c;
      }
    }
  }
  ImGui::SameLine();
  if (ui.button("py.dot", kDot, ImVec2(kw, h), Tone::kKey, true, FontRole::kLarge))
    a.kind = PinyinKey::kDot;
  ImGui::SameLine();
  if (ui.button("py.del", ui.t("common.delete"), ImVec2(2 * kw + gap, h), Tone::kWarning, true,
                FontRole::kBody))
    a.kind = PinyinKey::kBackspace;
  return a;
}

bool apply_pinyin_key(const PinyinKeyAction& a, PinyinInput* in, std::string& name) {
  bool composing = in && in->composing();
  switch (a.kind) {
    case PinyinKey::kNone:
      return false;
    case PinyinKey::kLetter:
      if (in) {
        in->key(a.letter);
        return false;
      }
      name.push_back(a.letter);
      return true;
    case PinyinKey::kSeparator:
      if (in) in->key('\'');
      return false;
    case PinyinKey::kDot: {
      // Finish the composition with the best candidates, then the dot.
      for (std::size_t n = 0;
           n <= PinyinInput::kMaxInput && in && in->composing() && !in->candidates().empty(); ++n)
        name += in->pick(0);
      if (in) in->clear();
      name += kDot;
      return true;
    }
    case PinyinKey::kBackspace:
      if (composing) {
        in->backspace();
        return false;
      }
      if (name.empty()) return false;
      name = utf8_pop_back(name);
      return true;
    case PinyinKey::kClear:
      if (composing) {
        in->clear();
        return false;
      }
      if (name.empty()) return false;
      name.clear();
      return true;
    case PinyinKey::kPick:
      if (!in) return false;
      {
        std::string out = in->pick(a.index);
        name += out;
        return !out.empty();
      }
    case PinyinKey::kPrevPage:
      if (in) in->prev_page();
      return false;
    case PinyinKey::kNextPage:
      if (in) in->next_page();
      return false;
  }
  return false;
}

}  // namespace chz::app
