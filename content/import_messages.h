// Every reason an importer gives, in one table (Chinese / English), so the
// wording stays consistent and tests can name each one.
#pragma once

#include <string_view>

namespace chz::content::msg {

inline constexpr std::string_view kMissingColumn = "缺少必需的列 / missing required column: ";
inline constexpr std::string_view kUnknownType = "题型无法识别 / unknown question type: ";
inline constexpr std::string_view kEmptyStem = "题干为空 / the stem is empty";
inline constexpr std::string_view kEmptyAnswer = "答案为空 / the answer is empty";
inline constexpr std::string_view kAnswerNotLetters =
    "答案应为选项字母 A–F / the answer is not option letters A-F: ";
inline constexpr std::string_view kAnswerNoOption =
    "答案指向不存在的选项 / the answer names an option that is not there: ";
inline constexpr std::string_view kSingleOneAnswer =
    "单选题只能有一个答案 / a single-choice question takes exactly one answer";
inline constexpr std::string_view kMultipleTwoAnswers =
    "多选题至少要有两个答案 / a multiple-choice question needs at least two answers";
inline constexpr std::string_view kTooFewOptions = "选项少于两个 / fewer than two options";
inline constexpr std::string_view kOptionGap =
    "选项中间有空缺 / an option is empty before a later one: ";
inline constexpr std::string_view kTruthAnswer =
    "判断题答案应为 对 或 错 / a true/false answer must be 对 or 错: ";
inline constexpr std::string_view kBlankCount =
    "填空题的空（____）数与答案数不符 / the number of blanks (____) differs from the answers";
inline constexpr std::string_view kBadPoints = "分值应为正数 / points must be a positive number: ";
inline constexpr std::string_view kDuplicateId = "编号重复 / the id is used twice: ";
inline constexpr std::string_view kEncoding =
    "文件编码既不是 UTF-8 也不是 GB18030 / the file is neither UTF-8 nor GB18030";
inline constexpr std::string_view kUnterminatedQuote = "引号没有闭合 / a quoted cell is not closed";
inline constexpr std::string_view kNotXlsx = "不是可读的 XLSX 文件 / not a readable XLSX file: ";
inline constexpr std::string_view kNoQuestions = "文件中没有题目 / the file holds no questions";
inline constexpr std::string_view kGiftNoAnswerBlock = "没有答案部分 {…} / no answer block {…}";
inline constexpr std::string_view kGiftUnterminated =
    "答案部分缺少 } / the answer block has no closing }";
inline constexpr std::string_view kGiftUnsupported =
    "不支持的 GIFT 题型 / unsupported GIFT question type: ";
inline constexpr std::string_view kGiftNoCorrect = "没有正确答案 / no answer is marked correct";
inline constexpr std::string_view kAikenNoAnswer = "缺少 ANSWER: 行 / no ANSWER: line";
inline constexpr std::string_view kAikenNoOptions =
    "没有 A. B. 形式的选项 / no options written as A. or A)";
inline constexpr std::string_view kInvalid = "题目不完整 / the question is not valid: ";

}  // namespace chz::content::msg
