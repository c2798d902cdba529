#include "sync/protocol/person_key.h"

#include <doctest/doctest.h>

using namespace chz;
using namespace chz::sync;

// Known-answer vectors, computed once outside this code base with OpenSSL
// (and checked with Python's hmac module) from the derivation person_key.h
// states, HMAC-SHA256(county key, upper-cased ID number), hex:
//   printf '%s' 14052119800101118X |
//     openssl dgst -sha256 -mac HMAC -macopt hexkey:07000000…00   (32 bytes)
// The ID number is fictional but valid (沁水县 140521, check character X).
constexpr const char* kId = "14052119800101118X";
constexpr const char* kKeyFirst07 =
    "0bf6a0fdfc7de2b7c51103dde80fe1b6624f0ce6cd412f4dd8fc96b9fb831ac8";
constexpr const char* kKeyLast01 =  // hexkey:00…0001
    "b765f9216574f71427ed2c7ae69f85dc2014e240e9d0e090156f700f110dbd7a";

TEST_CASE("person_key: matches the HMAC-SHA256 known answer; a lower-case x gives the same key") {
  Key32 k{};
  k[0] = 7;
  CHECK(person_key(k, kId) == kKeyFirst07);
  CHECK(person_key(k, "14052119800101118x") == kKeyFirst07);
  CHECK(is_person_key(kKeyFirst07));
}

TEST_CASE("person_key: another county key gives another key (known answer)") {
  Key32 k{};
  k[31] = 1;
  CHECK(person_key(k, kId) == kKeyLast01);
  CHECK(person_key(k, kId) != kKeyFirst07);
}

TEST_CASE("person_key: is_person_key wants 64 lower-case hex characters") {
  CHECK_FALSE(is_person_key("abc"));
  CHECK_FALSE(is_person_key(std::string(64, 'G')));
  CHECK_FALSE(is_person_key(std::string(64, 'A')));
  CHECK(is_person_key(std::string(64, 'a')));
}
