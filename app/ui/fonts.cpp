#include "app/ui/fonts.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>

#include <filesystem>

#include "common/fs.h"
#include "common/log.h"

namespace chz::app {

namespace {
constexpr float kBodyPx = 28;
constexpr float kLargePx = 42;
}  // namespace

Fonts::~Fonts() {
  for (auto& [k, g] : glyph_cache_)
    if (g.tex) SDL_DestroyTexture(g.tex);
  for (auto& [px, f] : ttf_)
    if (f) TTF_CloseFont(f);
  for (auto& [px, f] : ttf_a_)
    if (f) TTF_CloseFont(f);
  for (TTF_Font* f : probes_)
    if (f) TTF_CloseFont(f);
  if (TTF_WasInit()) TTF_Quit();
}

float Fonts::pixel_size(FontRole role) const {
  return (role == FontRole::kBody ? kBodyPx : kLargePx) * scale_;
}

Status Fonts::prepare(const FontPaths& paths, float scale, const GlyphSet& body,
                      const GlyphSet& large) {
  paths_ = paths;
  scale_ = scale;
  body_set_ = body;
  large_set_ = large;
  if (!own_atlas_) own_atlas_ = std::make_unique<ImFontAtlas>();
  atlas_ = own_atlas_.get();
  prepared_ = false;
  CHZ_TRY(rasterise());
  prepared_ = true;
  return OkStatus();
}

Status Fonts::load(SDL_Renderer* r, const FontPaths& paths, float scale, const GlyphSet& body,
                   const GlyphSet& large) {
  renderer_ = r;
  ImFontAtlas* ctx_atlas = ImGui::GetIO().Fonts;
  bool ready = prepared_ && atlas_ == ctx_atlas && scale == scale_ && paths.cjk == paths_.cjk;
  paths_ = paths;
  scale_ = scale;
  body_set_ = body;
  large_set_ = large;
  if (!ready) {
    atlas_ = ctx_atlas;
    CHZ_TRY(rasterise());
  }
  prepared_ = false;
  if (!TTF_WasInit() && TTF_Init() != 0)
    return Status(Code::kInternal, std::string("SDL_ttf: ") + TTF_GetError());
  spdlog::debug("startup: SDL_ttf ready (fonts open on first need)");
  return upload();
}

// The atlas on the CPU: only ImFontAtlas and stb_truetype, no context.
Status Fonts::rasterise() {
  if (!std::filesystem::exists(paths_.cjk))
    return Status(Code::kNotFound, "Chinese font missing: " + paths_.cjk);
  // Read once for both sizes; dropped (with ImGui's copies of the
  // configuration) once the atlas is built.
  auto ttf = read_file(paths_.cjk);
  if (!ttf.ok()) return Status(Code::kNotFound, "Chinese font unreadable: " + paths_.cjk);
  atlas_->Clear();
  body_ranges_ = body_set_.bmp_ranges();
  large_ranges_ = large_set_.bmp_ranges();
  ImFontConfig cfg;
  cfg.OversampleH = 1;  // CJK at these sizes needs no sub-pixel oversampling
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  cfg.FontNo = 0;
  cfg.FontDataOwnedByAtlas = false;
  static_assert(sizeof(ImWchar) == sizeof(std::uint16_t), "Debian's ImGui uses 16-bit ImWchar");
  int n = static_cast<int>(ttf->size());
  body_ = atlas_->AddFontFromMemoryTTF(ttf->data(), n, pixel_size(FontRole::kBody), &cfg,
                                       reinterpret_cast<const ImWchar*>(body_ranges_.data()));
  large_ = atlas_->AddFontFromMemoryTTF(ttf->data(), n, pixel_size(FontRole::kLarge), &cfg,
                                        reinterpret_cast<const ImWchar*>(large_ranges_.data()));
  if (!body_ || !large_) return Status(Code::kInternal, "ImGui could not load " + paths_.cjk);
  atlas_->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
  bool built = atlas_->Build();
  atlas_->ClearInputData();  // the TTF bytes are ours and go now
  if (!built) return Status(Code::kInternal, "font atlas build failed");
  spdlog::debug("startup: atlas rasterised {}x{}", atlas_->TexWidth, atlas_->TexHeight);
  return OkStatus();
}

// Sends the rasterised atlas to the renderer (the context's atlas).
Status Fonts::upload() {
  ImGui_ImplSDLRenderer_DestroyFontsTexture();  // the previous atlas's, if any
  if (!ImGui_ImplSDLRenderer_CreateFontsTexture())
    return Status(Code::kInternal, "font texture upload failed");
  // The texture lives on the renderer now; the CPU copy is not needed.
  atlas_->ClearTexData();
  dirty_ = false;
  return OkStatus();
}

Status Fonts::build() {
  CHZ_TRY(rasterise());
  return upload();
}

void Fonts::want(std::string_view utf8, FontRole role) {
  GlyphSet& set = role == FontRole::kBody ? body_set_ : large_set_;
  for (char32_t c : utf8_decode(utf8)) {
    if (c < 0x20 || set.contains(c) || via_ttf(c)) continue;
    set.add(c);
    dirty_ = true;
  }
}

bool Fonts::rebuild_if_needed() {
  if (!dirty_) return false;
  Status st = build();
  if (!st.ok()) SDL_Log("font rebuild failed: %s", st.message().c_str());
  return true;
}

TTF_Font* Fonts::probe(Probe which) const {
  int i = static_cast<int>(which);
  if (!probe_tried_[i]) {
    probe_tried_[i] = true;
    if (!TTF_WasInit() && TTF_Init() != 0) return nullptr;
    switch (which) {
      case Probe::kBeyondBmp:
        probes_[i] = TTF_OpenFont(paths_.beyond_bmp.c_str(), 16);
        if (!probes_[i])
          SDL_Log("no font for characters beyond the BMP: %s", paths_.beyond_bmp.c_str());
        break;
      case Probe::kFallbackBmp:
        probes_[i] = TTF_OpenFont(paths_.fallback_bmp.c_str(), 16);
        break;
      case Probe::kCjk:
        probes_[i] = TTF_OpenFontIndex(paths_.cjk.c_str(), 16, 0);
        break;
    }
  }
  return probes_[i];
}

bool Fonts::can_draw(char32_t c, FontRole role) const {
  if (c < 0x20) return true;
  if (beyond_bmp(c)) {
    TTF_Font* b = probe(Probe::kBeyondBmp);
    return b && TTF_GlyphIsProvided32(b, static_cast<Uint32>(c));
  }
  if (via_ttf_.count(c) && via_ttf_[c])
    return probe(Probe::kFallbackBmp) &&
           TTF_GlyphIsProvided32(probe(Probe::kFallbackBmp), static_cast<Uint32>(c));
  ImFont* f = font(role);
  return f && f->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
}

bool Fonts::via_ttf(char32_t c) {
  if (beyond_bmp(c)) return true;
  if (c < 0x2E80) return false;  // only CJK can be missing here
  auto it = via_ttf_.find(c);
  if (it != via_ttf_.end()) return it->second;
  // In the atlas: the Chinese font has it (no SDL_ttf font needs opening).
  auto w = static_cast<ImWchar>(c);
  if ((body_ && body_->FindGlyphNoFallback(w)) || (large_ && large_->FindGlyphNoFallback(w)))
    return false;
  TTF_Font* cjk = probe(Probe::kCjk);
  TTF_Font* fallback = probe(Probe::kFallbackBmp);
  if (!cjk) return false;
  bool missing = !TTF_GlyphIsProvided32(cjk, static_cast<Uint32>(c)) && fallback &&
                 TTF_GlyphIsProvided32(fallback, static_cast<Uint32>(c));
  via_ttf_[c] = missing;
  return missing;
}

SDL_Texture* Fonts::beyond_bmp_glyph(char32_t c, FontRole role, int* w, int* h) {
  int px = static_cast<int>(pixel_size(role));
  auto key = std::make_pair(c, px);
  auto it = glyph_cache_.find(key);
  if (it == glyph_cache_.end()) {
    bool bmp = !beyond_bmp(c);
    TTF_Font*& f = bmp ? ttf_a_[px] : ttf_[px];
    if (!f) f = TTF_OpenFont(bmp ? paths_.fallback_bmp.c_str() : paths_.beyond_bmp.c_str(), px);
    Glyph g;
    if (f && TTF_GlyphIsProvided32(f, static_cast<Uint32>(c))) {
      SDL_Surface* s =
          TTF_RenderGlyph32_Blended(f, static_cast<Uint32>(c), SDL_Color{255, 255, 255, 255});
      if (s) {
        g.tex = SDL_CreateTextureFromSurface(renderer_, s);
        g.w = s->w;
        g.h = s->h;
        SDL_FreeSurface(s);
        if (g.tex) SDL_SetTextureBlendMode(g.tex, SDL_BLENDMODE_BLEND);
      }
    }
    it = glyph_cache_.emplace(key, g).first;
  }
  *w = it->second.w;
  *h = it->second.h;
  return it->second.tex;
}

}  // namespace chz::app
