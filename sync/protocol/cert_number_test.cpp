#include "sync/protocol/cert_number.h"

#include <doctest/doctest.h>

#include "sync/protocol/api.h"

using namespace chz;
using namespace chz::sync;

TEST_CASE("short certificate number: county, year, device and serial in four groups") {
  auto n = format_cert_number("140521", 2026, 17, 42);
  REQUIRE(n.ok());
  CHECK(*n == "140521-26-017-0042");
  CHECK(is_short_cert_number(*n));
  CHECK(*format_cert_number("140521", 2027, 1, 1) == "140521-27-001-0001");
  CHECK(*format_cert_number("140521", 2026, 999, 9999) == "140521-26-999-9999");
  CHECK(cert_number_prefix("140521", 2026, 17) == "140521-26-017-");
}

TEST_CASE("short certificate number: out-of-range parts are refused by name") {
  CHECK(format_cert_number("14052", 2026, 1, 1).status().key() == "cert.bad_area_code");
  CHECK(format_cert_number("", 2026, 1, 1).status().key() == "cert.bad_area_code");
  CHECK(format_cert_number("1405a1", 2026, 1, 1).status().key() == "cert.bad_area_code");
  CHECK(format_cert_number("140521", 2026, 0, 1).status().key() == "cert.bad_device_number");
  CHECK(format_cert_number("140521", 2026, 1000, 1).status().key() == "cert.bad_device_number");
  auto full = format_cert_number("140521", 2026, 17, 10000);
  CHECK(full.status().key() == "cert.serial_exhausted");
  CHECK(full.status().message().find("9999") != std::string::npos);
}

TEST_CASE("typed certificate numbers normalise to the stored grouped form; old ones stay") {
  CHECK(normalize_cert_number("140521260170042") == "140521-26-017-0042");
  CHECK(normalize_cert_number("14052126017004 2") == "140521-26-017-0042");
  CHECK(normalize_cert_number(" 140521-26-017-0042 ") == "140521-26-017-0042");
  CHECK(normalize_cert_number("140521 26 017 0042") == "140521-26-017-0042");
  // Old format (<site code>-<device hex>-<serial>): unchanged.
  CHECK(normalize_cert_number("site-a-1f2e3d-000001") == "site-a-1f2e3d-000001");
  CHECK(normalize_cert_number(" S1a2b3c4d-00ab-000012\n") == "S1a2b3c4d-00ab-000012");
  // Not fifteen digits: left as typed (and then found or not).
  CHECK(normalize_cert_number("14052126017004") == "14052126017004");
  CHECK_FALSE(is_short_cert_number("site-a-1f2e3d-000001"));
  CHECK_FALSE(is_short_cert_number("140521260170042"));
}

namespace {
api::EnrollResponse sample() {
  api::EnrollResponse r;
  r.site_id = "site-a";
  r.site_name = "城关镇农民夜校";
  r.content_pub = std::string(64, 'a');
  r.person_key_sealed = "00";
  r.bundle_pub = std::string(64, 'b');
  r.server_time_ms = 1'790'000'000'000;
  r.mac = "m";
  return r;
}
}  // namespace

TEST_CASE("enroll response carries the area code and device number and reads them back") {
  auto r = sample();
  r.area_code = "140521";
  r.device_number = 17;
  auto back = api::parse_enroll_response(api::to_json(r));
  REQUIRE(back.ok());
  CHECK(back->area_code == "140521");
  CHECK(back->device_number == 17);
  CHECK(api::enroll_response_mac_input(*back) == api::enroll_response_mac_input(r));
  CHECK(api::enroll_response_mac_input(r).find("\"device_number\":17") != std::string::npos);
}

TEST_CASE("enroll response from an older server (no area code, no device number) still parses") {
  auto r = sample();
  std::string old = api::to_json(r);
  CHECK(old.find("area_code") == std::string::npos);
  CHECK(old.find("device_number") == std::string::npos);
  auto back = api::parse_enroll_response(old);
  REQUIRE(back.ok());
  CHECK(back->area_code.empty());
  CHECK(back->device_number == 0);
  // The MAC input is what an older server MACed: the new fields absent.
  CHECK(api::enroll_response_mac_input(*back).find("area_code") == std::string::npos);
}

TEST_CASE("enroll response with a malformed device number or area code is refused") {
  auto r = sample();
  std::string body = api::to_json(r);
  auto with = [&](const std::string& field) {
    std::string b = body;
    b.insert(1, field + ",");
    return api::parse_enroll_response(b);
  };
  CHECK(with("\"device_number\":1000").status().key() == "sync.malformed");
  CHECK(with("\"device_number\":0").status().key() == "sync.malformed");
  CHECK(with("\"device_number\":\"17\"").status().key() == "sync.malformed");
  CHECK(with("\"area_code\":\"14052\"").status().key() == "sync.malformed");
  CHECK(with("\"device_number\":17").ok());
}
