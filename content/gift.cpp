// Moodle GIFT (https://docs.moodle.org/en/GIFT_format): categories become
// chapters; single/multiple choice (with % weights), true/false and short
// answer (-> 填空) are read; matching, numerical and essay are refused.
// Aiken is in aiken.cpp.
#include <cstdlib>

#include "content/import.h"
#include "content/import_messages.h"
#include "content/text_util.h"

namespace chz::content {

namespace {

// Escaped specials become control bytes while parsing, so the structure
// can be read with plain finds, then come back as the literal characters.
std::string hide_escapes(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[i + 1];
      const char* code = nullptr;
      switch (n) {
        case '~':
          code = "\x01";
          break;
        case '=':
          code = "\x02";
          break;
        case '#':
          code = "\x03";
          break;
        case '{':
          code = "\x04";
          break;
        case '}':
          code = "\x05";
          break;
        case ':':
          code = "\x06";
          break;
        case '\\':
          code = "\x07";
          break;
        case 'n':
          code = "\n";
          break;
      }
      if (code) {
        out += code;
        ++i;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string unhide(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\x01':
        out += '~';
        break;
      case '\x02':
        out += '=';
        break;
      case '\x03':
        out += '#';
        break;
      case '\x04':
        out += '{';
        break;
      case '\x05':
        out += '}';
        break;
      case '\x06':
        out += ':';
        break;
      case '\x07':
        out += '\\';
        break;
      default:
        out += c;
    }
  }
  return trim(out);
}

struct Choice {
  bool marked_right = false;  // '='
  std::optional<double> weight;
  std::string text;
};

std::vector<Choice> split_choices(std::string_view body) {
  std::vector<Choice> out;
  for (std::size_t i = 0; i < body.size();) {
    if (body[i] != '=' && body[i] != '~') {
      ++i;
      continue;
    }
    Choice c;
    c.marked_right = body[i] == '=';
    std::size_t end = body.find_first_of("=~", i + 1);
    std::string piece(
        body.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1));
    if (piece.size() > 1 && piece[0] == '%') {
      std::size_t close = piece.find('%', 1);
      if (close != std::string::npos) {
        c.weight = std::strtod(piece.substr(1, close - 1).c_str(), nullptr);
        piece.erase(0, close + 1);
      }
    }
    if (auto fb = piece.find('#'); fb != std::string::npos)
      piece.resize(fb);  // per-answer feedback
    c.text = unhide(piece);
    out.push_back(std::move(c));
    i = end == std::string_view::npos ? body.size() : end;
  }
  return out;
}

std::optional<Question> parse_block(std::string block, const std::string& chapter,
                                    std::string* err) {
  Question q;
  q.chapter = chapter;
  block = trim(block);
  if (block.rfind("::", 0) == 0) {
    std::size_t end = block.find("::", 2);
    if (end != std::string::npos) {
      q.id = unhide(block.substr(2, end - 2));
      block = trim(block.substr(end + 2));
    }
  }
  for (std::string_view fmt : {"[html]", "[moodle]", "[plain]", "[markdown]"})
    if (block.rfind(fmt, 0) == 0) block = trim(block.substr(fmt.size()));
  std::size_t open = block.find('{');
  if (open == std::string::npos) return *err = std::string(msg::kGiftNoAnswerBlock), std::nullopt;
  std::size_t close = block.find('}', open);
  if (close == std::string::npos) return *err = std::string(msg::kGiftUnterminated), std::nullopt;
  std::string before = block.substr(0, open), after = trim(block.substr(close + 1));
  std::string body = trim(block.substr(open + 1, close - open - 1));
  // General feedback "####..." is the explanation.
  if (auto gf = body.find("####"); gf != std::string::npos) {
    q.explanation = unhide(body.substr(gf + 4));
    body = trim(body.substr(0, gf));
  }
  auto stem_with_blank = [&]() { return unhide(before) + "____" + unhide(after); };
  q.stem = after.empty() ? unhide(before) : stem_with_blank();
  if (body.empty()) return *err = std::string(msg::kGiftUnsupported) + "essay {}", std::nullopt;
  if (body[0] == '#')
    return *err = std::string(msg::kGiftUnsupported) + "numerical {#…}", std::nullopt;
  if (body.find("->") != std::string::npos)
    return *err = std::string(msg::kGiftUnsupported) + "matching (->)", std::nullopt;
  std::string head = body.substr(0, body.find('#'));
  head = trim(head);
  if (head == "T" || head == "TRUE" || head == "F" || head == "FALSE") {
    q.type = QuestionType::kTrueFalse;
    q.truth = head[0] == 'T';
    if (auto fb = body.find('#'); q.explanation.empty() && fb != std::string::npos)
      q.explanation = unhide(body.substr(fb + 1));
    return q;
  }
  auto choices = split_choices(body);
  bool any_wrong = false;
  for (const auto& c : choices) any_wrong |= !c.marked_right;
  if (!any_wrong) {
    // Only "=" answers: short answer, every full-credit answer accepted.
    q.type = QuestionType::kFill;
    std::vector<std::string> accepted;
    for (const auto& c : choices)
      if (!c.weight || *c.weight >= 100) accepted.push_back(c.text);
    if (accepted.empty()) return *err = std::string(msg::kGiftNoCorrect), std::nullopt;
    if (after.empty()) q.stem = unhide(before) + "____";
    q.blanks = {accepted};
    return q;
  }
  // One "=" answer: single choice (partial-credit "~%50%" options count as
  // wrong: our 单选 has one right answer). Otherwise positive weights mark
  // the right answers of a multiple choice.
  int marked = 0;
  for (const auto& c : choices) marked += c.marked_right;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    const auto& c = choices[i];
    q.options.push_back(c.text);
    bool right = marked == 1 ? c.marked_right : (c.weight ? *c.weight > 0 : c.marked_right);
    if (right) q.correct.push_back(static_cast<int>(i));
  }
  if (q.correct.empty()) return *err = std::string(msg::kGiftNoCorrect), std::nullopt;
  if (q.options.size() < 2) return *err = std::string(msg::kTooFewOptions), std::nullopt;
  q.type = q.correct.size() == 1 ? QuestionType::kSingle : QuestionType::kMultiple;
  return q;
}

}  // namespace

std::vector<ParsedItem> parse_gift(std::string_view input, const ImportOptions&) {
  std::vector<ParsedItem> out;
  std::string chapter;
  std::string block;
  int block_line = 0, line_no = 0;
  auto flush = [&]() {
    if (trim(block).empty()) {
      block.clear();
      return;
    }
    ParsedItem item{block_line, std::nullopt, {}};
    item.question = parse_block(block, chapter, &item.error);
    out.push_back(std::move(item));
    block.clear();
  };
  std::string text = hide_escapes(input);
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string t = trim(line);
    if (t.rfind("//", 0) == 0) continue;  // comment
    if (t.rfind("$CATEGORY:", 0) == 0) {
      flush();
      std::string path = trim(t.substr(10));
      chapter = unhide(path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1));
      continue;
    }
    if (t.empty()) {  // a blank line ends a question, as in Moodle
      flush();
      continue;
    }
    if (trim(block).empty()) block_line = line_no;
    block += line + "\n";
  }
  flush();
  return out;
}

}  // namespace chz::content
