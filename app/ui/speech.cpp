#include "app/ui/speech.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <fstream>
#include <mutex>

namespace chz::app {

namespace {
int collect(short* wav, int n, espeak_EVENT* ev) {
  if (wav && n > 0 && ev) {
    auto* out = static_cast<std::vector<std::int16_t>*>(ev->user_data);
    out->insert(out->end(), wav, wav + n);
  }
  return 0;
}

// espeak-ng is one global engine: initialised once, used under a lock.
std::mutex g_espeak;
int g_rate = 0;  // 0 = not started, < 0 = failed
Lang g_voice_lang = Lang::kZh;
bool g_voice_set = false;

const char* voice_for(Lang lang) {
  return lang == Lang::kZh ? "cmn-latn-pinyin" : "en-us";
}

void put_le(std::ofstream& f, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) f.put(static_cast<char>((v >> (8 * i)) & 0xFF));
}
}  // namespace

Result<Pcm> synthesize(std::string_view text, Lang lang) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Status(Code::kInvalidArgument, "nothing to say");
  std::lock_guard lock(g_espeak);
  if (g_rate == 0) {
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    g_rate = rate > 0 ? rate : -1;
    if (g_rate > 0) espeak_SetSynthCallback(collect);
  }
  if (g_rate < 0) return Status(Code::kUnavailable, "espeak-ng did not start");
  if (!g_voice_set || g_voice_lang != lang) {
    if (espeak_SetVoiceByName(voice_for(lang)) != EE_OK)
      return Status(Code::kUnavailable, std::string("espeak-ng has no voice ") + voice_for(lang));
    g_voice_lang = lang;
    g_voice_set = true;
  }
  Pcm pcm;
  pcm.rate = g_rate;
  std::string t(text.substr(0, 4000));
  espeak_Synth(t.c_str(), t.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr,
               &pcm.samples);
  espeak_Synchronize();
  if (pcm.samples.empty()) return Status(Code::kInternal, "espeak-ng produced no audio");
  return pcm;
}

Status write_wav(const std::filesystem::path& path, const Pcm& pcm) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Status(Code::kUnavailable, "cannot write " + path.string());
  auto data = static_cast<std::uint32_t>(pcm.samples.size() * 2);
  f.write("RIFF", 4);
  put_le(f, 36 + data, 4);
  f.write("WAVEfmt ", 8);
  put_le(f, 16, 4);
  put_le(f, 1, 2);  // PCM
  put_le(f, 1, 2);  // mono
  put_le(f, static_cast<std::uint32_t>(pcm.rate), 4);
  put_le(f, static_cast<std::uint32_t>(pcm.rate * 2), 4);
  put_le(f, 2, 2);
  put_le(f, 16, 2);
  f.write("data", 4);
  put_le(f, data, 4);
  for (std::int16_t s : pcm.samples) put_le(f, static_cast<std::uint16_t>(s), 2);
  f.flush();
  return f ? OkStatus() : Status(Code::kUnavailable, "short write to " + path.string());
}

Speech::~Speech() {
  if (device_) SDL_CloseAudioDevice(device_);
}

Status Speech::open_device(int rate) {
  if (device_ && device_rate_ == rate) return OkStatus();
  if (device_) SDL_CloseAudioDevice(device_);
  device_ = 0;
  if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
    return Status(Code::kUnavailable, std::string("SDL audio: ") + SDL_GetError());
  SDL_AudioSpec want{}, have{};
  want.freq = rate;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = 2048;
  device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
  if (!device_) return Status(Code::kUnavailable, std::string("audio device: ") + SDL_GetError());
  device_rate_ = rate;
  return OkStatus();
}

Status Speech::speak(std::string_view text, Lang lang) {
  stop();
  last_said_ = std::string(text);
  if (volume_ == 0) return OkStatus();
  CHZ_ASSIGN_OR_RETURN(Pcm pcm, synthesize(text, lang));
  CHZ_TRY(open_device(pcm.rate));
  if (volume_ < 100)
    for (auto& s : pcm.samples) s = static_cast<std::int16_t>(s * volume_ / 100);
  SDL_QueueAudio(device_, pcm.samples.data(),
                 static_cast<Uint32>(pcm.samples.size() * sizeof(std::int16_t)));
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

void Speech::set_volume(int percent) {
  volume_ = std::clamp(percent, 0, 100);
}

}  // namespace chz::app
