// Small text helpers shared by the source reader and the importers.
// Everything is UTF-8 in, UTF-8 out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/utf8.h"  // is_valid_utf8

namespace chz::content {

std::string trim(std::string_view s);  // ASCII whitespace and U+3000 at both ends
// Full-width ASCII forms (Ａ, ，, ０, （ ...) and U+3000 turned into ASCII;
// used on answer letters, points and other machine-read cells.
std::string fold_fullwidth(std::string_view s);
// Bytes in GB18030 (a superset of GBK/GB2312) to UTF-8, via glibc iconv.
// kInvalidArgument at the first byte sequence that is not GB18030.
Result<std::string> gb18030_to_utf8(std::string_view s);
std::string utf8_to_gb18030_or_empty(std::string_view s);  // for tests and fixtures
// Splits on any of the given single- or multi-byte separators.
std::vector<std::string> split_any(std::string_view s, const std::vector<std::string_view>& seps);
// "A" -> 0 ... "F" -> 5 over a folded string; letters may be separated by
// commas, 、, spaces. kInvalidArgument on anything else.
Result<std::vector<int>> parse_answer_letters(std::string_view s);
std::string answer_letters(const std::vector<int>& idx);  // {0,2} -> "AC"
// "对"/"正确"/"√"/"T"/"true"/"是"... -> true; "错"/"错误"/"×"/"F"/"false"/"否" -> false.
Result<bool> parse_truth(std::string_view s);
// Replaces runs of 3+ '_' or full-width blanks "（  ）"/"(  )" with "____".
std::string normalise_blanks(std::string_view stem);
std::size_t count_blanks(std::string_view stem);

}  // namespace chz::content
