// Spreadsheet rows (CSV or XLSX) to questions.
#include <cmath>
#include <cstdlib>
#include <map>

#include "content/import.h"
#include "content/import_messages.h"
#include "content/text_util.h"

namespace chz::content {

namespace {

enum Col { kId, kType, kStem, kOptA, kAnswer, kExplain, kPoints, kChapter, kImage };

// Header spellings bureaus use, folded (full-width to ASCII, trimmed).
int column_of(const std::string& header) {
  static const std::map<std::string, int> kNames = {
      {"编号", kId},        {"题号", kId},          {"id", kId},
      {"ID", kId},          {"题型", kType},        {"类型", kType},
      {"题目类型", kType},  {"试题类型", kType},    {"题干", kStem},
      {"题目", kStem},      {"试题内容", kStem},    {"题目内容", kStem},
      {"答案", kAnswer},    {"正确答案", kAnswer},  {"标准答案", kAnswer},
      {"解析", kExplain},   {"答案解析", kExplain}, {"试题解析", kExplain},
      {"分值", kPoints},    {"分数", kPoints},      {"章节", kChapter},
      {"知识点", kChapter}, {"分类", kChapter},     {"章节/知识点", kChapter},
      {"图片", kImage},
  };
  auto it = kNames.find(header);
  return it == kNames.end() ? -1 : it->second;
}

// "选项A", "选项 A", "A", "选项Ａ" -> 0..5; -1 otherwise.
int option_column(const std::string& h) {
  std::string s = h;
  if (s.rfind("选项", 0) == 0) s = trim(s.substr(std::string("选项").size()));
  if (s.size() == 1 && s[0] >= 'A' && s[0] <= 'F') return s[0] - 'A';
  if (s.size() == 1 && s[0] >= 'a' && s[0] <= 'f') return s[0] - 'a';
  return -1;
}

std::optional<Question> row_to_question(const std::map<int, std::string>& cell,
                                        const std::vector<std::string>& options, std::string* err) {
  auto get = [&](int c) {
    auto it = cell.find(c);
    return it == cell.end() ? std::string() : it->second;
  };
  Question q;
  q.id = trim(fold_fullwidth(get(kId)));
  auto type = parse_question_type(trim(get(kType)));
  if (!type.ok()) return *err = std::string(msg::kUnknownType) + get(kType), std::nullopt;
  q.type = *type;
  q.stem = trim(get(kStem));
  if (q.stem.empty()) return *err = std::string(msg::kEmptyStem), std::nullopt;
  q.chapter = trim(get(kChapter));
  q.explanation = trim(get(kExplain));
  q.image = trim(get(kImage));
  std::string points = trim(fold_fullwidth(get(kPoints)));
  if (!points.empty()) {
    char* end = nullptr;
    double p = std::strtod(points.c_str(), &end);
    // "inf" and "1e999" parse to infinity: not a number of points (and
    // bank.json could not hold it).
    if (end == points.c_str() || *end != '\0' || !(p > 0) || !std::isfinite(p))
      return *err = std::string(msg::kBadPoints) + get(kPoints), std::nullopt;
    q.points = p;
  }
  std::string answer = trim(get(kAnswer));
  if (answer.empty()) return *err = std::string(msg::kEmptyAnswer), std::nullopt;

  switch (q.type) {
    case QuestionType::kSingle:
    case QuestionType::kMultiple: {
      std::size_t last = 0;
      for (std::size_t i = 0; i < options.size(); ++i)
        if (!options[i].empty()) last = i + 1;
      for (std::size_t i = 0; i < last; ++i) {
        if (options[i].empty())
          return *err = std::string(msg::kOptionGap) + static_cast<char>('A' + i), std::nullopt;
        q.options.push_back(options[i]);
      }
      if (q.options.size() < 2) return *err = std::string(msg::kTooFewOptions), std::nullopt;
      auto letters = parse_answer_letters(answer);
      if (!letters.ok()) return *err = std::string(msg::kAnswerNotLetters) + answer, std::nullopt;
      for (int i : *letters)
        if (i >= static_cast<int>(q.options.size()))
          return *err = std::string(msg::kAnswerNoOption) + static_cast<char>('A' + i),
                 std::nullopt;
      q.correct = *letters;
      if (q.type == QuestionType::kSingle && q.correct.size() != 1)
        return *err = std::string(msg::kSingleOneAnswer), std::nullopt;
      if (q.type == QuestionType::kMultiple && q.correct.size() < 2)
        return *err = std::string(msg::kMultipleTwoAnswers), std::nullopt;
      break;
    }
    case QuestionType::kTrueFalse: {
      auto t = parse_truth(answer);
      if (!t.ok()) {
        // Some banks write 对/错 as options A/B and answer with the letter.
        auto letters = parse_answer_letters(answer);
        if (letters.ok() && letters->size() == 1 &&
            (*letters)[0] < static_cast<int>(options.size()))
          t = parse_truth(options[static_cast<std::size_t>((*letters)[0])]);
      }
      if (!t.ok()) return *err = std::string(msg::kTruthAnswer) + answer, std::nullopt;
      q.truth = *t;
      break;
    }
    case QuestionType::kFill: {
      q.stem = normalise_blanks(q.stem);
      for (const auto& blank : split_any(answer, {";", "；"})) {
        std::vector<std::string> alts;
        for (const auto& a : split_any(blank, {"|", "｜"}))
          if (!trim(a).empty()) alts.push_back(trim(a));
        q.blanks.push_back(std::move(alts));
      }
      if (count_blanks(q.stem) != q.blanks.size())
        return *err = std::string(msg::kBlankCount), std::nullopt;
      break;
    }
  }
  return q;
}

}  // namespace

std::vector<ParsedItem> parse_table(const std::vector<TableRow>& rows, const ImportOptions&) {
  std::vector<ParsedItem> out;
  if (rows.empty()) return out;
  std::map<int, std::size_t> col;  // field -> cell index
  std::map<int, std::size_t> opt;  // option index -> cell index
  // Bureau sheets often carry a title row or two ("XX县题库") above the
  // header: the header is the first of the top rows naming 题干.
  std::size_t header_at = 0;
  for (std::size_t r = 0; r < rows.size() && r < 10; ++r) {
    bool has_stem = false;
    for (const auto& c : rows[r].cells) has_stem |= column_of(trim(fold_fullwidth(c))) == kStem;
    if (has_stem) {
      header_at = r;
      break;
    }
  }
  const TableRow& header = rows[header_at];
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    std::string h = trim(fold_fullwidth(header.cells[i]));
    if (int o = option_column(h); o >= 0)
      opt[o] = i;
    else if (int c = column_of(h); c >= 0 && !col.count(c))
      col[c] = i;
  }
  for (auto [c, name] : {std::pair{kType, "题型"}, {kStem, "题干"}, {kAnswer, "答案"}})
    if (!col.count(c)) {
      out.push_back({header.line, std::nullopt, std::string(msg::kMissingColumn) + name});
      return out;
    }
  for (std::size_t r = header_at + 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    bool blank = true;
    for (const auto& c : row.cells) blank &= trim(c).empty();
    if (blank) continue;
    std::map<int, std::string> cell;
    for (auto [c, i] : col)
      if (i < row.cells.size()) cell[c] = row.cells[i];
    std::vector<std::string> options(6);
    for (auto [o, i] : opt)
      if (i < row.cells.size()) options[static_cast<std::size_t>(o)] = trim(row.cells[i]);
    ParsedItem item{row.line, std::nullopt, {}};
    item.question = row_to_question(cell, options, &item.error);
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<TableRow>> read_csv(std::string_view bytes) {
  std::string text(bytes);
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  if (!is_valid_utf8(text)) {
    auto conv = gb18030_to_utf8(text);
    if (!conv.ok()) return Error(Code::kInvalidArgument, std::string(msg::kEncoding));
    text = *conv;
  }
  // Delimiter: a tab-separated export has tabs and no commas in its header.
  std::string first = text.substr(0, text.find('\n'));
  char delim =
      (first.find('\t') != std::string::npos && first.find(',') == std::string::npos) ? '\t' : ',';
  std::vector<TableRow> rows;
  TableRow row{1, {}};
  std::string cell;
  int line = 1;
  bool quoted = false, row_has_content = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"')
          cell.push_back('"'), ++i;
        else
          quoted = false;
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      row_has_content = true;
      continue;
    }
    if (c == delim) {
      row.cells.push_back(std::move(cell));
      cell.clear();
      row_has_content = true;
      continue;
    }
    if (c == '\r') continue;
    if (c == '\n') {
      row.cells.push_back(std::move(cell));
      cell.clear();
      if (row_has_content || !row.cells.front().empty()) rows.push_back(std::move(row));
      row = TableRow{++line, {}};
      row_has_content = false;
      continue;
    }
    cell.push_back(c);
    row_has_content = true;
  }
  if (quoted)
    return Error(Code::kInvalidArgument,
                 std::string(msg::kUnterminatedQuote) + " (line " + std::to_string(row.line) + ")");
  if (row_has_content || !cell.empty()) {
    row.cells.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace chz::content
