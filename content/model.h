// The course data model: what a course package holds once read and
// verified. Packages (content/package.h), importers and the kiosk's exams
// all speak these types. Text is UTF-8 throughout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace chz::content {

// 国家职业技能等级 and 专项职业能力.
enum class Level {
  kLevel5 = 5,   // 五级/初级工
  kLevel4 = 4,   // 四级/中级工
  kLevel3 = 3,   // 三级/高级工
  kLevel2 = 2,   // 二级/技师
  kLevel1 = 1,   // 一级/高级技师
  kSpecial = 0,  // 专项职业能力
};
// "五级/初级工", ..., "专项职业能力".
std::string_view level_name(Level l);
// Accepts "五级", "初级工", "五级/初级工", "5", "专项职业能力", "专项"...
Result<Level> parse_level(std::string_view s);
// 中高级 = 四级 and above; 高技能 = 三级 and above (docs/programme-rules.md).
inline bool is_mid_or_high(Level l) {
  return l != Level::kSpecial && static_cast<int>(l) <= 4;
}
inline bool is_high_skill(Level l) {
  return l != Level::kSpecial && static_cast<int>(l) <= 3;
}

enum class QuestionType {
  kSingle,     // 单选
  kMultiple,   // 多选
  kTrueFalse,  // 判断
  kFill,       // 填空
};
std::string_view question_type_name(QuestionType t);           // "单选"...
Result<QuestionType> parse_question_type(std::string_view s);  // "单选", "single", ...

struct Question {
  std::string id;  // stable within the course across versions, e.g. "q017"
  QuestionType type = QuestionType::kSingle;
  std::string chapter;               // knowledge point / chapter tag, e.g. "蜂群管理"
  std::string stem;                  // 题干; for kFill the blanks are written as "____"
  std::vector<std::string> options;  // kSingle/kMultiple: 2..6 options (A..F)
  std::vector<int> correct;          // kSingle: one index; kMultiple: >= 2 indices
  bool truth = false;                // kTrueFalse
  // kFill: one entry per blank, each the accepted answers for that blank.
  std::vector<std::vector<std::string>> blanks;
  double points = 1;        // default points (a blueprint may override)
  std::string explanation;  // 解析, shown after the exam
  std::string image;        // optional media path inside the package
};

struct Lesson {
  std::string id;  // "01-蜂群的组成"-style slug or "l01"
  std::string title;
  std::string markdown;  // lesson text (CommonMark); images referenced by path
  int minutes = 45;      // suggested reading/teaching time
};

// How many questions of a type from a chapter (empty chapter = any chapter).
struct BlueprintItem {
  QuestionType type = QuestionType::kSingle;
  std::string chapter;
  int count = 0;
  double points_each = 1;
};

struct Blueprint {
  std::vector<BlueprintItem> items;
  int time_limit_minutes = 60;
  double pass_mark = 60;                 // of 100 (scores are scaled to 100)
  bool multiple_partial_credit = false;  // 多选: false = all-or-nothing
  int max_attempts = 3;                  // first attempt + retakes
};

struct Course {
  std::string id;               // stable ASCII id, e.g. "zhongfeng-yangzhi"
  std::string name;             // 课程名称, e.g. "中蜂养殖"
  std::string occupation;       // 职业(工种) or 专项职业能力 name
  std::string occupation_code;  // national occupation code where one exists
  Level level = Level::kLevel5;
  int theory_hours = 0;  // 学时 (1 学时 = 45 min by default)
  int practical_hours = 0;
  double theory_pass = 60;  // per-course thresholds (of 100)
  double practical_pass = 60;
  std::int64_t version = 1;  // package version; installs only go up
  std::string summary;       // one paragraph for the course card
  std::vector<Lesson> lessons;
  std::vector<Question> bank;
  Blueprint blueprint;
};

// Checks a question's internal consistency (options vs answer indices,
// blanks present...). kInvalidArgument with a message naming the question.
Status validate_question(const Question& q);
// Checks a whole course: ids unique, lessons present, every question valid,
// and the bank holds enough questions for every blueprint item
// (a shortfall is an error at publish time, never at the exam).
Status validate_course(const Course& c);
// Sum of count * points_each over the blueprint's items.
double blueprint_points(const Blueprint& b);
// validate_course plus what a published package must also meet: the
// blueprint's points add up to 100 (content/courses/README.md).
Status validate_for_publish(const Course& c);

}  // namespace chz::content
