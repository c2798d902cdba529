// The widget layer every screen draws with. Each widget records what it
// drew (id, label, rectangle; visible text), so the scripted driver can tap
// by label or id and ask whether a text is on screen. Text goes through
// draw_text(), which draws BMP runs with the ImGui atlas and characters
// beyond the BMP with SDL_ttf glyph textures, and reports any character
// the atlas lacks so the next frame has it.
#pragma once

#include <imgui.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/ui/fonts.h"
#include "app/ui/images.h"
#include "app/ui/strings.h"

namespace chz::app {

struct WidgetInfo {
  std::string id;
  std::string label;
  ImVec2 min, max;
  bool enabled = true;
  std::string icon;           // the pictogram's name (app/ui/icons), "" = words only
  bool icon_drawn = false;    // it rendered and is not blank
  ImVec2 icon_min, icon_max;  // where it was drawn
};

struct DrawnText {
  std::string text;
  FontRole role = FontRole::kBody;
};

enum class Tone { kPrimary, kSecondary, kSuccess, kWarning, kDanger, kKey, kSelected };

namespace color {
inline constexpr ImU32 kBackground = IM_COL32(247, 244, 236, 255);
inline constexpr ImU32 kText = IM_COL32(30, 30, 30, 255);
inline constexpr ImU32 kMuted = IM_COL32(90, 90, 90, 255);
inline constexpr ImU32 kBar = IM_COL32(178, 34, 34, 255);
inline constexpr ImU32 kGood = IM_COL32(46, 125, 50, 255);
inline constexpr ImU32 kBad = IM_COL32(198, 40, 40, 255);
inline constexpr ImU32 kWarn = IM_COL32(230, 81, 0, 255);
inline constexpr ImU32 kCard = IM_COL32(255, 255, 255, 255);
}  // namespace color

class Ui {
 public:
  Ui(Fonts& fonts, float scale);
  ~Ui();

  Lang lang = Lang::kZh;
  // Large-text mode (a trainee asked on the welcome screen): body text is
  // drawn one step larger (28 -> 35 px at 1024x600, from the large atlas).
  bool large_text = false;
  std::string_view t(std::string_view key) const { return tr(lang, key); }
  std::string tf(std::string_view key, std::string_view a, std::string_view b = {},
                 std::string_view c = {}) const {
    return trf(lang, key, a, b, c);
  }
  float px(float design_px) const { return design_px * scale_; }
  // The pixel size text of `role` is drawn at now (large-text mode included).
  float text_px(FontRole role) const {
    return large_text && role == FontRole::kBody ? fonts_.pixel_size(FontRole::kBody) * 1.25f
                                                 : fonts_.pixel_size(role);
  }
  float scale() const { return scale_; }
  Fonts& fonts() { return fonts_; }

  // Frame bookkeeping (the shell calls these).
  void begin_frame();
  const std::vector<WidgetInfo>& widgets() const { return widgets_; }
  const std::vector<DrawnText>& texts() const { return texts_; }

  // A full-screen, undecorated window; every screen draws inside one.
  void begin_screen(const char* name);
  void end_screen();

  // A big touch button (height ≥ 56 px at 1024×600). `id` is stable across
  // languages ("welcome.checkin"); `label` is what it shows.
  bool button(std::string_view id, std::string_view label, ImVec2 size,
              Tone tone = Tone::kSecondary, bool enabled = true, FontRole role = FontRole::kLarge);
  // The same with a pictogram (a name from app/ui/icons: "check_in", ...):
  // above the words on a tall button, beside them on a short one; alone
  // when `label` is empty (the id and the picture then say what it does).
  bool button(std::string_view id, std::string_view label, std::string_view icon, ImVec2 size,
              Tone tone = Tone::kSecondary, bool enabled = true, FontRole role = FontRole::kLarge);
  void text(std::string_view s, FontRole role = FontRole::kBody, ImU32 col = color::kText);
  void text_centered(std::string_view s, FontRole role = FontRole::kBody, ImU32 col = color::kText);
  // Wraps at `width` (0 = to the window's right edge).
  void text_wrapped(std::string_view s, float width = 0, FontRole role = FontRole::kBody,
                    ImU32 col = color::kText);
  // A progress bar with a caption inside.
  void progress(float fraction, ImVec2 size, std::string_view caption);
  // A framed display field (ID number, PIN dots...).
  void field(std::string_view id, std::string_view shown, ImVec2 size, ImU32 border = color::kMuted,
             FontRole role = FontRole::kLarge);
  // Numeric keypad 1-9, [X], 0, delete; returns the key pressed ("0".."9",
  // "X", "del") or "". Keys register as "<prefix>.<key>" for the driver.
  std::string keypad(std::string_view prefix, bool with_x, ImVec2 key);

  ImVec2 measure(std::string_view s, FontRole role);
  // `s` if it fits in `width`, else as much as fits followed by "…".
  std::string fit(std::string_view s, float width, FontRole role);
  void draw_text(ImDrawList* dl, ImVec2 pos, std::string_view s, FontRole role, ImU32 col);
  // Records text drawn by other means (e.g. wrapped ImGui text).
  void note_text(std::string_view s, FontRole role);
  // Draws PNG `png` (cached as `key`) scaled to fit `max` (never enlarged
  // beyond 2x), centred on the line. False, drawing nothing, if it cannot
  // be decoded.
  bool image(const std::string& key, std::string_view png, ImVec2 max);
  // Draws the pictogram `name` into the square at `pos`; false if it has
  // no picture or the picture came out blank.
  bool draw_icon(ImDrawList* dl, std::string_view name, ImVec2 pos, float side,
                 bool enabled = true);

 private:
  FontRole atlas_role(FontRole r) const { return large_text ? FontRole::kLarge : r; }
  Fonts& fonts_;
  std::unique_ptr<ImageCache> images_;  // created on first use (needs the renderer)
  float scale_;
  std::vector<WidgetInfo> widgets_;
  std::vector<DrawnText> texts_;
};

}  // namespace chz::app
