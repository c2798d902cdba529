// Read-aloud: espeak-ng with the Mandarin voice `cmn-latn-pinyin`
// synthesises the text into a buffer, which plays through SDL audio; stop()
// drops what is queued. Tests run with SDL_AUDIODRIVER=dummy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace chz::app {

class Speech {
 public:
  Speech() = default;
  Speech(const Speech&) = delete;
  Speech& operator=(const Speech&) = delete;
  ~Speech();
  // Synthesises `text` (UTF-8) and starts playing it. kUnavailable when
  // espeak-ng or the audio device cannot start.
  Status speak(std::string_view text);
  void stop();
  // True while audio is still queued.
  bool speaking() const;
  // Samples of the last synthesis (22050 Hz mono), for tests.
  std::size_t last_samples() const { return last_samples_; }

 private:
  Status init();
  bool espeak_ready_ = false;
  int rate_ = 22050;
  std::uint32_t device_ = 0;
  std::size_t last_samples_ = 0;
};

}  // namespace chz::app
