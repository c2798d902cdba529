#include "app/ui/widgets.h"

#include <SDL.h>

#include <algorithm>

#include "app/ui/icons.h"
#include "app/ui/utf8.h"

namespace chz::app {

namespace {
struct ToneColors {
  ImU32 fill, hover, text, border;
};
ToneColors tone_colors(Tone t) {
  switch (t) {
    case Tone::kPrimary:
      return {IM_COL32(178, 34, 34, 255), IM_COL32(150, 25, 25, 255), IM_COL32(255, 255, 255, 255),
              IM_COL32(120, 20, 20, 255)};
    case Tone::kSuccess:
      return {IM_COL32(46, 125, 50, 255), IM_COL32(30, 100, 35, 255), IM_COL32(255, 255, 255, 255),
              IM_COL32(25, 80, 30, 255)};
    case Tone::kWarning:
      return {IM_COL32(239, 108, 0, 255), IM_COL32(210, 90, 0, 255), IM_COL32(255, 255, 255, 255),
              IM_COL32(170, 70, 0, 255)};
    case Tone::kDanger:
      return {IM_COL32(198, 40, 40, 255), IM_COL32(170, 30, 30, 255), IM_COL32(255, 255, 255, 255),
              IM_COL32(130, 20, 20, 255)};
    case Tone::kSelected:
      return {IM_COL32(25, 90, 170, 255), IM_COL32(20, 75, 150, 255), IM_COL32(255, 255, 255, 255),
              IM_COL32(15, 60, 120, 255)};
    case Tone::kKey:
      return {IM_COL32(255, 255, 255, 255), IM_COL32(230, 236, 245, 255), IM_COL32(20, 20, 20, 255),
              IM_COL32(150, 150, 150, 255)};
    case Tone::kSecondary:
    default:
      return {IM_COL32(255, 255, 255, 255), IM_COL32(238, 232, 220, 255),
              IM_COL32(120, 20, 20, 255), IM_COL32(178, 34, 34, 255)};
  }
}
}  // namespace

void Ui::begin_frame() {
  widgets_.clear();
  texts_.clear();
}

void Ui::begin_screen(const char* name) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(vp->Size);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, color::kBackground);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(24), px(16)));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(px(14), px(12)));
  ImGui::Begin(name, nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PushFont(fonts_.font(FontRole::kBody));
}

void Ui::end_screen() {
  ImGui::PopFont();
  ImGui::End();
  ImGui::PopStyleVar(2);
  ImGui::PopStyleColor();
}

namespace {
// Splits `s` into runs the atlas draws and single characters SDL_ttf draws.
template <class Atlas, class Ttf>
void for_runs(Fonts& fonts, std::string_view s, Atlas atlas, Ttf ttf) {
  const char* p = s.data();
  const char* end = s.data() + s.size();
  const char* run = p;
  while (p < end) {
    auto b = static_cast<unsigned char>(*p);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    if (p + len > end) len = static_cast<int>(end - p);
    if (len >= 3) {
      char32_t c = utf8_decode(std::string_view(p, static_cast<std::size_t>(len))).front();
      if (fonts.via_ttf(c)) {
        if (p > run) atlas(run, p);
        ttf(c);
        p += len;
        run = p;
        continue;
      }
    }
    p += len;
  }
  if (end > run) atlas(run, end);
}
}  // namespace

ImVec2 Ui::measure(std::string_view s, FontRole role) {
  ImFont* f = fonts_.font(atlas_role(role));
  float size = text_px(role);
  float w = 0;
  for_runs(
      fonts_, s,
      [&](const char* a, const char* b) { w += f->CalcTextSizeA(size, FLT_MAX, 0, a, b).x; },
      [&](char32_t c) {
        int gw = 0, gh = 0;
        if (fonts_.beyond_bmp_glyph(c, atlas_role(role), &gw, &gh) && gh > 0)
          w += gw * size / gh;
        else
          w += size;
      });
  return ImVec2(w, size);
}

Ui::Ui(Fonts& fonts, float scale) : fonts_(fonts), scale_(scale) {}
Ui::~Ui() = default;

bool Ui::draw_icon(ImDrawList* dl, std::string_view name, ImVec2 pos, float side, bool enabled) {
  if (!images_) images_ = std::make_unique<ImageCache>(fonts_.renderer());
  auto png = icon_png(name, side);
  if (png.empty()) return false;
  std::string key = "icon:" + std::string(name) + (side <= 96 ? ":96" : ":256");
  int w = 0, h = 0;
  double coverage = 0;
  SDL_Texture* tex = images_->get(key, png, &w, &h, &coverage);
  if (!tex || w <= 0) return false;
  dl->AddImage(static_cast<ImTextureID>(tex), pos, ImVec2(pos.x + side, pos.y + side), ImVec2(0, 0),
               ImVec2(1, 1), enabled ? IM_COL32_WHITE : IM_COL32(255, 255, 255, 110));
  return coverage > 0.05;  // a blank or nearly blank picture does not count as drawn
}

