// The on-screen pinyin keyboard for typing a Chinese name at the kiosk: a
// preedit line with 清空, a candidate row with ◀ ▶, QWERTY letters, the
// syllable separator ', the middle dot · (阿依古丽·买买提) and 删除.
// Drawing is stateless; apply_pinyin_key() turns a key into edits of a
// PinyinInput and the name being typed. Button ids, for the driver:
//   py.key.a .. py.key.z, py.sep ('), py.dot (·), py.del (删除),
//   py.clear (清空), py.cand.0 .. py.cand.7, py.prev (◀), py.next (▶);
//   the preedit line is the field "py.preedit".
#pragma once

#include <string>
#include <vector>

#include "app/ui/widgets.h"

namespace chz::app {

class PinyinInput;

// Symbols the keyboard draws (large font) besides a-z and the string
// table's 删除/清空 (body font): seed them into the large glyph set.
inline constexpr const char* kPinyinKeyGlyphs = "◀▶·'";

struct PinyinKeyboardView {
  std::string preedit;                  // PinyinInput::preedit()
  std::vector<std::string> candidates;  // the current page
  bool has_prev = false, has_next = false;
  // Shown in the candidate row while nothing is composed (e.g. "pinyin.hint"
  // translated, or why pinyin is unavailable); may be empty.
  std::string hint;
};

enum class PinyinKey {
  kNone,
  kLetter,     // `letter` 'a'..'z'
  kSeparator,  // '
  kDot,        // ·
  kBackspace,
  kClear,
  kPick,  // `index` on the current page
  kPrevPage,
  kNextPage,
};

struct PinyinKeyAction {
  PinyinKey kind = PinyinKey::kNone;
  char letter = 0;
  int index = -1;
  explicit operator bool() const { return kind != PinyinKey::kNone; }
};

// The view of `in`'s state (an empty view with `hint` when `in` is null).
PinyinKeyboardView pinyin_keyboard_view(const PinyinInput* in, std::string hint = {});

// Draws the keyboard `width` wide (about 5 rows of ≥ 56 px touch targets at
// 1024×600) and returns the key tapped this frame, if any.
PinyinKeyAction draw_pinyin_keyboard(Ui& ui, const PinyinKeyboardView& v, float width);

// Applies `a` to the composition and to `name` (the text typed so far):
// letters and ' go to `in`; a pick appends the committed text to `name`;
// · first commits the best candidate of an unfinished composition, then
// appends "·"; 删除/清空 edit the composition while there is one, else the
// last character of / all of `name`. With `in` null (pinyin unavailable)
// letters go straight into `name`. Returns true when `name` changed.
bool apply_pinyin_key(const PinyinKeyAction& a, PinyinInput* in, std::string& name);

}  // namespace chz::app
