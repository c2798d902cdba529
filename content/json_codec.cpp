#include "content/json_codec.h"

#include <nlohmann/json.hpp>

namespace chz::content {

using nlohmann::json;

std::string bank_to_json(const std::vector<Question>& bank) {
  json arr = json::array();
  for (const auto& q : bank) {
    json j = {{"id", q.id},
              {"type", std::string(question_type_name(q.type))},
              {"chapter", q.chapter},
              {"stem", q.stem},
              {"points", q.points}};
    if (q.type == QuestionType::kSingle || q.type == QuestionType::kMultiple) {
      j["options"] = q.options;
      j["correct"] = q.correct;
    }
    if (q.type == QuestionType::kTrueFalse) j["truth"] = q.truth;
    if (q.type == QuestionType::kFill) j["blanks"] = q.blanks;
    if (!q.explanation.empty()) j["explanation"] = q.explanation;
    if (!q.image.empty()) j["image"] = q.image;
    arr.push_back(std::move(j));
  }
  return arr.dump(1);
}

Result<std::vector<Question>> bank_from_json(std::string_view text) {
  std::vector<Question> bank;
  try {
    json arr = json::parse(text);
    if (!arr.is_array()) return Error(Code::kInvalidArgument, "bank.json is not an array");
    for (const auto& j : arr) {
      Question q;
      q.id = j.at("id").get<std::string>();
      CHZ_ASSIGN_OR_RETURN(q.type, parse_question_type(j.at("type").get<std::string>()));
      q.chapter = j.value("chapter", "");
      q.stem = j.at("stem").get<std::string>();
      q.points = j.value("points", 1.0);
      if (j.contains("options")) q.options = j["options"].get<std::vector<std::string>>();
      if (j.contains("correct")) {
        // Integer indices only: a float such as 1e300 does not fit, and
        // converting it is undefined.
        for (const auto& i : j["correct"])
          if (!i.is_number_integer())
            return Error(Code::kInvalidArgument, "bank.json: an answer index is not an integer");
        q.correct = j["correct"].get<std::vector<int>>();
      }
      q.truth = j.value("truth", false);
      if (j.contains("blanks")) q.blanks = j["blanks"].get<std::vector<std::vector<std::string>>>();
      q.explanation = j.value("explanation", "");
      q.image = j.value("image", "");
      CHZ_TRY(validate_question(q));
      bank.push_back(std::move(q));
    }
  } catch (const json::exception& e) {
    return Error(Code::kInvalidArgument, std::string("bank.json: ") + e.what());
  }
  return bank;
}

}  // namespace chz::content
