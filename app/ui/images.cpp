#include "app/ui/images.h"

#include <SDL.h>
#include <cairo.h>

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

SDL_Texture* ImageCache::get(const std::string& key, std::string_view png, int* w, int* h) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    Entry e;
    Reader r{png};
    cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read_chunk, &r);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
      cairo_surface_flush(s);
      int sw = cairo_image_surface_get_width(s), sh = cairo_image_surface_get_height(s);
      if (renderer_ && sw > 0 && sh > 0 && sw <= kMaxSide && sh <= kMaxSide) {
        // cairo's ARGB32 is a native-endian 32-bit word: SDL's ARGB8888.
        e.tex = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, sw,
                                  sh);
        if (e.tex) {
          SDL_UpdateTexture(e.tex, nullptr, cairo_image_surface_get_data(s),
                            cairo_image_surface_get_stride(s));
          SDL_SetTextureBlendMode(e.tex, SDL_BLENDMODE_BLEND);
          e.w = sw;
          e.h = sh;
        }
      }
    }
    cairo_surface_destroy(s);
    it = entries_.emplace(key, e).first;
  }
  if (w) *w = it->second.w;
  if (h) *h = it->second.h;
  return it->second.tex;
}

}  // namespace chz::app
