// The floor of the UI benchmark: a bare SDL_Renderer + ImGui window with
// ImGui's default font, drawn event-driven like the kiosk. Prints
// "ready <ms>" after the first frame; runs until killed.
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <cstdio>

int main(int, char**) {
  Uint64 t0 = SDL_GetTicks64();
  if (SDL_Init(SDL_INIT_VIDEO) != 0) return 2;
  SDL_DisplayMode dm{};
  SDL_GetDesktopDisplayMode(0, &dm);
  // Opened the way the kiosk opens its window (app/ui/shell.cpp): an OpenGL
  // window from the start, so the GL renderer does not re-create it.
  const Uint32 flags = SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
  SDL_Window* w = SDL_CreateWindow("floor", 0, 0, dm.w, dm.h, flags | SDL_WINDOW_OPENGL);
  if (!w) w = SDL_CreateWindow("floor", 0, 0, dm.w, dm.h, flags);
  SDL_Renderer* r = SDL_CreateRenderer(w, -1, SDL_RENDERER_PRESENTVSYNC);
  if (!r) r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplSDL2_InitForSDLRenderer(w);
  ImGui_ImplSDLRenderer_Init(r);
  bool first = true;
  for (;;) {
    SDL_Event e;
    while (SDL_PollEvent(&e)) ImGui_ImplSDL2_ProcessEvent(&e);
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    ImGui::Begin("floor");
    ImGui::Text("Hello");
    ImGui::End();
    ImGui::Render();
    SDL_RenderClear(r);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    SDL_RenderPresent(r);
    if (first) {
      first = false;
      std::printf("ready %llu\n", static_cast<unsigned long long>(SDL_GetTicks64() - t0));
      std::fflush(stdout);
    }
    SDL_WaitEventTimeout(nullptr, 60'000);
  }
}
