#include "app/ui/images.h"

#include <SDL.h>
#include <cairo.h>

#include <cstdint>
#include <cstring>

namespace chz::app {

namespace {
struct Reader {
  std::string_view bytes;
  std::size_t pos = 0;
};

cairo_status_t read_chunk(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<Reader*>(closure);
  if (r->bytes.size() - r->pos < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes.data() + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

constexpr int kMaxSide = 4096;  // a lesson image larger than this is refused
}  // namespace

ImageCache::~ImageCache() {
  for (auto& [key, e] : entries_)
    if (e.tex) SDL_DestroyTexture(e.tex);
}

namespace {
// Uploads an ARGB32 cairo surface; nullptr when the renderer refuses it.
SDL_Texture* upload(SDL_Renderer* r, cairo_surface_t* s, int sw, int sh) {
  // cairo's ARGB32 is a native-endian 32-bit word: SDL's ARGB8888.
  SDL_Texture* t = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, sw, sh);
  if (!t) return nullptr;
  SDL_UpdateTexture(t, nullptr, cairo_image_surface_get_data(s), cairo_image_surface_get_stride(s));
  SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
  SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);  // pictograms and images are drawn scaled
  return t;
}
}  // namespace

SDL_Texture* ImageCache::get(const std::string& key, std::string_view png, int* w, int* h,
                             double* coverage) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    Entry e;
    Reader r{png};
    cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read_chunk, &r);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
      cairo_surface_flush(s);
      int sw = cairo_image_surface_get_width(s), sh = cairo_image_surface_get_height(s);
      if (renderer_ && sw > 0 && sh > 0 && sw <= kMaxSide && sh <= kMaxSide) {
        e.tex = upload(renderer_, s, sw, sh);
        if (e.tex) {
          e.w = sw;
          e.h = sh;
        }
        // The share of pixels that are not transparent (a blank picture: 0).
        const unsigned char* data = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        long opaque = 0;
        for (int y = 0; y < sh; ++y)
          for (int x = 0; x < sw; ++x) {
            std::uint32_t px;
            std::memcpy(&px, data + static_cast<std::ptrdiff_t>(y) * stride + x * 4, 4);
            if ((px >> 24) > 16) ++opaque;
          }
        e.coverage = static_cast<double>(opaque) / (static_cast<double>(sw) * sh);
      }
    }
    cairo_surface_destroy(s);
    it = entries_.emplace(key, e).first;
  }
  if (w) *w = it->second.w;
  if (h) *h = it->second.h;
  if (coverage) *coverage = it->second.coverage;
  return it->second.tex;
}

}  // namespace chz::app
