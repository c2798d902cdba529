#include "app/ui/shell.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdio>
#include <future>
#include <set>
#include <thread>
#include <vector>

#include "app/ui/app.h"
#include "app/ui/driver.h"
#include "app/ui/widgets.h"
#include "common/log.h"

namespace chz::app {

namespace {
// 1.0 = 1024×600; larger screens scale everything, never clip.
float scale_for(int w, int h) {
  return std::max(0.75f, std::min(w / 1024.f, h / 600.f));
}
}  // namespace

Result<std::unique_ptr<Shell>> Shell::create(const ShellOptions& o) {
  std::unique_ptr<Shell> s(new Shell());
  s->o_ = o;
  SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
  SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
  if (o.kiosk) SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
  s->w_ = o.width;
  s->h_ = o.height;
  s->scale_ = scale_for(s->w_, s->h_);
  s->fonts_ = std::make_unique<Fonts>();
  return s;
}

Status Shell::start_video() {
  if (video_) return OkStatus();
  // Our signal thread (run.cpp) stops the loop; SDL's own handlers would
  // turn SIGTERM into an SDL_QUIT that kiosk mode swallows.
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  auto no_display = [](std::string why) {
    return Status(Code::kUnavailable,
                  "no display: " + why +
                      ". The kiosk needs a graphical session (X11 or Wayland: DISPLAY or "
                      "WAYLAND_DISPLAY) or the console (KMS/DRM); nothing was started or "
                      "written",
                  "ui.no_display");
  };
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) return no_display(SDL_GetError());
  const char* drv = SDL_GetCurrentVideoDriver();
  std::string driver = drv ? drv : "";
  const char* asked = SDL_getenv("SDL_VIDEODRIVER");
  if ((driver == "offscreen" || driver == "dummy" || driver == "evdev") &&
      !(asked && driver == asked)) {
    SDL_Quit();
    return no_display("SDL found only its '" + driver + "' driver, which shows nothing");
  }
  if (SDL_GetNumVideoDisplays() < 1) {
    SDL_Quit();
    return no_display("the '" + driver + "' video driver reports no screen");
  }
  video_ = true;
  spdlog::debug("startup: SDL video up ({})", driver);
  if (o_.kiosk) {
    SDL_DisplayMode dm;
    if (SDL_GetDesktopDisplayMode(0, &dm) == 0) {
      w_ = dm.w;
      h_ = dm.h;
    }
  }
  scale_ = scale_for(w_, h_);
  return OkStatus();
}

Status Shell::open_window() {
  Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
  int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
  if (o_.kiosk) {
    // At the display's own size so the first frame already fits. On X11 SDL
    // then waits up to 100 ms for a window manager; the worker thread uses
    // that time. (Asking for fullscreen after the first frame instead costs
    // llvmpipe 13 MB more resident memory.)
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    x = y = 0;
  }
  // An OpenGL window from the start: SDL's GL renderer would otherwise
  // destroy and re-create a plain window (and show it again).
  window_ = SDL_CreateWindow("持证 Chizheng", x, y, w_, h_, flags | SDL_WINDOW_OPENGL);
  if (!window_) window_ = SDL_CreateWindow("持证 Chizheng", x, y, w_, h_, flags);
  if (!window_) return Status(Code::kUnavailable, std::string("SDL window: ") + SDL_GetError());
  spdlog::debug("startup: window created");
  renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_PRESENTVSYNC);
  if (!renderer_) renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
  if (!renderer_) return Status(Code::kUnavailable, std::string("SDL renderer: ") + SDL_GetError());
  spdlog::debug("startup: renderer created");
  if (o_.kiosk) {
    SDL_ShowCursor(SDL_DISABLE);
    SDL_SetWindowKeyboardGrab(window_, SDL_TRUE);
  }
  SDL_GetRendererOutputSize(renderer_, &w_, &h_);
  scale_ = scale_for(w_, h_);
  return OkStatus();
}

void Shell::wake() {
  if (!SDL_WasInit(SDL_INIT_EVENTS)) return;
  SDL_Event e{};
  e.type = SDL_USEREVENT;
  SDL_PushEvent(&e);  // thread-safe; the loop then sees ShellOptions::stop
}

void Shell::init_imgui() {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext(fonts_->atlas());  // null: the context's own atlas
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  if (o_.kiosk) io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
  ImGui::StyleColorsLight();
  ImGui::GetStyle().ScaleAllSizes(scale_);
  ImGui_ImplSDL2_InitForSDLRenderer(window_);
  ImGui_ImplSDLRenderer_Init(renderer_);
  imgui_ready_ = true;
}

Shell::~Shell() {
  if (imgui_ready_) {
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
  }
  fonts_.reset();  // after the context: it may own the context's atlas
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_Quit();
}

