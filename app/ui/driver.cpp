#include "app/ui/driver.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "app/ui/utf8.h"
#include "app/ui/widgets.h"

namespace chz::app {

namespace {
constexpr int kRetryFrames = 90;  // a widget or text may take a few frames to appear
constexpr int kSettleFrames = 2;

bool needs_arg(const std::string& v) {
  return v == "tap" || v == "press" || v == "type" || v == "pinyin" || v == "expect" ||
         v == "expect_not" || v == "screen" || v == "advance" || v == "wait" || v == "key" ||
         v == "screenshot" || v == "said" || v == "min_target" || v == "mark";
}
bool known(const std::string& v) {
  return needs_arg(v) || v == "close" || v == "glyphs" || v == "quit" || v == "icons";
}

const WidgetInfo* find_widget(const Ui& ui, const std::string& what, bool by_id_only = false) {
  for (const auto& w : ui.widgets())
    if (w.id == what) return &w;
  if (by_id_only) return nullptr;
  for (const auto& w : ui.widgets())
    if (w.label == what) return &w;
  return nullptr;
}

bool text_visible(const Ui& ui, const std::string& what) {
  for (const auto& t : ui.texts())
    if (t.text.find(what) != std::string::npos) return true;
  return false;
}
}  // namespace

Result<std::vector<Step>> parse_script(std::string_view text) {
  std::vector<Step> steps;
  std::istringstream in{std::string(text)};
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    std::size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    line = line.substr(b);
    Step s;
    s.line = n;
    std::size_t sp = line.find(' ');
    s.verb = line.substr(0, sp);
    if (sp != std::string::npos) s.arg = line.substr(line.find_first_not_of(' ', sp));
    if (!known(s.verb))
      return Status(Code::kInvalidArgument,
                    "script line " + std::to_string(n) + ": unknown step '" + s.verb + "'");
    if (needs_arg(s.verb) && s.arg.empty())
      return Status(Code::kInvalidArgument,
                    "script line " + std::to_string(n) + ": '" + s.verb + "' needs an argument");
    steps.push_back(std::move(s));
  }
  return steps;
}

void substitute_vars(std::vector<Step>& steps, std::string_view vars_text) {
  std::istringstream in{std::string(vars_text)};
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = "$" + line.substr(0, eq), val = line.substr(eq + 1);
    for (auto& s : steps)
      for (std::size_t p; (p = s.arg.find(key)) != std::string::npos;)
        s.arg.replace(p, key.size(), val);
  }
}

Driver::Driver(std::vector<Step> steps) : steps_(std::move(steps)) {}

void Driver::before_frame(ImGuiIO& io) {
  if (!inject_) return;
  io.MousePos = ImVec2(x_, y_);
  io.MouseDown[0] = down_;
}

void Driver::next() {
  ++at_;
  phase_ = 0;
  frames_ = 0;
}

void Driver::fail(const Ui& ui, const std::string& why) {
  const Step& s = steps_[at_];
  std::fprintf(stderr, "script line %d: %s %s: FAILED: %s\n", s.line, s.verb.c_str(), s.arg.c_str(),
               why.c_str());
  std::fprintf(stderr, "  widgets on screen:");
  for (const auto& w : ui.widgets())
    std::fprintf(stderr, " [%s|%s]", w.id.c_str(), w.label.c_str());
  std::fprintf(stderr, "\n  texts on screen:");
  for (const auto& t : ui.texts()) std::fprintf(stderr, " \"%s\"", t.text.c_str());
  std::fprintf(stderr, "\n");
  done_ = true;
  exit_code_ = 1;
  inject_ = false;
}

