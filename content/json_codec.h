// Course data as JSON, the form it takes inside a package (manifest.json and
// bank.json). nlohmann::json stays inside content/; callers see only model
// types and strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "content/model.h"

namespace chz::content {

std::string bank_to_json(const std::vector<Question>& bank);
// kInvalidArgument on malformed JSON or fields; every question is validated.
Result<std::vector<Question>> bank_from_json(std::string_view text);

}  // namespace chz::content
