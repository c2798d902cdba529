#include "kiosk/grading_rules.h"

#include "common/utf8.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace chz::kiosk::exam {

using content::QuestionType;
using nlohmann::json;

bool Answer::empty() const {
  if (!choices.empty() || truth.has_value()) return false;
  for (const auto& b : blanks)
    if (!normalise_fill(b).empty()) return false;
  return true;
}

std::string answer_json(const Answer& a) {
  if (a.empty()) return "";
  json j = json::object();
  if (!a.choices.empty()) j["c"] = a.choices;
  if (a.truth) j["t"] = *a.truth ? 1 : 0;
  if (!a.blanks.empty()) j["b"] = a.blanks;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Answer> parse_answer_json(std::string_view s) {
  Answer a;
  if (s.empty()) return a;
  try {
    json j = json::parse(s);
    if (j.contains("c")) a.choices = j["c"].get<std::vector<int>>();
    if (j.contains("t")) a.truth = j["t"].get<int>() != 0;
    if (j.contains("b")) a.blanks = j["b"].get<std::vector<std::string>>();
    return a;
  } catch (const std::exception&) {
    return Status(Code::kCorrupt, "stored answer is damaged");
  }
}

namespace {

// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes pass as is.
char32_t next_cp(std::string_view s, std::size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + n > s.size()) n = 1;
  char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return cp;
}

}  // namespace

std::string normalise_fill(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t cp = next_cp(s, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
    if (cp == 0x20 || cp == 0x09 || cp == 0x0A || cp == 0x0D || cp == 0x3000 || cp == 0xA0)
      continue;
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    append_utf8(out, cp);
  }
  return out;
}

std::int64_t grade(const content::Question& q, std::int64_t pts, const Answer& a, bool partial) {
  switch (q.type) {
    case QuestionType::kSingle:
      return a.choices.size() == 1 && q.correct.size() == 1 && a.choices[0] == q.correct[0] ? pts
                                                                                            : 0;
    case QuestionType::kTrueFalse:
      return a.truth.has_value() && *a.truth == q.truth ? pts : 0;
    case QuestionType::kMultiple: {
      std::vector<int> right = q.correct, got = a.choices;
      std::sort(right.begin(), right.end());
      std::sort(got.begin(), got.end());
      got.erase(std::unique(got.begin(), got.end()), got.end());
      if (got.empty() || right.empty()) return 0;
      if (got == right) return pts;
      if (!partial) return 0;
      for (int g : got)
        if (!std::binary_search(right.begin(), right.end(), g)) return 0;
      return pts * static_cast<std::int64_t>(got.size()) / static_cast<std::int64_t>(right.size());
    }
    case QuestionType::kFill: {
      if (q.blanks.empty()) return 0;
      std::int64_t n = static_cast<std::int64_t>(q.blanks.size()), right = 0;
      for (std::size_t b = 0; b < q.blanks.size() && b < a.blanks.size(); ++b) {
        std::string got = normalise_fill(a.blanks[b]);
        if (got.empty()) continue;
        for (const auto& acc : q.blanks[b])
          if (normalise_fill(acc) == got) {
            ++right;
            break;
          }
      }
      return right == n ? pts : pts * right / n;
    }
  }
  return 0;
}

std::int64_t score_x100(std::int64_t earned, std::int64_t total) {
  if (total <= 0) return 0;
  return (earned * 10000 * 2 + total) / (2 * total);
}

std::string format_score(std::int64_t x100) {
  std::string s = fmt::format("{}.{:02}", x100 / 100, x100 % 100);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

Result<std::int64_t> parse_score(std::string_view s) {
  std::int64_t whole = 0, frac = 0;
  int fdigits = 0;
  bool dot = false, any = false;
  for (char c : s) {
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9')
      return Status(Code::kInvalidArgument, "a score is a number from 0 to 100",
                    "exam.score_format");
    any = true;
    if (dot) {
      if (++fdigits > 2)
        return Status(Code::kInvalidArgument, "a score has at most two decimals",
                      "exam.score_format");
      frac = frac * 10 + (c - '0');
    } else {
      whole = whole * 10 + (c - '0');
      if (whole > 100)
        return Status(Code::kOutOfRange, "a score is at most 100", "exam.score_range");
    }
  }
  if (!any)
    return Status(Code::kInvalidArgument, "a score is a number from 0 to 100", "exam.score_format");
  if (fdigits == 1) frac *= 10;
  std::int64_t v = whole * 100 + frac;
  if (v > 10000) return Status(Code::kOutOfRange, "a score is at most 100", "exam.score_range");
  return v;
}

}  // namespace chz::kiosk::exam