// Returns true when the event must not reach ImGui (kiosk hardening).
bool Shell::filter(const SDL_Event& e, App& app) {
  if (e.type == SDL_QUIT ||
      (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE)) {
    if (o_.kiosk) {
      ++app.swallowed_events;
      return true;
    }
    return false;  // windowed: handled by run()
  }
  if (o_.kiosk && (e.type == SDL_KEYDOWN || e.type == SDL_KEYUP)) {
    const SDL_Keysym& k = e.key.keysym;
    bool combo = (k.mod & (KMOD_ALT | KMOD_GUI)) || k.sym == SDLK_LGUI || k.sym == SDLK_RGUI ||
                 k.sym == SDLK_ESCAPE || ((k.mod & KMOD_CTRL) && k.sym == SDLK_q);
    if (combo) {
      if (e.type == SDL_KEYDOWN) ++app.swallowed_events;
      return true;
    }
  }
  return false;
}

class Shell::Host final : public DriverHost {
 public:
  Host(Shell& s, App& a, FakeClock* f, Ui& ui) : s_(s), app_(a), fake_(f), ui_(ui) {}
  std::string screen_name() override { return std::string(app::screen_name(app_.screen())); }
  void advance_clock(std::int64_t ms) override {
    if (fake_) fake_->advance(ms);
  }
  void send_key(const std::string& combo) override {
    SDL_Event e{};
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.windowID = SDL_GetWindowID(s_.window_);
    std::string rest = combo;
    Uint16 mod = 0;
    for (;;) {
      auto p = rest.find('+');
      if (p == std::string::npos) break;
      std::string m = rest.substr(0, p);
      if (m == "alt") mod |= KMOD_LALT;
      if (m == "ctrl") mod |= KMOD_LCTRL;
      if (m == "super") mod |= KMOD_LGUI;
      rest = rest.substr(p + 1);
    }
    e.key.keysym.mod = mod;
    e.key.keysym.sym = SDL_GetKeyFromName(rest.c_str());
    e.key.keysym.scancode = SDL_GetScancodeFromKey(e.key.keysym.sym);
    SDL_PushEvent(&e);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
  }
  void send_close() override {
    SDL_Event e{};
    e.type = SDL_QUIT;
    SDL_PushEvent(&e);
  }
  Status screenshot(const std::filesystem::path& png) override {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(s_.renderer_, &w, &h);
    std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 4);
    if (SDL_RenderReadPixels(s_.renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, px.data(), w * 4) !=
        0)
      return Status(Code::kInternal, std::string("read pixels: ") + SDL_GetError());
    // Not blank: several colours, and a fair share off the background.
    std::set<std::uint32_t> colours;
    std::size_t off = 0, n = static_cast<std::size_t>(w) * h;
    const std::uint32_t* p = reinterpret_cast<const std::uint32_t*>(px.data());
    for (std::size_t i = 0; i < n; ++i) {
      if (colours.size() < 64) colours.insert(p[i]);
      if (p[i] != p[0]) ++off;
    }
    if (colours.size() < 8 || off < n / 50)
      return Status(Code::kFailedPrecondition,
                    "screenshot looks blank: " + std::to_string(colours.size()) + " colours");
    std::error_code ec;
    if (png.has_parent_path()) std::filesystem::create_directories(png.parent_path(), ec);
    if (!stbi_write_png(png.c_str(), w, h, 4, px.data(), w * 4))
      return Status(Code::kIoError, "cannot write " + png.string());
    std::printf("screenshot %s (%dx%d, %zu colours)\n", png.c_str(), w, h, colours.size());
    return OkStatus();
  }
  std::string last_said() override { return app_.last_said(); }
  int colours_in(float x0, float y0, float x1, float y1) override {
    // Widget rectangles are in ImGui's logical pixels; the output may be scaled.
    int ow = 0, oh = 0, ww = 0, wh = 0;
    SDL_GetRendererOutputSize(s_.renderer_, &ow, &oh);
    SDL_GetWindowSize(s_.window_, &ww, &wh);
    float kx = ww > 0 ? static_cast<float>(ow) / ww : 1,
          ky = wh > 0 ? static_cast<float>(oh) / wh : 1;
    SDL_Rect r{static_cast<int>(x0 * kx), static_cast<int>(y0 * ky),
               static_cast<int>((x1 - x0) * kx), static_cast<int>((y1 - y0) * ky)};
    if (r.w <= 0 || r.h <= 0) return 0;
    std::vector<std::uint32_t> px(static_cast<std::size_t>(r.w) * r.h);
    if (SDL_RenderReadPixels(s_.renderer_, &r, SDL_PIXELFORMAT_ABGR8888, px.data(), r.w * 4) != 0)
      return 0;
    std::set<std::uint32_t> colours;
    for (std::uint32_t p : px) {
      colours.insert(p);
      if (colours.size() >= 64) break;
    }
    return static_cast<int>(colours.size());
  }
  std::string missing_glyphs() override {
    std::string out;
    std::set<char32_t> seen;
    for (const auto& t : ui_.texts())
      for (char32_t c : utf8_decode(t.text))
        if (!s_.fonts_->can_draw(c, t.role) && seen.insert(c).second) out += utf8_encode(c);
    return out;
  }

 private:
  Shell& s_;
  App& app_;
  FakeClock* fake_;
  Ui& ui_;
};

