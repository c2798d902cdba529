#include "sync/protocol/person_key.h"

#include <doctest/doctest.h>

using namespace chz;
using namespace chz::sync;

TEST_CASE("person_key: the same number under the same county key gives the same key") {
  Key32 k{};
  k[0] = 7;
  auto a = person_key(k, "14052119800101123x");
  auto b = person_key(k, "14052119800101123X");
  CHECK(a == b);
  CHECK(is_person_key(a));
  CHECK(a == hex(hmac_sha256(k, as_bytes("14052119800101123X"))));
}

TEST_CASE("person_key: another county key gives another key") {
  Key32 k1{}, k2{};
  k2[31] = 1;
  CHECK(person_key(k1, "14052119800101123X") != person_key(k2, "14052119800101123X"));
  CHECK_FALSE(is_person_key("abc"));
  CHECK_FALSE(is_person_key(std::string(64, 'G')));
}
