// UTF-8 encoding shared by every module (names, fill-in answers, the UI).
#pragma once

#include <string>

namespace chz {

// Appends the UTF-8 bytes of code point `cp` (REQUIRES: cp <= 0x10FFFF).
void append_utf8(std::string& out, char32_t cp);

}  // namespace chz
