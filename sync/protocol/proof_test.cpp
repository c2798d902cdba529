#include "sync/protocol/proof.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "sync/protocol/api.h"
#include "sync/protocol/box.h"
#include "sync/protocol/bundle.h"
#include "sync/protocol/signing.h"
#include "sync/protocol/wire.h"

using namespace chz;
using namespace chz::sync;

namespace {
std::string batch_of(const std::string& device) {
  Record r;
  r.meta.origin_device = device;
  r.meta.seq = 1;
  r.meta.uuid = record_uuid(device, 1, 1'790'000'000'000);
  r.meta.wall_ms = 1'790'000'000'000;
  r.kind = "person";
  r.body = R"({"entity":"person:p1","name":"张𠮷"})";
  return encode_batch({r});
}
Proof upload_proof(const Ed25519KeyPair& k, const std::string& device, const std::string& body) {
  auto a = sign_request(k.secret, device, "POST", api::kUpload, 1'790'000'000'000, 7, body);
  REQUIRE(a.ok());
  return request_proof(*a, "POST", api::kUpload, body);
}
}  // namespace

TEST_CASE("proof: an upload's signing headers and body verify back to the device") {
  auto k = ed25519_generate();
  std::string body = batch_of("kiosk-a1");
  Proof p = upload_proof(k, "kiosk-a1", body);
  auto got = verified_batch(p, k.pub);
  REQUIRE(got.ok());
  CHECK(*got == body);
  // It survives the frame it travels upward in, byte for byte.
  auto back = decode_proof(encode_proof(p));
  REQUIRE(back.ok());
  CHECK(back->device == p.device);
  CHECK(back->body == p.body);
  CHECK(verified_batch(*back, k.pub).ok());
}

TEST_CASE("proof: a changed body, header, device or key is refused") {
  auto k = ed25519_generate();
  std::string body = batch_of("kiosk-a1");
  Proof p = upload_proof(k, "kiosk-a1", body);

  Proof body_changed = p;
  body_changed.body[body_changed.body.size() / 2] ^= 1;
  CHECK(verified_batch(body_changed, k.pub).status().key() == "sync.bad_signature");

  Proof counter_changed = p;
  counter_changed.auth = R"({"counter":8,"method":"POST","path":"/api/v1/upload",)"
                         R"("signature":")" +
                         nlohmann::json::parse(p.auth)["signature"].get<std::string>() +
                         R"(","time_ms":1790000000000})";
  CHECK(verified_batch(counter_changed, k.pub).status().key() == "sync.bad_signature");

  Proof other_device = p;
  other_device.device = "kiosk-b2";
  CHECK(verified_batch(other_device, k.pub).status().key() == "sync.bad_signature");

  CHECK(verified_batch(p, ed25519_generate().pub).status().key() == "sync.bad_signature");
}

TEST_CASE("proof: a signed request that is not an upload is no proof of records") {
  auto k = ed25519_generate();
  auto a = sign_request(k.secret, "kiosk-a1", "GET", "/api/v1/feed?after=0", 1, 1, "");
  REQUIRE(a.ok());
  Proof p = request_proof(*a, "GET", "/api/v1/feed?after=0", "");
  CHECK(verified_batch(p, k.pub).status().key() == "sync.malformed");
}

TEST_CASE("proof: a USB bundle opens with its own key, and only with it") {
  auto dev = ed25519_generate();
  auto county = x25519_generate();
  std::string wire = batch_of("kiosk-a1");
  auto file = seal_bundle({"device", "kiosk-a1", "county", 1, R"({"first":1,"last":1})"}, wire,
                          dev.secret, county.pub);
  REQUIRE(file.ok());
  Key32 key{};
  REQUIRE(open_bundle(*file, dev.pub, county.secret, nullptr, &key).ok());
  Proof p = bundle_proof("kiosk-a1", *file, key);
  auto got = verified_batch(p, dev.pub);
  REQUIRE(got.ok());
  CHECK(*got == wire);

  // The key of another bundle opens nothing here.
  auto file2 = seal_bundle({"device", "kiosk-a1", "county", 2, "{}"}, wire, dev.secret, county.pub);
  Key32 key2{};
  REQUIRE(open_bundle(*file2, dev.pub, county.secret, nullptr, &key2).ok());
  CHECK(verified_batch(bundle_proof("kiosk-a1", *file, key2), dev.pub).status().key() ==
        "sync.tampered");

  Proof flipped = p;
  flipped.body[flipped.body.size() - 20] ^= 1;
  CHECK(verified_batch(flipped, dev.pub).status().key() == "sync.tampered");

  Proof renamed = p;
  renamed.device = "kiosk-b2";
  CHECK(verified_batch(renamed, dev.pub).status().key() == "sync.malformed");
}

TEST_CASE("proof: frames that are cut short or carry no header are refused") {
  auto k = ed25519_generate();
  std::string f = encode_proof(upload_proof(k, "kiosk-a1", batch_of("kiosk-a1")));
  CHECK(decode_proof(f.substr(0, 12)).status().key() == "sync.malformed");
  CHECK(decode_proof(std::string("CHZP\x01\0\0\0\x02{}", 11)).status().key() == "sync.malformed");
  CHECK(decode_proof("CHZB").status().key() == "sync.malformed");
  CHECK(decode_proof("").status().key() == "sync.malformed");
}
