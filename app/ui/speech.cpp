#include "app/ui/speech.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>

namespace chz::app {

namespace {
int collect(short* wav, int n, espeak_EVENT* ev) {
  if (wav && n > 0 && ev) {
    auto* out = static_cast<std::vector<std::int16_t>*>(ev->user_data);
    out->insert(out->end(), wav, wav + n);
  }
  return 0;
}
}  // namespace

Speech::~Speech() {
  if (device_) SDL_CloseAudioDevice(device_);
  if (espeak_ready_) espeak_Terminate();
}

Status Speech::init() {
  if (!espeak_ready_) {
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    if (rate <= 0) return Status(Code::kUnavailable, "espeak-ng did not start");
    rate_ = rate;
    if (espeak_SetVoiceByName("cmn-latn-pinyin") != EE_OK)
      return Status(Code::kUnavailable, "espeak-ng has no voice cmn-latn-pinyin");
    espeak_SetSynthCallback(collect);
    espeak_ready_ = true;
  }
  if (!device_) {
    if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
      return Status(Code::kUnavailable, std::string("SDL audio: ") + SDL_GetError());
    SDL_AudioSpec want{}, have{};
    want.freq = rate_;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 2048;
    device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    if (!device_) return Status(Code::kUnavailable, std::string("audio device: ") + SDL_GetError());
  }
  return OkStatus();
}

Status Speech::speak(std::string_view text) {
  CHZ_TRY(init());
  stop();
  std::vector<std::int16_t> pcm;
  std::string t(text.substr(0, 4000));  // a lesson page, not a book
  espeak_Synth(t.c_str(), t.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &pcm);
  espeak_Synchronize();
  last_samples_ = pcm.size();
  if (pcm.empty()) return Status(Code::kInternal, "espeak-ng produced no audio");
  SDL_QueueAudio(device_, pcm.data(), static_cast<Uint32>(pcm.size() * sizeof(std::int16_t)));
  SDL_PauseAudioDevice(device_, 0);
  return OkStatus();
}

void Speech::stop() {
  if (!device_) return;
  SDL_PauseAudioDevice(device_, 1);
  SDL_ClearQueuedAudio(device_);
}

bool Speech::speaking() const {
  return device_ && SDL_GetQueuedAudioSize(device_) > 0;
}

}  // namespace chz::app