bool Ui::image(const std::string& key, std::string_view png, ImVec2 max) {
  if (!images_) images_ = std::make_unique<ImageCache>(fonts_.renderer());
  int w = 0, h = 0;
  SDL_Texture* tex = images_->get(key, png, &w, &h);
  if (!tex || w <= 0 || h <= 0) return false;
  float k = std::min({max.x / static_cast<float>(w), max.y / static_cast<float>(h), 2.0f * scale_});
  ImVec2 size(static_cast<float>(w) * k, static_cast<float>(h) * k);
  float avail = ImGui::GetContentRegionAvail().x;
  if (avail > size.x) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - size.x) / 2);
  ImGui::Image(static_cast<ImTextureID>(tex), size);
  return true;
}

std::string Ui::fit(std::string_view s, float width, FontRole role) {
  if (measure(s, role).x <= width) return std::string(s);
  std::string out(s);
  while (!out.empty()) {
    out = utf8_pop_back(out);
    if (measure(out + "…", role).x <= width) break;
  }
  return out + "…";
}

void Ui::draw_text(ImDrawList* dl, ImVec2 pos, std::string_view s, FontRole role, ImU32 col) {
  fonts_.want(s, atlas_role(role));
  ImFont* f = fonts_.font(atlas_role(role));
  float size = text_px(role);
  for_runs(
      fonts_, s,
      [&](const char* a, const char* b) {
        dl->AddText(f, size, pos, col, a, b);
        pos.x += f->CalcTextSizeA(size, FLT_MAX, 0, a, b).x;
      },
      [&](char32_t c) {
        int gw = 0, gh = 0;
        SDL_Texture* tex = fonts_.beyond_bmp_glyph(c, atlas_role(role), &gw, &gh);
        if (tex && gh > 0) {
          float w = gw * size / gh;
          dl->AddImage(reinterpret_cast<ImTextureID>(tex), pos, ImVec2(pos.x + w, pos.y + size),
                       ImVec2(0, 0), ImVec2(1, 1), col);
          pos.x += w;
        } else {
          pos.x += size;
        }
      });
}

void Ui::note_text(std::string_view s, FontRole role) {
  fonts_.want(s, atlas_role(role));
  texts_.push_back({std::string(s), role});
}

void Ui::text(std::string_view s, FontRole role, ImU32 col) {
  ImVec2 sz = measure(s, role);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  draw_text(ImGui::GetWindowDrawList(), pos, s, role, col);
  ImGui::Dummy(sz);
  texts_.push_back({std::string(s), role});
}

void Ui::text_centered(std::string_view s, FontRole role, ImU32 col) {
  ImVec2 sz = measure(s, role);
  float avail = ImGui::GetContentRegionAvail().x;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.f, (avail - sz.x) / 2));
  text(s, role, col);
}

void Ui::text_wrapped(std::string_view s, float width, FontRole role, ImU32 col) {
  bool plain = true;
  for (char32_t c : utf8_decode(s))
    if (c >= 0x2E80 && fonts_.via_ttf(c)) plain = false;
  if (!plain) {
    text(s, role, col);  // names with rare characters are short: one line
    return;
  }
  fonts_.want(s, atlas_role(role));
  ImFont* f = fonts_.font(atlas_role(role));
  ImGui::PushFont(f);
  if (f && f->FontSize > 0) ImGui::SetWindowFontScale(text_px(role) / f->FontSize);
  ImGui::PushStyleColor(ImGuiCol_Text, col);
  float wrap = width > 0 ? ImGui::GetCursorPosX() + width : 0.0f;
  ImGui::PushTextWrapPos(wrap);
  ImGui::TextUnformatted(s.data(), s.data() + s.size());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::SetWindowFontScale(1.0f);
  ImGui::PopFont();
  texts_.push_back({std::string(s), role});
}

bool Ui::button(std::string_view id, std::string_view label, ImVec2 size, Tone tone, bool enabled,
                FontRole role) {
  return button(id, label, {}, size, tone, enabled, role);
}

