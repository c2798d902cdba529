// UTF-8 encoding shared by every module (names, fill-in answers, the UI).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chz {

// Appends the UTF-8 bytes of code point `cp` (REQUIRES: cp <= 0x10FFFF).
void append_utf8(std::string& out, char32_t cp);

// The length (1-4) of the well-formed UTF-8 sequence `s` starts with, or 0
// if it starts with a malformed one (a stray continuation byte, an overlong
// form, a surrogate, a code point above U+10FFFF, a cut sequence) or is empty.
std::size_t utf8_sequence_length(std::string_view s);
// True iff all of `s` is well-formed UTF-8 (by utf8_sequence_length).
bool is_valid_utf8(std::string_view s);

}  // namespace chz
