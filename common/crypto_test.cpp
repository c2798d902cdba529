#include "common/crypto.h"

#include <doctest/doctest.h>

#include "common/uuid.h"

using namespace chz;

TEST_CASE("crypto: SHA-256 and HMAC match RFC test vectors") {
  CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  CHECK(hex(hmac_sha256(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("crypto: hex and base64url round-trip and refuse junk") {
  Bytes b = {0, 1, 2, 250, 255, 128, 7};
  CHECK(unhex(hex(b)).value() == b);
  CHECK(unhex("ABcd").value() == Bytes{0xab, 0xcd});
  CHECK_FALSE(unhex("abc").ok());
  CHECK_FALSE(unhex("zz").ok());
  for (size_t n = 0; n < 10; ++n) {
    Bytes x(n);
    random_bytes(x);
    CHECK(unbase64url(base64url(x)).value() == x);
  }
  CHECK_FALSE(unbase64url("a").ok());
  CHECK_FALSE(unbase64url("ab!d").ok());
}

TEST_CASE("crypto: Ed25519 signs, verifies, and catches every change") {
  auto kp = ed25519_generate();
  std::string msg = "培训合格证 No.140521-0001 张𠮷";
  auto sig = ed25519_sign(kp.secret, as_bytes(msg));
  REQUIRE(sig.ok());
  CHECK(ed25519_verify(kp.pub, as_bytes(msg), *sig).ok());
  std::string altered = msg;
  altered[3] ^= 1;
  CHECK(ed25519_verify(kp.pub, as_bytes(altered), *sig).code() == Code::kTampered);
  auto other = ed25519_generate();
  CHECK(ed25519_verify(other.pub, as_bytes(msg), *sig).code() == Code::kTampered);
  CHECK(ed25519_verify(kp.pub, as_bytes(msg), ByteView(sig->data(), 63)).code() == Code::kTampered);
  CHECK(ed25519_public_from_secret(kp.secret).value() == kp.pub);
  // RFC 8032 test 1: empty message.
  auto sk = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").value();
  Key32 s;
  std::copy(sk.begin(), sk.end(), s.begin());
  CHECK(hex(ed25519_public_from_secret(s).value()) ==
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
}

TEST_CASE("crypto: PBKDF2-SHA256 matches a known vector") {
  // RFC 7914 section 11 (PBKDF2-HMAC-SHA256, c=1, first 32 bytes).
  CHECK(hex(pbkdf2_sha256("passwd", as_bytes("salt"), 1)) ==
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
}

TEST_CASE("uuid: version 7, time-ordered, parseable") {
  auto a = uuid_v7(1790000000000);
  auto b = uuid_v7(1790000000001);
  CHECK((a[6] >> 4) == 7);
  CHECK((a[8] >> 6) == 2);
  CHECK(uuid_text(a) < uuid_text(b));
  CHECK(parse_uuid(uuid_text(a)).value() == a);
  CHECK_FALSE(parse_uuid("not-a-uuid").ok());
}