int Shell::run(App& app, Driver* driver, FakeClock* fake) {
  // The glyph set (store queries) and the atlas (stb_truetype) are built on
  // a worker thread while this one starts SDL and opens the window. No
  // ImGui context exists until the worker is done (ImGui's allocator
  // counts into the current context).
  GlyphSet body, large;
  std::promise<float> planned;  // the scale, known once SDL knows the display
  std::future<float> planned_scale = planned.get_future();
  Status prepared;
  std::thread worker([&] {
    app.glyph_seed(body, large);
    spdlog::debug("startup: glyph seed ({} body, {} large)", body.size(), large.size());
    prepared = fonts_->prepare(o_.fonts, planned_scale.get(), body, large);
  });
  Status win = video_ ? OkStatus() : start_video();
  planned.set_value(scale_);  // on every path: the worker waits for it
  if (win.ok()) win = open_window();
  worker.join();
  if (!win.ok()) {
    std::fprintf(stderr, "chizheng-kiosk: %s\n", win.message().c_str());
    return 2;
  }
  if (!prepared.ok()) {
    std::fprintf(stderr, "fonts: %s\n", prepared.message().c_str());
    return 2;
  }
  init_imgui();
  // Uploads only; rasterises again if the renderer's size changed the scale.
  Status st = fonts_->load(renderer_, o_.fonts, scale_, body, large);
  if (!st.ok()) {
    std::fprintf(stderr, "fonts: %s\n", st.message().c_str());
    return 2;
  }
  spdlog::debug("startup: fonts loaded");
  Ui ui(*fonts_, scale_);
  Host host(*this, app, fake, ui);
  int pending_frames = 2;
  bool first = true;
  Uint64 t0 = SDL_GetTicks64();
  for (;;) {
    SDL_Event e;
    bool got;
    if (driver || pending_frames > 0) {
      got = SDL_PollEvent(&e);
    } else {
      // Sleep until an event or the app's next deadline.
      std::int64_t wait = app.ms_until_deadline();
      int timeout = static_cast<int>(wait < 0 ? 60'000 : std::clamp<std::int64_t>(wait, 1, 60'000));
      got = SDL_WaitEventTimeout(&e, timeout);
    }
    if (o_.stop && o_.stop->load()) {
      spdlog::info("stopping on a signal");
      return 0;
    }
    while (got) {
      if (e.type == SDL_QUIT && !o_.kiosk) return 0;
      if (!filter(e, app)) {
        ImGui_ImplSDL2_ProcessEvent(&e);
        if (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_FINGERDOWN || e.type == SDL_KEYDOWN ||
            e.type == SDL_MOUSEMOTION || e.type == SDL_TEXTINPUT)
          app.on_input();
        pending_frames = std::max(pending_frames, 2);
      }
      got = SDL_PollEvent(&e);
    }
    if (app.tick()) pending_frames = std::max(pending_frames, 2);
    if (app.quit_requested()) return 0;
    if (pending_frames <= 0 && !driver) continue;
    if (fonts_->rebuild_if_needed()) pending_frames = std::max(pending_frames, 1);
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    if (driver) {
      driver->before_frame(ImGui::GetIO());
      if (ImGui::GetIO().MouseDown[0]) app.on_input();
    }
    ImGui::NewFrame();
    ui.begin_frame();
    bool changed = app.frame(ui);
    ImGui::Render();
    SDL_SetRenderDrawColor(renderer_, 247, 244, 236, 255);
    SDL_RenderClear(renderer_);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    if (driver) driver->after_render(host, ui, static_cast<std::int64_t>(SDL_GetTicks64()));
    SDL_RenderPresent(renderer_);
    if (first) {
      first = false;
      spdlog::debug("startup: first frame shown");
      if (o_.print_ready) {
        std::printf("ready %llu\n", static_cast<unsigned long long>(SDL_GetTicks64() - t0));
        std::fflush(stdout);
      }
      if (o_.exit_after_first_frame) return 0;
    }
    --pending_frames;
    if (changed) pending_frames = std::max(pending_frames, 2);
    if (driver && driver->done()) return driver->exit_code();
  }
}

}  // namespace chz::app
