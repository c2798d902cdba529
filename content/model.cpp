#include "content/model.h"

#include <cmath>
#include <map>
#include <set>

#include "content/text_util.h"

namespace chz::content {

std::string_view level_name(Level l) {
  switch (l) {
    case Level::kLevel5:
      return "五级/初级工";
    case Level::kLevel4:
      return "四级/中级工";
    case Level::kLevel3:
      return "三级/高级工";
    case Level::kLevel2:
      return "二级/技师";
    case Level::kLevel1:
      return "一级/高级技师";
    case Level::kSpecial:
      return "专项职业能力";
  }
  return "?";
}

std::string_view question_type_name(QuestionType t) {
  switch (t) {
    case QuestionType::kSingle:
      return "单选";
    case QuestionType::kMultiple:
      return "多选";
    case QuestionType::kTrueFalse:
      return "判断";
    case QuestionType::kFill:
      return "填空";
  }
  return "?";
}

static std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

Result<Level> parse_level(std::string_view in) {
  static const std::map<std::string, Level> kNames = {
      {"五级", Level::kLevel5},        {"初级工", Level::kLevel5},
      {"初级", Level::kLevel5},        {"五级/初级工", Level::kLevel5},
      {"5", Level::kLevel5},           {"四级", Level::kLevel4},
      {"中级工", Level::kLevel4},      {"中级", Level::kLevel4},
      {"四级/中级工", Level::kLevel4}, {"4", Level::kLevel4},
      {"三级", Level::kLevel3},        {"高级工", Level::kLevel3},
      {"高级", Level::kLevel3},        {"三级/高级工", Level::kLevel3},
      {"3", Level::kLevel3},           {"二级", Level::kLevel2},
      {"技师", Level::kLevel2},        {"二级/技师", Level::kLevel2},
      {"2", Level::kLevel2},           {"一级", Level::kLevel1},
      {"高级技师", Level::kLevel1},    {"一级/高级技师", Level::kLevel1},
      {"1", Level::kLevel1},           {"专项职业能力", Level::kSpecial},
      {"专项", Level::kSpecial},       {"0", Level::kSpecial},
      {"special", Level::kSpecial},
  };
  std::string s = lower_ascii(trim(in));
  auto it = kNames.find(s);
  if (it == kNames.end())
    return Error(Code::kInvalidArgument, "unknown level \"" + std::string(in) + "\"",
                 "content.level");
  return it->second;
}

Result<QuestionType> parse_question_type(std::string_view in) {
  static const std::map<std::string, QuestionType> kNames = {
      {"单选", QuestionType::kSingle},         {"单选题", QuestionType::kSingle},
      {"单项选择", QuestionType::kSingle},     {"单项选择题", QuestionType::kSingle},
      {"single", QuestionType::kSingle},       {"多选", QuestionType::kMultiple},
      {"多选题", QuestionType::kMultiple},     {"多项选择", QuestionType::kMultiple},
      {"多项选择题", QuestionType::kMultiple}, {"multiple", QuestionType::kMultiple},
      {"判断", QuestionType::kTrueFalse},      {"判断题", QuestionType::kTrueFalse},
      {"truefalse", QuestionType::kTrueFalse}, {"true_false", QuestionType::kTrueFalse},
      {"填空", QuestionType::kFill},           {"填空题", QuestionType::kFill},
      {"fill", QuestionType::kFill},
  };
  std::string s = lower_ascii(trim(in));
  auto it = kNames.find(s);
  if (it == kNames.end())
    return Error(Code::kInvalidArgument, "unknown question type \"" + std::string(in) + "\"",
                 "content.question_type");
  return it->second;
}

Status validate_question(const Question& q) {
  auto bad = [&](std::string why) {
    return Error(Code::kInvalidArgument, "question " + q.id + ": " + why, "content.question");
  };
  if (q.id.empty())
    return Error(Code::kInvalidArgument, "a question has no id", "content.question");
  if (trim(q.stem).empty()) return bad("empty stem");
  if (!(q.points > 0) || !std::isfinite(q.points)) return bad("points must be positive");
  switch (q.type) {
    case QuestionType::kSingle:
    case QuestionType::kMultiple: {
      if (q.options.size() < 2 || q.options.size() > 6) return bad("needs 2 to 6 options");
      for (const auto& o : q.options)
        if (trim(o).empty()) return bad("an option is empty");
      std::set<int> seen;
      for (int i : q.correct) {
        if (i < 0 || i >= static_cast<int>(q.options.size()))
          return bad("answer names a missing option");
        if (!seen.insert(i).second) return bad("answer repeats an option");
      }
      if (q.type == QuestionType::kSingle && q.correct.size() != 1)
        return bad("a single-choice question needs exactly one answer");
      if (q.type == QuestionType::kMultiple && q.correct.size() < 2)
        return bad("a multiple-choice question needs at least two answers");
      break;
    }
    case QuestionType::kTrueFalse:
      if (!q.options.empty() || !q.correct.empty()) return bad("true/false takes no options");
      break;
    case QuestionType::kFill: {
      if (q.blanks.empty()) return bad("no blanks");
      std::size_t n = count_blanks(q.stem);
      if (n != q.blanks.size())
        return bad("stem has " + std::to_string(n) + " blanks (____) but " +
                   std::to_string(q.blanks.size()) + " answers");
      for (const auto& b : q.blanks) {
        if (b.empty()) return bad("a blank has no accepted answer");
        for (const auto& a : b)
          if (trim(a).empty()) return bad("an accepted answer is empty");
      }
      break;
    }
  }
  return OkStatus();
}

Status validate_course(const Course& c) {
  auto bad = [&](std::string why) {
    return Error(Code::kInvalidArgument, "course " + c.id + ": " + why, "content.course");
  };
  if (c.id.empty()) return Error(Code::kInvalidArgument, "course has no id", "content.course");
  for (char ch : c.id)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '-' || ch == '_'))
      return bad("id must be ASCII letters, digits, - or _");
  if (c.name.empty()) return bad("no name");
  if (c.version < 1) return bad("version must be >= 1");
  if (c.theory_hours < 0 || c.practical_hours < 0) return bad("negative hours");
  if (c.lessons.empty()) return bad("no lessons");
  std::set<std::string> ids;
  for (const auto& l : c.lessons) {
    if (l.id.empty() || !ids.insert(l.id).second)
      return bad("lesson id empty or repeated: " + l.id);
    if (l.title.empty()) return bad("lesson " + l.id + " has no title");
  }
  ids.clear();
  for (const auto& q : c.bank) {
    if (!ids.insert(q.id).second) return bad("question id repeated: " + q.id);
    CHZ_TRY(validate_question(q));
  }
  const Blueprint& b = c.blueprint;
  if (b.time_limit_minutes <= 0) return bad("blueprint time limit must be positive");
  if (b.max_attempts < 1) return bad("blueprint max_attempts must be >= 1");
  if (b.pass_mark < 0 || b.pass_mark > 100) return bad("blueprint pass mark must be 0..100");
  if (b.items.empty()) return bad("blueprint has no items");
  // Chapter-specific items draw first; "any chapter" items draw from what
  // remains of that type, so both must fit together.
  std::map<std::pair<QuestionType, std::string>, int> have, need;
  std::map<QuestionType, int> have_type, need_any;
  for (const auto& q : c.bank) {
    have[{q.type, q.chapter}]++;
    have_type[q.type]++;
  }
  for (const auto& it : b.items) {
    if (it.count <= 0) return bad("blueprint item count must be positive");
    if (!(it.points_each > 0)) return bad("blueprint item points must be positive");
    if (it.chapter.empty())
      need_any[it.type] += it.count;
    else
      need[{it.type, it.chapter}] += it.count;
  }
  std::map<QuestionType, int> used;
  for (const auto& [k, n] : need) {
    if (have[k] < n)
      return bad("blueprint asks " + std::to_string(n) + " " +
                 std::string(question_type_name(k.first)) + " from chapter \"" + k.second +
                 "\" but the bank has " + std::to_string(have[k]));
    used[k.first] += n;
  }
  for (const auto& [t, n] : need_any) {
    int left = have_type[t] - used[t];
    if (left < n)
      return bad("blueprint asks " + std::to_string(n) + " more " +
                 std::string(question_type_name(t)) + " from any chapter but the bank has " +
                 std::to_string(left) + " left");
  }
  return OkStatus();
}

double blueprint_points(const Blueprint& b) {
  double sum = 0;
  for (const auto& it : b.items) sum += it.count * it.points_each;
  return sum;
}

Status validate_for_publish(const Course& c) {
  CHZ_TRY(validate_course(c));
  double p = blueprint_points(c.blueprint);
  if (p < 99.999 || p > 100.001)
    return Error(
        Code::kInvalidArgument,
        "course " + c.id + ": blueprint points add up to " + std::to_string(p) + ", not 100",
        "content.course");
  return OkStatus();
}

}  // namespace chz::content
