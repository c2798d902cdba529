#include "sync/protocol/certificate_confirm.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "sync/protocol/certificate.h"

namespace chz::sync {
namespace {

struct Fixture {
  Ed25519KeyPair county = ed25519_generate();
  CertificateConfirmation c{"140521101-a1b2c3d4e5f6-000001",
                            "已确认",
                            "专项职业能力证书",
                            "S1405212026110001",
                            "",
                            1764000000000};
  SignedConfirmation signed_one() const {
    auto sig = sign_confirmation(c, county.secret);
    REQUIRE(sig.ok());
    return {c, base64url(*sig)};
  }
};

}  // namespace

TEST_CASE("confirm: canonical encoding sorts keys and keeps Chinese as UTF-8") {
  Fixture f;
  std::string t = canonical_confirmation(f.c);
  CHECK(
      t ==
      R"({"at_ms":1764000000000,"number":"140521101-a1b2c3d4e5f6-000001","qual_kind":"专项职业能力证书","qual_number":"S1405212026110001","reason":"","status":"已确认","v":1})");
  CHECK(confirmation_signing_bytes(f.c).rfind("chizheng-certificate-confirm-v1\n", 0) == 0);
}

TEST_CASE("confirm: a county-signed confirmation verifies, through its JSON form too") {
  Fixture f;
  auto s = f.signed_one();
  CHECK(verify_confirmation(s, f.county.pub).ok());
  auto back = verify_confirmation_json(signed_confirmation_json(s), f.county.pub);
  REQUIRE_MESSAGE(back.ok(), back.status().to_string());
  CHECK(*back == f.c);
}

TEST_CASE("confirm: each changed field fails the county signature") {
  Fixture f;
  auto s = f.signed_one();
  for (const auto& field : confirmation_fields()) {
    auto j = nlohmann::json::parse(signed_confirmation_json(s));
    std::string k(field.key);
    if (j[k].is_number_integer())
      j[k] = j[k].get<std::int64_t>() + 1;
    else
      j[k] = j[k].get<std::string>() + "9";
    auto r = verify_confirmation_json(j.dump(), f.county.pub);
    REQUIRE_MESSAGE(!r.ok(), k);
    CHECK_MESSAGE(r.status().key() == "confirm.signature", k);
    CHECK(r.status().code() == Code::kTampered);
  }
}

TEST_CASE("confirm: a confirmation signed by another key fails") {
  Fixture f;
  auto s = f.signed_one();
  auto r = verify_confirmation(s, ed25519_generate().pub);
  CHECK(r.key() == "confirm.signature");
}

TEST_CASE("confirm: an unsigned or badly signed confirmation is refused by name") {
  Fixture f;
  SignedConfirmation none{f.c, ""};
  CHECK(verify_confirmation(none, f.county.pub).key() == "confirm.unsigned");
  CHECK(verify_confirmation(none, f.county.pub).code() == Code::kUnauthenticated);
  SignedConfirmation junk{f.c, "not*base64"};
  CHECK(verify_confirmation(junk, f.county.pub).key() == "confirm.format");
  CHECK(parse_signed_confirmation("{\"number\": 1}").status().key() == "confirm.format");
  CHECK(parse_signed_confirmation("[").status().key() == "confirm.format");
}

TEST_CASE("confirm: fields the county may not sign are refused before signing") {
  Fixture f;
  auto with = [&](auto edit) {
    CertificateConfirmation c = f.c;
    edit(c);
    return sign_confirmation(c, f.county.secret).status().key();
  };
  CHECK(with([](auto& c) { c.status = "待确认"; }) == "confirm.fields");
  CHECK(with([](auto& c) { c.qual_kind = "职业资格证书"; }) == "confirm.fields");
  CHECK(with([](auto& c) { c.qual_kind = ""; }) == "confirm.fields");  // number without kind
  CHECK(with([](auto& c) {
          c.status = "驳回";
          c.reason = "";
        }) == "confirm.fields");
  CHECK(with([](auto& c) {
          c.status = "驳回";
          c.qual_kind = c.qual_number = "";
          c.reason = "实操考核视频缺失";
        }) == "");
}

TEST_CASE("confirm: a document's status is its latest valid county-signed confirmation") {
  Fixture f;
  auto first = f.signed_one();
  CertificateConfirmation later = f.c;
  later.status = "注销";
  later.reason = "重复发证";
  later.qual_kind = later.qual_number = "";
  later.at_ms += 1000;
  auto later_sig = sign_confirmation(later, f.county.secret);
  REQUIRE(later_sig.ok());
  SignedConfirmation forged{later, base64url(*later_sig)};
  forged.c.at_ms += 5000;  // altered after signing: must not count
  nlohmann::json doc = {{"certificate", nlohmann::json::object()},
                        {"status", "已确认"},
                        {"confirmations",
                         {nlohmann::json::parse(signed_confirmation_json(first)),
                          nlohmann::json::parse(signed_confirmation_json(forged))}}};
  auto r = check_document_confirmations(doc.dump(), f.c.number, &f.county.pub);
  REQUIRE(r.checks.size() == 2);
  CHECK(r.checks[0].status.ok());
  CHECK(r.checks[1].status.key() == "confirm.signature");
  CHECK(r.status() == "已确认");

  doc["confirmations"][1] =
      nlohmann::json::parse(signed_confirmation_json({later, base64url(*later_sig)}));
  r = check_document_confirmations(doc.dump(), f.c.number, &f.county.pub);
  CHECK(r.status() == "注销");
  CHECK(r.latest->reason == "重复发证");

  // Another certificate's confirmation, or no key at all, confirms nothing.
  CHECK(check_document_confirmations(doc.dump(), "other", &f.county.pub).status() == "待确认");
  auto nokey = check_document_confirmations(doc.dump(), f.c.number, nullptr);
  CHECK(nokey.status() == "待确认");
  CHECK(nokey.checks[0].status.key() == "confirm.no_key");
  CHECK(check_document_confirmations("{}", f.c.number, &f.county.pub).status() == "待确认");
}

}  // namespace chz::sync
