// Moodle's Aiken format (https://docs.moodle.org/en/Aiken_format): one
// single-choice question per block, options "A." or "A)", then "ANSWER: X".
// Chinese habits are accepted too: "A．", "A、", full-width letters, "ANSWER：".
#include "content/import.h"
#include "content/import_messages.h"
#include "content/text_util.h"

namespace chz::content {

std::vector<ParsedItem> parse_aiken(std::string_view text, const ImportOptions&) {
  std::vector<ParsedItem> out;
  std::vector<std::pair<int, std::string>> lines;
  int n = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string line(
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    lines.push_back({++n, trim(line)});
  }
  // "A." "A)" (Moodle) and "A．" "A、" (Chinese habits), full-width letters folded.
  auto option_of = [](const std::string& l, std::string* rest) -> int {
    if (l.empty()) return -1;
    std::size_t p = static_cast<unsigned char>(l[0]) == 0xEF ? 3 : 1;
    std::string letter = fold_fullwidth(l.substr(0, p));
    if (letter.size() != 1 || letter[0] < 'A' || letter[0] > 'F') return -1;
    if (l.compare(p, 1, ".") == 0 || l.compare(p, 1, ")") == 0)
      p += 1;
    else if (l.compare(p, 3, "．") == 0 || l.compare(p, 3, "）") == 0 || l.compare(p, 3, "、") == 0)
      p += 3;
    else
      return -1;
    *rest = trim(l.substr(p));
    return letter[0] - 'A';
  };
  std::size_t i = 0;
  while (i < lines.size()) {
    while (i < lines.size() && lines[i].second.empty()) ++i;
    if (i >= lines.size()) break;
    ParsedItem item{lines[i].first, std::nullopt, {}};
    Question q;
    q.type = QuestionType::kSingle;
    std::string rest;
    while (i < lines.size() && !lines[i].second.empty() && option_of(lines[i].second, &rest) < 0 &&
           fold_fullwidth(lines[i].second).rfind("ANSWER:", 0) != 0)
      q.stem += (q.stem.empty() ? "" : "\n") + lines[i++].second;
    std::string answer;
    bool expected_order = true;
    for (; i < lines.size() && !lines[i].second.empty(); ++i) {
      int o = option_of(lines[i].second, &rest);
      std::string f = fold_fullwidth(lines[i].second);
      if (o >= 0) {
        expected_order &= o == static_cast<int>(q.options.size());
        q.options.push_back(rest);
      } else if (f.rfind("ANSWER:", 0) == 0) {
        answer = trim(f.substr(7));
      } else {
        q.stem += "\n" + lines[i].second;
      }
    }
    if (q.stem.empty())
      item.error = std::string(msg::kEmptyStem);
    else if (q.options.empty() || !expected_order)
      item.error = std::string(msg::kAikenNoOptions);
    else if (q.options.size() < 2)
      item.error = std::string(msg::kTooFewOptions);
    else if (answer.empty())
      item.error = std::string(msg::kAikenNoAnswer);
    else {
      auto letters = parse_answer_letters(answer);
      if (!letters.ok())
        item.error = std::string(msg::kAnswerNotLetters) + answer;
      else if (letters->size() != 1)
        item.error = std::string(msg::kSingleOneAnswer);
      else if ((*letters)[0] >= static_cast<int>(q.options.size()))
        item.error = std::string(msg::kAnswerNoOption) + answer;
      else {
        q.correct = *letters;
        item.question = std::move(q);
      }
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace chz::content
