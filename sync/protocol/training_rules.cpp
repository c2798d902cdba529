#include "sync/protocol/training_rules.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "sync/protocol/record_kinds.h"

namespace chz::sync::rules {

bool valid_minutes_per_hour(int m) {
  return m >= kMinMinutesPerHour && m <= kMaxMinutesPerHour;
}

std::int64_t whole_hours(std::int64_t minutes, int per_hour) {
  return per_hour > 0 ? minutes / per_hour : 0;
}

std::optional<int> minutes_per_hour_of(const Record& r) {
  if (r.kind != kinds::kCountySetting || r.meta.origin_device != "county") return std::nullopt;
  auto b = nlohmann::json::parse(r.body, nullptr, false);
  if (!b.is_object() || b.value("key", std::string()) != kinds::kMinutesPerHourKey)
    return std::nullopt;
  auto v = b.find("value");
  if (v == b.end() || !v->is_number_integer()) return std::nullopt;
  std::int64_t m = v->get<std::int64_t>();
  if (m < kMinMinutesPerHour || m > kMaxMinutesPerHour) return std::nullopt;
  return static_cast<int>(m);
}

std::string field_stamp(const Record& r) {
  return r.meta.hlc.text() + "/" + r.meta.origin_device;
}

bool replaces(std::string_view incoming, const std::string* stored) {
  return !stored || *stored < incoming;
}

NameRule name_rule(std::string_view stored_source, std::string_view incoming_source) {
  bool stored_reg = stored_source == "registry", incoming_reg = incoming_source == "registry";
  if (stored_reg && !incoming_reg) return NameRule::kKeepStored;
  if (incoming_reg && !stored_reg) return NameRule::kTakeIncoming;
  return NameRule::kByStamp;
}

std::vector<Event> effective_events(const std::vector<RawEvent>& raw,
                                    const std::vector<Correction>& fixes) {
  std::multimap<std::string, const Correction*> by_target;
  for (const auto& c : fixes) by_target.emplace(c.corrects, &c);
  std::vector<std::pair<std::string, Event>> evs;  // (hlc, event)
  for (const auto& r : raw) {
    // Walk the chain below the event; the newest correction by HLC decides.
    const Correction* best = nullptr;
    std::vector<std::string> todo{r.uuid};
    std::size_t guard = 0;
    while (!todo.empty() && guard++ < fixes.size() + 1) {
      std::string u = std::move(todo.back());
      todo.pop_back();
      auto [a, b] = by_target.equal_range(u);
      for (auto it = a; it != b; ++it) {
        if (!best || best->hlc < it->second->hlc) best = it->second;
        todo.push_back(it->second->uuid);
      }
    }
    Event e{r.uuid, r.in, r.at_ms, false};
    if (best) {
      if (!best->at_ms) continue;  // voided
      e.at_ms = *best->at_ms;
      e.corrected = true;
    }
    evs.emplace_back(r.hlc, std::move(e));
  }
  std::sort(evs.begin(), evs.end(), [](const auto& a, const auto& b) {
    if (a.second.at_ms != b.second.at_ms) return a.second.at_ms < b.second.at_ms;
    return a.first != b.first ? a.first < b.first : a.second.uuid < b.second.uuid;
  });
  std::vector<Event> out;
  out.reserve(evs.size());
  for (auto& [h, e] : evs) out.push_back(std::move(e));
  return out;
}

Result<int> parse_minute(std::string_view s) {
  if (s.size() != 5 || s[2] != ':')
    return Status(Code::kInvalidArgument, "time must look like 09:00");
  auto d = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -100; };
  int h = d(0) * 10 + d(1), m = d(3) * 10 + d(4);
  if (h < 0 || h > 23 || m < 0 || m > 59)
    return Status(Code::kInvalidArgument, "time must look like 09:00");
  return h * 60 + m;
}

Result<Window> session_window(std::string_view date, std::string_view start, std::string_view end) {
  CHZ_ASSIGN_OR_RETURN(CivilDate d, parse_date(date));
  CHZ_ASSIGN_OR_RETURN(int a, parse_minute(start));
  CHZ_ASSIGN_OR_RETURN(int b, parse_minute(end));
  if (b <= a) return Status(Code::kInvalidArgument, "a session ends after it starts");
  std::int64_t midnight = china_midnight_ms(d);
  return Window{midnight + a * 60'000LL, midnight + b * 60'000LL};
}

std::int64_t credited_minutes(const std::vector<Event>& evs, const Window& w,
                              const std::optional<Confirmation>& confirmed) {
  if (!confirmed) return 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  bool is_open = false;
  std::int64_t open_at = 0;
  for (const auto& e : evs) {
    if (e.in && !is_open) {
      is_open = true;
      open_at = e.at_ms;
    } else if (!e.in && is_open) {
      spans.emplace_back(open_at, e.at_ms);
      is_open = false;
    }
  }
  if (is_open && confirmed->credit_to_close) spans.emplace_back(open_at, confirmed->closed_at_ms);
  // Clip to the window, then merge overlaps so nothing counts twice.
  std::vector<std::pair<std::int64_t, std::int64_t>> clipped;
  for (auto [a, b] : spans) {
    a = std::max(a, w.start_ms);
    b = std::min(b, w.end_ms);
    if (b > a) clipped.emplace_back(a, b);
  }
  std::sort(clipped.begin(), clipped.end());
  std::int64_t total = 0, cur_a = 0, cur_b = -1;
  for (auto [a, b] : clipped) {
    if (a > cur_b) {
      if (cur_b > cur_a) total += cur_b - cur_a;
      cur_a = a;
      cur_b = b;
    } else {
      cur_b = std::max(cur_b, b);
    }
  }
  if (cur_b > cur_a) total += cur_b - cur_a;
  return total / 60'000;
}

}  // namespace chz::sync::rules
