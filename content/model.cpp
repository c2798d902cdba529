#include "content/model.h"

namespace chz::content {

std::string_view level_name(Level l) {
  switch (l) {
    case Level::kLevel5: return "五级/初级工";
    case Level::kLevel4: return "四级/中级工";
    case Level::kLevel3: return "三级/高级工";
    case Level::kLevel2: return "二级/技师";
    case Level::kLevel1: return "一级/高级技师";
    case Level::kSpecial: return "专项职业能力";
  }
  return "?";
}

std::string_view question_type_name(QuestionType t) {
  switch (t) {
    case QuestionType::kSingle: return "单选";
    case QuestionType::kMultiple: return "多选";
    case QuestionType::kTrueFalse: return "判断";
    case QuestionType::kFill: return "填空";
  }
  return "?";
}

}  // namespace chz::content