bool Ui::button(std::string_view id, std::string_view label, std::string_view icon, ImVec2 size,
                Tone tone, bool enabled, FontRole role) {
  std::string sid(id);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  if (!enabled) ImGui::BeginDisabled();
  bool pressed = ImGui::InvisibleButton(sid.c_str(), size);
  bool hovered = ImGui::IsItemHovered();
  bool held = ImGui::IsItemActive();
  if (!enabled) ImGui::EndDisabled();
  ToneColors c = tone_colors(tone);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 max(pos.x + size.x, pos.y + size.y);
  ImU32 fill = enabled ? ((hovered || held) ? c.hover : c.fill) : IM_COL32(220, 220, 220, 255);
  float r = px(12);
  dl->AddRectFilled(pos, max, fill, r);
  dl->AddRect(pos, max, enabled ? c.border : IM_COL32(190, 190, 190, 255), r, 0, px(2));
  ImVec2 ts = label.empty() ? ImVec2(0, 0) : measure(label, role);
  ImVec2 tp(pos.x + (size.x - ts.x) / 2, pos.y + (size.y - ts.y) / 2);
  WidgetInfo info{sid, std::string(label), pos, max, enabled};
  dl->PushClipRect(pos, max, true);
  if (!icon.empty()) {
    // Tall buttons: the picture above the words; short ones: beside them.
    float pad = px(8);
    bool above = size.y >= 2.4f * ts.y + 3 * pad && !label.empty();
    float side = above ? std::min(size.y - ts.y - 3 * pad, size.x * 0.6f) : size.y - 2 * pad;
    side = std::max(side, px(24));
    ImVec2 ip;
    if (above) {
      float block = side + pad + ts.y;
      ip = ImVec2(pos.x + (size.x - side) / 2, pos.y + (size.y - block) / 2);
      tp = ImVec2(pos.x + (size.x - ts.x) / 2, ip.y + side + pad);
    } else {
      float block = label.empty() ? side : side + pad + ts.x;
      if (block > size.x - 2 * pad) block = size.x - 2 * pad;  // long words: the picture stays
      ip = ImVec2(pos.x + std::max(pad, (size.x - block) / 2), pos.y + (size.y - side) / 2);
      tp = ImVec2(ip.x + side + pad, pos.y + (size.y - ts.y) / 2);
    }
    info.icon = std::string(icon);
    info.icon_drawn = draw_icon(dl, icon, ip, side, enabled);
    info.icon_min = ip;
    info.icon_max = ImVec2(ip.x + side, ip.y + side);
  }
  if (!label.empty())
    draw_text(dl, tp, label, role, enabled ? c.text : IM_COL32(140, 140, 140, 255));
  dl->PopClipRect();
  widgets_.push_back(std::move(info));
  texts_.push_back({std::string(label), role});
  return pressed && enabled;
}

void Ui::progress(float fraction, ImVec2 size, std::string_view caption) {
  fraction = std::clamp(fraction, 0.f, 1.f);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 max(pos.x + size.x, pos.y + size.y);
  dl->AddRectFilled(pos, max, IM_COL32(225, 222, 214, 255), px(8));
  if (fraction > 0)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x * fraction, max.y),
                      fraction >= 1 ? color::kGood : IM_COL32(25, 118, 210, 255), px(8));
  ImVec2 ts = measure(caption, FontRole::kBody);
  draw_text(dl, ImVec2(pos.x + px(12), pos.y + (size.y - ts.y) / 2), caption, FontRole::kBody,
            fraction > 0.35f ? IM_COL32(255, 255, 255, 255) : color::kText);
  ImGui::Dummy(size);
  texts_.push_back({std::string(caption), FontRole::kBody});
}

void Ui::field(std::string_view id, std::string_view shown, ImVec2 size, ImU32 border,
               FontRole role) {
  ImVec2 pos = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 max(pos.x + size.x, pos.y + size.y);
  dl->AddRectFilled(pos, max, color::kCard, px(8));
  dl->AddRect(pos, max, border, px(8), 0, px(3));
  ImVec2 ts = measure(shown, role);
  dl->PushClipRect(pos, max, true);
  draw_text(dl, ImVec2(pos.x + px(16), pos.y + (size.y - ts.y) / 2), shown, role, color::kText);
  dl->PopClipRect();
  ImGui::Dummy(size);
  widgets_.push_back({std::string(id), std::string(shown), pos, max, false});
  texts_.push_back({std::string(shown), role});
}

std::string Ui::keypad(std::string_view prefix, bool with_x, ImVec2 key) {
  static const char* kRows[4][3] = {
      {"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"X", "0", "del"}};
  std::string hit;
  for (auto& row : kRows) {
    for (int i = 0; i < 3; ++i) {
      std::string k = row[i];
      if (i > 0) ImGui::SameLine();
      bool enabled = k != "X" || with_x;
      std::string label = k == "del" ? std::string(t("common.delete")) : k;
      if (button(std::string(prefix) + "." + k, label, k == "del" ? "delete" : "", key,
                 k == "del" ? Tone::kWarning : Tone::kKey, enabled))
        hit = k;
    }
  }
  return hit;
}

}  // namespace chz::app
