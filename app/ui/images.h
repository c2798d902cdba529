// Images as textures: lesson and question PNGs (already hash-checked by
// content::read_installed_file) and the pictograms (rendered to PNG at build
// time) decoded with cairo, uploaded once per key to the SDL renderer
// (scaled with linear filtering), freed with the cache.
#pragma once

#include <map>
#include <string>
#include <string_view>

struct SDL_Renderer;
struct SDL_Texture;

namespace chz::app {

class ImageCache {
 public:
  explicit ImageCache(SDL_Renderer* r) : renderer_(r) {}
  ~ImageCache();
  ImageCache(const ImageCache&) = delete;
  ImageCache& operator=(const ImageCache&) = delete;
  // The texture for `key`, decoding `png` the first time; nullptr (and a
  // remembered failure) if the bytes are not a PNG or too large.
  // `coverage`, if given: the share of its pixels that are not transparent.
  SDL_Texture* get(const std::string& key, std::string_view png, int* w, int* h,
                   double* coverage = nullptr);

 private:
  struct Entry {
    SDL_Texture* tex = nullptr;
    int w = 0, h = 0;
    double coverage = 0;
  };
  SDL_Renderer* renderer_;
  std::map<std::string, Entry> entries_;
};

}  // namespace chz::app
