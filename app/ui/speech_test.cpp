// Spoken prompts are really produced: each prompt the kiosk says, taken
// from the code (app/ui/app_prompts.cpp) rather than a hand-typed list,
// has words in both languages, and espeak-ng turns each into audio that is
// not silent and of a plausible length, measured by sox on the WAV file.
#include "app/ui/speech.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "app/ui/strings.h"
#include "common/testing/temp_dir.h"

using namespace chz::app;

namespace {
std::set<std::string> prompt_keys_in_code() {
  const char* src = std::getenv("CHZ_SOURCE_DIR");
  REQUIRE(src);
  std::ifstream f(std::string(src) + "/app/ui/app_prompts.cpp");
  REQUIRE(f);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  std::set<std::string> keys;
  std::regex re("\"(prompt\\.[a-z_0-9]+)\"");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    keys.insert((*it)[1].str());
  return keys;
}

std::string filled(Lang lang, const std::string& key) {
  return trf(lang, key, "张𠮷", "20");  // a name with a rare character, a number
}

double rms(const Pcm& p) {
  double sum = 0;
  for (auto s : p.samples) sum += static_cast<double>(s) * s;
  return p.samples.empty() ? 0 : std::sqrt(sum / static_cast<double>(p.samples.size())) / 32768.0;
}

struct SoxStat {
  double length = -1, rms = -1;
};
// sox's own reading of the file: "Length (seconds):" and "RMS amplitude:".
SoxStat sox_stat(const std::string& wav) {
  SoxStat st;
  std::string cmd = "sox '" + wav + "' -n stat 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return st;
  char line[256];
  while (std::fgets(line, sizeof line, p)) {
    std::string l(line);
    auto num = [&] { return std::strtod(l.substr(l.find(':') + 1).c_str(), nullptr); };
    if (l.rfind("Length (seconds):", 0) == 0) st.length = num();
    if (l.rfind("RMS     amplitude:", 0) == 0) st.rms = num();
  }
  pclose(p);
  return st;
}

bool have_sox() {
  return std::system("command -v sox >/dev/null 2>&1") == 0;
}
}  // namespace

TEST_CASE("speech: the prompts the kiosk says are in the string table in both languages") {
  auto keys = prompt_keys_in_code();
  CHECK(keys.size() >= 12);  // welcome, sign-in, home, check in/out, lessons, exam, time, result
  for (const auto& k : keys) {
    CHECK_MESSAGE(has_string(k), k);
    CHECK_MESSAGE(tr(Lang::kZh, k) != tr(Lang::kEn, k), k);
  }
  CHECK(trf(Lang::kZh, "prompt.question", "3", "20") == "第3题，共20题");
}

TEST_CASE("speech: each prompt becomes non-silent audio of a plausible length, measured by sox") {
  chz::testing::TempDir dir("chz-speech");
  bool sox = have_sox();
  if (!sox) MESSAGE("SKIP the sox half: sox is not installed (packaging/install-deps adds it)");
  for (Lang lang : {Lang::kZh, Lang::kEn}) {
    for (const auto& k : prompt_keys_in_code()) {
      std::string text = filled(lang, k);
      CAPTURE(text);
      auto pcm = synthesize(text, lang);
      REQUIRE_MESSAGE(pcm.ok(), pcm.status().message());
      // One short sentence: between 0.4 s and 15 s of speech, not silence.
      CHECK(pcm->seconds() > 0.4);
      CHECK(pcm->seconds() < 15.0);
      CHECK(rms(*pcm) > 0.01);
      if (!sox) continue;
      std::string wav = (dir.path() / (k + (lang == Lang::kZh ? ".zh" : ".en") + ".wav")).string();
      REQUIRE(write_wav(wav, *pcm).ok());
      SoxStat st = sox_stat(wav);
      CHECK(st.length == doctest::Approx(pcm->seconds()).epsilon(0.01));
      CHECK(st.rms > 0.01);
    }
  }
}

TEST_CASE("speech: a longer sentence takes longer to say, and silence in gives no audio") {
  auto short_one = synthesize("还剩一分钟", Lang::kZh);
  auto long_one = synthesize("您得了八十五分，考试合格！您的培训合格证已经生成。", Lang::kZh);
  REQUIRE(short_one.ok());
  REQUIRE(long_one.ok());
  CHECK(long_one->seconds() > 1.5 * short_one->seconds());
  auto nothing = synthesize("", Lang::kZh);
  CHECK(!nothing.ok());
}

TEST_CASE("speech: the volume setting is kept in range and 0 says nothing aloud but remembers") {
  Speech sp;
  sp.set_volume(150);
  CHECK(sp.volume() == 100);
  sp.set_volume(-5);
  CHECK(sp.volume() == 0);
  CHECK(sp.speak("请输入您的身份证号码").ok());  // no device opened at volume 0
  CHECK(sp.last_said() == "请输入您的身份证号码");
  CHECK(!sp.speaking());
}