void Driver::after_render(DriverHost& host, const Ui& ui, std::int64_t wall_ms) {
  if (done_) return;
  if (at_ >= steps_.size()) {
    done_ = true;
    return;
  }
  ++frames_;
  const Step& s = steps_[at_];
  auto ok = [&] {
    std::printf("script line %d: %s %s: ok\n", s.line, s.verb.c_str(), s.arg.c_str());
    std::fflush(stdout);
    next();
  };
  // Taps: `tap` is one, `type` queues one per character.
  if (s.verb == "tap" || s.verb == "press" || s.verb == "type" || s.verb == "pinyin") {
    if (phase_ == 0) {
      queue_.clear();
      if (s.verb == "tap" || s.verb == "press")
        queue_.push_back(s.arg);
      else
        for (char32_t c : utf8_decode(s.arg))
          queue_.push_back((s.verb == "pinyin" ? "py.key." : "key.") + utf8_encode(c));
      phase_ = 1;
    }
    if (queue_.empty()) {
      if (phase_ >= 5 + kSettleFrames)
        ok();
      else
        ++phase_;
      return;
    }
    const std::string& target = queue_.front();
    switch (phase_) {
      case 1: {
        const WidgetInfo* w = find_widget(ui, target, s.verb != "tap");
        if (!w) {
          if (frames_ > kRetryFrames) fail(ui, "no widget '" + target + "' on screen");
          return;
        }
        if (!w->enabled) {
          if (frames_ > kRetryFrames) fail(ui, "widget '" + target + "' is disabled");
          return;
        }
        x_ = (w->min.x + w->max.x) / 2;
        y_ = (w->min.y + w->max.y) / 2;
        inject_ = true;
        down_ = false;
        phase_ = 2;
        return;
      }
      case 2:
        down_ = true;
        phase_ = 3;
        return;
      case 3:
        down_ = false;
        phase_ = 4;
        return;
      case 4:
        // Move away so nothing stays hovered, then the next key.
        x_ = -10000;
        y_ = -10000;
        queue_.erase(queue_.begin());
        ++taps_;
        frames_ = 0;
        phase_ = queue_.empty() ? 5 : 1;
        return;
      default:
        return;
    }
  }
  if (frames_ <= kSettleFrames) return;  // let the last action show
  if (s.verb == "expect") {
    if (text_visible(ui, s.arg)) return ok();
    if (frames_ > kRetryFrames) fail(ui, "text not on screen");
  } else if (s.verb == "expect_not") {
    if (text_visible(ui, s.arg)) return fail(ui, "text is on screen");
    ok();
  } else if (s.verb == "screen") {
    std::string cur = host.screen_name();
    if (cur == s.arg) return ok();
    if (frames_ > kRetryFrames) fail(ui, "current screen is '" + cur + "'");
  } else if (s.verb == "advance") {
    host.advance_clock(static_cast<std::int64_t>(std::strtod(s.arg.c_str(), nullptr) * 1000));
    ok();
  } else if (s.verb == "wait") {
    if (phase_ == 0) {
      until_ms_ = wall_ms + std::strtoll(s.arg.c_str(), nullptr, 10);
      phase_ = 1;
    }
    if (wall_ms >= until_ms_) ok();
  } else if (s.verb == "key") {
    host.send_key(s.arg);
    ok();
  } else if (s.verb == "close") {
    host.send_close();
    ok();
  } else if (s.verb == "glyphs" || s.verb == "screenshot") {
    std::string missing = host.missing_glyphs();
    if (!missing.empty()) {
      if (frames_ > kSettleFrames + 3) fail(ui, "no glyph for: " + missing);
      return;  // the atlas grows between frames; give it one
    }
    if (s.verb == "screenshot") {
      Status st = host.screenshot(s.arg);
      if (!st.ok()) return fail(ui, st.message());
    }
    ok();
  } else if (s.verb == "said") {
    // What the kiosk last said aloud (prompt or read-aloud) contains the text.
    std::string said = host.last_said();
    if (said.find(s.arg) != std::string::npos) return ok();
    if (frames_ > kRetryFrames) fail(ui, "last said: \"" + said + "\"");
  } else if (s.verb == "icons") {
    // Every pictogram on screen rendered (not blank) and shows on the
    // frame: its square holds several colours, not only the button's fill.
    int n = 0;
    for (const auto& w : ui.widgets()) {
      if (w.icon.empty()) continue;
      ++n;
      if (!w.icon_drawn) return fail(ui, "pictogram '" + w.icon + "' of " + w.id + " is blank");
      float side = w.icon_max.x - w.icon_min.x;
      int colours = host.colours_in(w.icon_min.x, w.icon_min.y, w.icon_max.x, w.icon_max.y);
      if (colours < 4 || side <= 0)
        return fail(ui, "pictogram '" + w.icon + "' of " + w.id + " is not on the frame (" +
                            std::to_string(colours) + " colours)");
    }
    if (n == 0) return fail(ui, "no pictogram on screen");
    std::printf("pictograms on screen: %d, all drawn\n", n);
    ok();
  } else if (s.verb == "min_target") {
    // The smallest enabled touch target on screen is at least this many px.
    float smallest = 1e9f;
    std::string which;
    for (const auto& w : ui.widgets()) {
      if (!w.enabled) continue;
      float side = std::min(w.max.x - w.min.x, w.max.y - w.min.y);
      if (side < smallest) {
        smallest = side;
        which = w.id;
      }
    }
    std::printf("smallest touch target: %.0f px (%s)\n", smallest, which.c_str());
    if (smallest + 0.5f < std::strtof(s.arg.c_str(), nullptr))
      return fail(ui, "touch target " + which + " is smaller than " + s.arg + " px");
    ok();
  } else if (s.verb == "mark") {
    std::printf("taps to %s: %d\n", s.arg.c_str(), taps_);
    ok();
  } else if (s.verb == "quit") {
    ok();
    done_ = true;
  }
}

}  // namespace chz::app
