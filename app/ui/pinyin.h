// Pinyin input for the kiosk's on-screen keyboard: a librime session on
// Debian's prebuilt luna_pinyin_simp schema (simplified output). No ImGui
// here; app/ui/screens/pinyin_keyboard.h draws the keys.
//
// librime is process-wide state: every PinyinInput of a process shares one
// librime instance bound to one (shared_dir, user_dir) pair. Use from ONE
// thread only (the UI thread). Nothing is deployed or compiled: open() uses
// the prebuilt tables in <shared_dir>/build and stages one schema file in
// <user_dir>/build that turns off librime's user dictionary, so typed names
// are never learned or written to disk and candidate order stays the same.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace chz::app {

inline constexpr const char* kRimeSharedDir = "/usr/share/rime-data";

class PinyinInput {
 public:
  // Candidates per page (our own paging over librime's full candidate list).
  static constexpr int kPageSize = 8;
  // Longest input kept (further keys are ignored).
  static constexpr std::size_t kMaxInput = 48;

  // Starts a session. `user_dir` is created if missing (e.g. <kiosk data>/rime).
  // kUnavailable (key "pinyin.unavailable") when `shared_dir` lacks the prebuilt
  // luna_pinyin data or librime refuses; kIoError (same key) when `user_dir`
  // cannot be written; kFailedPrecondition (same key) when another live
  // PinyinInput holds librime with different directories.
  static Result<std::unique_ptr<PinyinInput>> open(
      const std::filesystem::path& user_dir,
      const std::filesystem::path& shared_dir = kRimeSharedDir);
  ~PinyinInput();
  PinyinInput(const PinyinInput&) = delete;
  PinyinInput& operator=(const PinyinInput&) = delete;

  // Types 'a'..'z' (upper case folded; 'v' stands for ü) or '\'' (syllable
  // separator, ignored on empty input). Other characters are ignored.
  void key(char c);
  // Deletes the last typed letter (or reopens the last partial pick first).
  void backspace();
  // Drops the whole composition, picked parts included.
  void clear();

  // True while something is being composed.
  bool composing() const { return !input_.empty(); }
  // What to show above the candidates: picked characters followed by the
  // remaining pinyin, e.g. "张san" (empty when not composing).
  const std::string& preedit() const { return preedit_; }
  // The raw letters typed, e.g. "zhangsan".
  const std::string& input() const { return input_; }

  // The current page of candidates (at most kPageSize), best first.
  const std::vector<std::string>& candidates() const { return page_items_; }
  int page() const { return page_; }
  bool has_prev_page() const { return page_ > 0; }
  bool has_next_page() const { return has_next_; }
  // Move one page; false (and no change) when there is no such page.
  bool next_page();
  bool prev_page();

  // Picks candidate `i` of the current page. Returns the committed text once
  // the whole input is converted (e.g. "张三"); returns "" while pinyin
  // remains (a partial pick: the preedit then starts with the picked text)
  // or when `i` is out of range.
  std::string pick(int i);

  // The common characters the candidate row may show, for seeding the font
  // atlas once at startup: per syllable, the single-character candidates
  // whose dictionary weight is at least 700 (about 3,850 characters in
  // UTF-8; 100-350 ms). Clears the composition. Rarer characters
  // still reach the atlas through the UI's missing-glyph path.
  std::string glyph_hint();

 private:
  explicit PinyinInput(std::uintptr_t session) : session_(session) {}
  void refresh();
  std::uintptr_t session_;
  std::string input_, preedit_;
  std::vector<std::string> page_items_;
  int page_ = 0;
  bool has_next_ = false;
};

}  // namespace chz::app
