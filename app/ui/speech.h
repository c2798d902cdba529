// Speech: espeak-ng synthesises UTF-8 text (Mandarin voice `cmn-latn-pinyin`
// for the Chinese UI, `en-us` for the English one) into 16-bit mono PCM,
// which plays through SDL audio. synthesize() needs no audio device (tests
// and the prompt check write its PCM to a WAV file); Speech adds the
// device, the kiosk-wide volume and remembers what it last said, so the
// replay button and the scripted driver can use it. Tests run with
// SDL_AUDIODRIVER=dummy.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "app/ui/strings.h"
#include "common/status.h"

namespace chz::app {

struct Pcm {
  std::vector<std::int16_t> samples;  // mono
  int rate = 22050;                   // samples per second
  double seconds() const { return rate > 0 ? static_cast<double>(samples.size()) / rate : 0; }
};

// The voice for `lang` reading `text` (at most 4,000 bytes are read: a
// lesson page, not a book). kInvalidArgument for empty text; kUnavailable
// when espeak-ng or the voice is missing; kInternal when it produced no audio.
Result<Pcm> synthesize(std::string_view text, Lang lang);
// Writes `pcm` as a 16-bit PCM WAV file (for tests and diagnostics).
Status write_wav(const std::filesystem::path& path, const Pcm& pcm);

class Speech {
 public:
  Speech() = default;
  Speech(const Speech&) = delete;
  Speech& operator=(const Speech&) = delete;
  ~Speech();
  // Synthesises `text` and starts playing it, stopping what played before.
  // Remembers it as the last thing said (even with the volume at 0).
  // kUnavailable when espeak-ng or the audio device cannot start.
  Status speak(std::string_view text, Lang lang = Lang::kZh);
  void stop();
  // True while audio is still queued.
  bool speaking() const;
  // 0 (silent) .. 100 (as synthesised).
  void set_volume(int percent);
  int volume() const { return volume_; }
  const std::string& last_said() const { return last_said_; }

 private:
  Status open_device(int rate);
  std::uint32_t device_ = 0;
  int device_rate_ = 0;
  int volume_ = 100;
  std::string last_said_;
};

}  // namespace chz::app
