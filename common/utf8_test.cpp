// The one UTF-8 validator: what counts as well-formed.
#include "common/utf8.h"

#include <doctest/doctest.h>

using namespace chz;

TEST_CASE("utf8: sequence lengths of well-formed characters") {
  CHECK(utf8_sequence_length("a") == 1);
  CHECK(utf8_sequence_length("é") == 2);
  CHECK(utf8_sequence_length("镇") == 3);
  CHECK(utf8_sequence_length("𠮷") == 4);  // CJK Ext B, as in 张𠮷
  CHECK(utf8_sequence_length("") == 0);
}

TEST_CASE("utf8: malformed sequences have length 0") {
  CHECK(utf8_sequence_length("\x80") == 0);              // stray continuation
  CHECK(utf8_sequence_length("\xc0\xaf") == 0);          // overlong '/'
  CHECK(utf8_sequence_length("\xe0\x80\xaf") == 0);      // overlong, 3 bytes
  CHECK(utf8_sequence_length("\xed\xa0\x80") == 0);      // surrogate U+D800
  CHECK(utf8_sequence_length("\xf4\x90\x80\x80") == 0);  // above U+10FFFF
  CHECK(utf8_sequence_length("\xe9\x95") == 0);          // cut
  CHECK(utf8_sequence_length("\xff") == 0);
}

TEST_CASE("utf8: whole strings") {
  CHECK(is_valid_utf8("沁水县 龙港镇 张𠮷"));
  CHECK(is_valid_utf8(""));
  CHECK_FALSE(is_valid_utf8("张\xff"));
  CHECK_FALSE(is_valid_utf8("\xC0\x80"));
}
