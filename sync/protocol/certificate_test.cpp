#include "sync/protocol/certificate.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

namespace chz::sync {
namespace {

struct Fixture {
  Ed25519KeyPair kp = ed25519_generate();
  CertificateData d;
  DeviceKeys keys;
  std::string sig_b64;
  std::string payload;
  Fixture() {
    d.number = "140521101-a1b2c3d4e5f6-00001";
    d.name = "𠮷喆·阿依古丽";
    d.id_masked = "1405**********123X";
    d.occupation = "中蜂养殖";
    d.level = "专项职业能力";
    d.course_id = "zhongfeng-yangzhi";
    d.hours = 40;
    d.theory_score = "86.5";
    d.practical_score = "72";
    d.date = "2026-11-23";
    d.site_id = "140521101";
    d.site_name = "沁水县龙港镇农民夜校";
    d.device_id = "kiosk-a1b2c3d4e5f6";
    d.key_id = key_id(kp.pub);
    keys.by_device[d.device_id].push_back(kp.pub);
    auto sig = sign_certificate(d, kp.secret);
    REQUIRE(sig.ok());
    sig_b64 = base64url(*sig);
    payload = qr_payload(d, *sig);
  }
  std::string doc(const nlohmann::json& cert) const {
    return nlohmann::json{
        {"certificate", cert}, {"signature", sig_b64}, {"qr", payload}, {"status", "待确认"}}
        .dump();
  }
};

}  // namespace

TEST_CASE("certificate: canonical encoding sorts keys and keeps Chinese as UTF-8") {
  Fixture f;
  std::string c = canonical_certificate(f.d);
  CHECK(c.find("\"course\"") < c.find("\"date\""));
  CHECK(c.find("𠮷喆·阿依古丽") != std::string::npos);
  CHECK(c.find("\": ") == std::string::npos);
  auto back = parse_certificate_json(c);
  REQUIRE(back.ok());
  CHECK(*back == f.d);
}

TEST_CASE("certificate: a genuine QR payload and document verify") {
  Fixture f;
  auto r = verify_qr_payload(f.payload, f.keys);
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  CHECK(r->name == "𠮷喆·阿依古丽");
  nlohmann::json cert = nlohmann::json::parse(canonical_certificate(f.d));
  auto r2 = verify_certificate_text(f.doc(cert), f.keys);
  REQUIRE_MESSAGE(r2.ok(), r2.status().to_string());
  CHECK(*r2 == f.d);
  // The key list in its published JSON form round-trips.
  auto k2 = parse_device_keys(device_keys_json(f.keys));
  REQUIRE(k2.ok());
  CHECK(verify_qr_payload(f.payload, *k2).ok());
}

TEST_CASE("certificate: each altered document field is named") {
  Fixture f;
  nlohmann::json orig = nlohmann::json::parse(canonical_certificate(f.d));
  for (const auto& field : certificate_fields()) {
    nlohmann::json cert = orig;
    std::string k(field.key);
    if (cert[k].is_number_integer())
      cert[k] = cert[k].get<std::int64_t>() + 8;
    else
      cert[k] = cert[k].get<std::string>() + "9";
    auto r = verify_certificate_text(f.doc(cert), f.keys);
    REQUIRE(!r.ok());
    CHECK(r.status().key() == "cert.field_altered");
    CHECK(r.status().code() == Code::kTampered);
    CHECK_MESSAGE(r.status().message().find("(" + k + ") altered") != std::string::npos,
                  r.status().message());
  }
}

TEST_CASE("certificate: an altered QR payload fails its signature check") {
  Fixture f;
  CertificateData altered = f.d;
  altered.theory_score = "96.5";
  auto sig = unbase64url(f.payload.substr(f.payload.rfind('.') + 1));
  REQUIRE(sig.ok());
  auto r = verify_qr_payload(qr_payload(altered, *sig), f.keys);
  REQUIRE(!r.ok());
  CHECK(r.status().key() == "cert.signature");
  CHECK(r.status().code() == Code::kTampered);
}

TEST_CASE("certificate: a wrong published key is reported as such") {
  Fixture f;
  DeviceKeys other;
  other.by_device[f.d.device_id].push_back(ed25519_generate().pub);
  auto r = verify_qr_payload(f.payload, other);
  REQUIRE(!r.ok());
  CHECK(r.status().key() == "cert.wrong_key");
  // A forger who signs with their own key but claims the device's key id.
  auto forger = ed25519_generate();
  auto sig = sign_certificate(f.d, forger.secret);
  REQUIRE(sig.ok());
  auto r2 = verify_qr_payload(qr_payload(f.d, *sig), f.keys);
  REQUIRE(!r2.ok());
  CHECK(r2.status().key() == "cert.signature");
}

TEST_CASE("certificate: an unknown device is refused") {
  Fixture f;
  DeviceKeys none;
  none.by_device["kiosk-000000000000"].push_back(f.kp.pub);
  auto r = verify_qr_payload(f.payload, none);
  REQUIRE(!r.ok());
  CHECK(r.status().key() == "cert.unknown_device");
}

TEST_CASE("certificate: a truncated QR payload says it is truncated") {
  Fixture f;
  for (std::size_t cut : {f.payload.size() - 1, f.payload.size() - 40, f.payload.size() / 2,
                          std::size_t(9), std::size_t(3)}) {
    auto r = verify_qr_payload(f.payload.substr(0, cut), f.keys);
    REQUIRE(!r.ok());
    CHECK_MESSAGE(r.status().key() == "cert.truncated", cut, " ", r.status().to_string());
  }
}

TEST_CASE("certificate: damaged payloads and foreign text are refused distinctly") {
  Fixture f;
  CHECK(verify_qr_payload("https://example.com/", f.keys).status().key() == "cert.not_payload");
  std::string p = f.payload;
  p[p.find('.', 6) + 3] = '*';  // not base64url
  CHECK(verify_qr_payload(p, f.keys).status().key() == "cert.format");
  CHECK(verify_qr_payload(f.payload + "AA", f.keys).status().key() == "cert.format");
}

TEST_CASE("certificate: a document whose own signature was replaced fails") {
  Fixture f;
  nlohmann::json cert = nlohmann::json::parse(canonical_certificate(f.d));
  nlohmann::json d = nlohmann::json::parse(f.doc(cert));
  auto forger = ed25519_generate();
  auto sig = sign_certificate(f.d, forger.secret);
  REQUIRE(sig.ok());
  d["signature"] = base64url(*sig);
  auto r = verify_certificate_text(d.dump(), f.keys);
  REQUIRE(!r.ok());
  CHECK(r.status().key() == "cert.doc_signature");
}

TEST_CASE("certificate: the device key list refuses bad keys") {
  CHECK(!parse_device_keys("{\"kiosk-1\": \"abcd\"}").ok());
  CHECK(!parse_device_keys("[1,2]").ok());
  CHECK(!parse_device_keys("{\"devices\": [{\"device_id\": \"k\"}]}").ok());
  auto k = parse_device_keys("{\"kiosk-1\": \"ed25519:" + std::string(64, 'a') + "\"}");
  REQUIRE(k.ok());
  CHECK(k->by_device.at("kiosk-1").size() == 1);
}

}  // namespace chz::sync

namespace chz::sync {
TEST_CASE("certificate: the payload is found in a bare text or a /verify URL, nowhere else") {
  const std::string p = "CHZC1.10.abcde.fghij";
  CHECK(verify_url("https://county.example:8443/", p) == "https://county.example:8443/verify#" + p);
  CHECK(verify_url("", p) == p);
  CHECK(*payload_from_text("  " + p + "\n") == p);
  CHECK(*payload_from_text("https://county.example/verify#" + p) == p);
  CHECK(*payload_from_text("https://county.example/verify?p=CHZC1%2E10.abcde.fghij&x=1") == p);
  CHECK(*payload_from_text("https://county.example/verify?lang=en&p=" + p) == p);
  CHECK(payload_from_text("https://county.example/verify?q=" + p).status().key() ==
        "cert.not_payload");
  CHECK(payload_from_text("ftp://county.example/verify#" + p).status().key() == "cert.not_payload");
  CHECK(payload_from_text("https://x/verify#%ZZ").status().key() == "cert.not_payload");
}
}  // namespace chz::sync
