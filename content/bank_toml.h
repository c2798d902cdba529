// The question bank as course writers keep it: bank.toml (format in
// content/courses/README.md). Read for building packages, written by the
// importers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "content/model.h"

namespace chz::content {

// Parses bank.toml text. Problems are listed one per line in the message
// ("bank.toml: question q003: ..."); kInvalidArgument if any.
Result<std::vector<Question>> parse_bank_toml(std::string_view text, std::string_view file_name);
// Writes questions in the same format; parse_bank_toml reads it back equal.
std::string write_bank_toml(const std::vector<Question>& bank);
// A TOML basic string literal with quotes, escaping what must be escaped.
std::string toml_quote(std::string_view s);

}  // namespace chz::content
