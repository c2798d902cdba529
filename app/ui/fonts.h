// Fonts of the kiosk UI. The ImGui atlas holds only the characters actually
// shown (string table, roster names, installed content, plus anything a
// frame met that was missing), at two sizes scaled to the display; it is
// rebuilt between frames when that set grows. Characters beyond the BMP
// (CJK Ext B names such as 𠮷) are rasterised by SDL_ttf from a font that
// has them (fonts-hanazono) into small cached textures.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/ui/utf8.h"
#include "common/status.h"

struct ImFont;
struct ImFontAtlas;
struct SDL_Renderer;
struct SDL_Texture;
typedef struct _TTF_Font TTF_Font;

namespace chz::app {

struct FontPaths {
  std::string cjk = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
  std::string beyond_bmp = "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf";
  // BMP characters the Chinese font lacks (CJK Ext A such as 䶮).
  std::string fallback_bmp = "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf";
};

enum class FontRole { kBody, kLarge };

class Fonts {
 public:
  Fonts() = default;
  Fonts(const Fonts&) = delete;
  Fonts& operator=(const Fonts&) = delete;
  ~Fonts();

  // Rasterises the atlas on the CPU into an atlas this object owns; needs no
  // ImGui context and no SDL, so it may run on another thread while the
  // window opens (no ImGui context may exist meanwhile). Then create the
  // context with ImGui::CreateContext(atlas()) and call load() with the same
  // arguments, which only uploads. kNotFound when the Chinese font is missing.
  Status prepare(const FontPaths& paths, float scale, const GlyphSet& body, const GlyphSet& large);
  ImFontAtlas* atlas() const { return atlas_; }
  // Loads the fonts at `scale` (1.0 = 1024×600: body 28 px, large 42 px),
  // builds the atlas from `body` and `large` (unless prepare() already did)
  // into the current context's atlas and uploads it. kNotFound when a font
  // file is missing.
  Status load(SDL_Renderer* r, const FontPaths& paths, float scale, const GlyphSet& body,
              const GlyphSet& large);
  // Adds text to the sets; rebuild() happens at the next rebuild_if_needed().
  void want(std::string_view utf8, FontRole role);
  // Rebuilds and re-uploads the atlas if a wanted character is missing.
  // Must be called between frames. Returns true when it rebuilt.
  bool rebuild_if_needed();

  ImFont* font(FontRole role) const { return role == FontRole::kBody ? body_ : large_; }
  float pixel_size(FontRole role) const;
  // True when `c` can be drawn in `role` (atlas glyph or SDL_ttf glyph).
  bool can_draw(char32_t c, FontRole role) const;
  // True when `c` is drawn through SDL_ttf: beyond the BMP, or a CJK
  // character the Chinese font lacks (answered once per character).
  bool via_ttf(char32_t c);
  // A texture of one SDL_ttf character at `role`'s size (cached), with
  // its size in pixels; nullptr when no font has it.
  SDL_Texture* beyond_bmp_glyph(char32_t c, FontRole role, int* w, int* h);
  // The renderer the textures belong to (after load()).
  SDL_Renderer* renderer() const { return renderer_; }

 private:
  Status build();
  Status rasterise();
  Status upload();
  SDL_Renderer* renderer_ = nullptr;
  std::unique_ptr<ImFontAtlas> own_atlas_;  // prepare() builds here
  ImFontAtlas* atlas_ = nullptr;            // the atlas the ImGui context uses
  bool prepared_ = false;
  FontPaths paths_;
  float scale_ = 1;
  GlyphSet body_set_, large_set_;
  bool dirty_ = false;
  std::vector<std::uint16_t> body_ranges_, large_ranges_;
  ImFont* body_ = nullptr;
  ImFont* large_ = nullptr;
  std::map<int, TTF_Font*> ttf_;  // pixel size -> font
  // SDL_ttf fonts at 16 px that answer "does this font have c?", opened on
  // first need (most starts never draw a character the atlas lacks).
  enum class Probe { kBeyondBmp, kFallbackBmp, kCjk };
  TTF_Font* probe(Probe which) const;
  mutable TTF_Font* probes_[3] = {nullptr, nullptr, nullptr};
  mutable bool probe_tried_[3] = {false, false, false};
  std::map<int, TTF_Font*> ttf_a_;  // BMP fallback by pixel size
  mutable std::map<char32_t, bool> via_ttf_;
  struct Glyph {
    SDL_Texture* tex = nullptr;
    int w = 0, h = 0;
  };
  std::map<std::pair<char32_t, int>, Glyph> glyph_cache_;
};

}  // namespace chz::app
