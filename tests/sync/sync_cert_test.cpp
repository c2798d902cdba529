// County decisions on kiosk certificates through the real server and store
// (both backends: the _pg variant runs it on PostgreSQL): a fake kiosk
// uploads device-signed `certificate` records; the county lists them
// pending, confirms or rejects them with a county-signed certificate_confirm
// on the site's feed, refuses what it must, and the kiosk receives exactly
// one signed decision per certificate.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <set>

#include "sync/protocol/certificate.h"
#include "sync/protocol/certificate_confirm.h"
#include "sync/server/certificates.h"
#include "sync/server/dashboard.h"
#include "sync/server/verify.h"
#include "tests/sync/harness.h"

using namespace chz;
using namespace chz::synctest;

namespace {

// Uploads a certificate for `name`, signed by `signer` (the kiosk's own key
// unless a forger's); returns its number.
std::string upload_certificate(Harness& h, Kiosk& k, int serial, const std::string& name,
                               const Key32* signer = nullptr, std::string* qr = nullptr,
                               const std::string& date = "2026-11-23", bool upload = true,
                               const std::string& number = {}) {
  sync::CertificateData d;
  // The old form unless a number is given (kiosks enrolled before numbers).
  d.number = number.empty() ? fmt::format("site-a-{}-{:06}", k.id.substr(k.id.size() - 6), serial)
                            : number;
  d.name = name;
  d.id_masked = "1405**********002X";
  d.occupation = "中蜂养殖";
  d.level = "专项职业能力";
  d.course_id = "zhongfeng-yangzhi";
  d.hours = 48;
  d.theory_score = "92";
  d.practical_score = "80";
  d.date = date;
  d.site_id = "site-a";
  d.site_name = "城关镇农民夜校";
  d.device_id = k.id;
  d.key_id = sync::key_id(k.key.pub);
  auto sig = sync::sign_certificate(d, signer ? *signer : k.key.secret);
  REQUIRE(sig.ok());
  nlohmann::json body{{"number", d.number},           {"person", std::string(64, 'a')},
                      {"course", d.course_id},        {"attempt", "attempt-1"},
                      {"practical", "practical-1"},   {"canonical", sync::canonical_certificate(d)},
                      {"signature", base64url(*sig)}, {"device", k.id}};
  if (qr) *qr = sync::qr_payload(d, *sig);
  if (upload) REQUIRE(k.dev->add_record("certificate", body.dump(), h.clock.now_ms()).ok());
  return d.number;
}

void sync_kiosk(Harness& h, Kiosk& k) {
  sync_client::Client c(k.cred, {}, h.clock);
  auto st = c.sync_once(*k.dev, *k.dev);
  REQUIRE_MESSAGE(st.ok(), st.to_string());
}

std::vector<sync::Record> confirmations_applied(Kiosk& k) {
  std::vector<sync::Record> out;
  auto applied = k.dev->applied();
  REQUIRE(applied.ok());
  for (const auto& r : *applied)
    if (r.kind == "certificate_confirm") out.push_back(r);
  return out;
}

server::CertificateDecision confirm(const std::string& number) {
  return {number, "已确认", "专项职业能力证书", "S1405212026110007", ""};
}

}  // namespace

TEST_CASE("cert: uploaded certificates are pending, names masked, device signatures checked") {
  Harness h;
  auto k = h.kiosk("site-a");
  std::string good = upload_certificate(h, k, 1, "张𠮷祥");
  auto forger = ed25519_generate();
  std::string forged = upload_certificate(h, k, 2, "李四", &forger.secret);
  sync_kiosk(h, k);
  auto pending = server::pending_certificates(*h.store);
  REQUIRE_MESSAGE(pending.ok(), pending.status().to_string());
  REQUIRE(pending->size() == 2);
  CHECK((*pending)[0].data.number == good);
  CHECK((*pending)[0].site == "site-a");
  CHECK((*pending)[0].device == k.id);
  CHECK((*pending)[0].device_signature.ok());
  CHECK(server::mask_name((*pending)[0].data.name) == "张*");
  CHECK((*pending)[1].data.number == forged);
  CHECK((*pending)[1].device_signature.key() == "cert.signature");
  CHECK(server::mask_name("𠮷喆") == "𠮷*");
}

TEST_CASE("cert: a confirmation is county-signed, written once to the site's feed, and received") {
  Harness h;
  auto k = h.kiosk("site-a");
  auto other_site = h.kiosk("site-b");
  std::string number = upload_certificate(h, k, 1, "张三");
  sync_kiosk(h, k);
  auto out = server::decide_certificate(*h.store, h.keys, confirm(number), h.clock.now_ms());
  REQUIRE_MESSAGE(out.ok(), out.status().to_string());
  CHECK(out->written);
  CHECK(out->site == "site-a");
  CHECK(server::pending_certificates(*h.store)->empty());
  // Confirming twice writes nothing and says it was confirmed already.
  auto again = server::decide_certificate(*h.store, h.keys, confirm(number), h.clock.now_ms());
  REQUIRE(again.ok());
  CHECK(!again->written);
  CHECK(again->decision.qual_number == "S1405212026110007");
  // Rejecting a confirmed certificate is refused, naming the decision.
  auto rej = server::decide_certificate(*h.store, h.keys, {number, "驳回", "", "", "材料不全"},
                                        h.clock.now_ms());
  CHECK(rej.status().key() == "cert.decided");
  CHECK(rej.status().message().find("已确认") != std::string::npos);

  sync_kiosk(h, k);
  auto got = confirmations_applied(k);
  REQUIRE(got.size() == 1);
  CHECK(got[0].meta.origin_device == "county");
  auto c = sync::verify_confirmation_json(got[0].body, h.keys.content_pub);
  REQUIRE_MESSAGE(c.ok(), c.status().to_string());
  CHECK(c->number == number);
  CHECK(c->status == "已确认");
  CHECK(c->qual_kind == "专项职业能力证书");
  sync_kiosk(h, other_site);
  CHECK(confirmations_applied(other_site).empty());  // another site's feed holds none
}

TEST_CASE("cert: a rejection carries its reason; refusals write nothing") {
  Harness h;
  auto k = h.kiosk("site-a");
  std::string number = upload_certificate(h, k, 1, "王五");
  auto forger = ed25519_generate();
  std::string forged = upload_certificate(h, k, 2, "赵六", &forger.secret);
  sync_kiosk(h, k);
  auto now = h.clock.now_ms();
  auto county_count = [&] { return h.store->records_of("county")->size(); };
  std::size_t before = county_count();

  CHECK(server::decide_certificate(*h.store, h.keys, confirm("site-a-nosuch-000009"), now)
            .status()
            .key() == "cert.unknown");
  auto bad_sig = server::decide_certificate(*h.store, h.keys, confirm(forged), now);
  CHECK(bad_sig.status().key() == "cert.device_signature");
  CHECK(bad_sig.status().message().find("does not verify") != std::string::npos);
  CHECK(server::decide_certificate(*h.store, h.keys, {number, "已确认", "职业资格证书", "X1", ""},
                                   now)
            .status()
            .key() == "confirm.fields");
  CHECK(server::decide_certificate(*h.store, h.keys, {number, "驳回", "", "", ""}, now)
            .status()
            .key() == "confirm.fields");
  CHECK(county_count() == before);

  auto rej = server::decide_certificate(*h.store, h.keys,
                                        {number, "驳回", "", "", "实操考核视频缺失"}, now);
  REQUIRE_MESSAGE(rej.ok(), rej.status().to_string());
  CHECK(county_count() == before + 1);
  auto conf = server::decide_certificate(*h.store, h.keys, confirm(number), now);
  CHECK(conf.status().key() == "cert.decided");
  CHECK(conf.status().message().find("实操考核视频缺失") != std::string::npos);
  CHECK(county_count() == before + 1);

  sync_kiosk(h, k);
  auto got = confirmations_applied(k);
  REQUIRE(got.size() == 1);
  auto c = sync::verify_confirmation_json(got[0].body, h.keys.content_pub);
  REQUIRE(c.ok());
  CHECK(c->status == "驳回");
  CHECK(c->reason == "实操考核视频缺失");
}

TEST_CASE(
    "cert: short and old-format numbers are both confirmable (typed without dashes too) "
    "and verify") {
  Harness h;
  auto k = h.kiosk("site-a");
  std::string qr_new, qr_old;
  std::string n_new = upload_certificate(h, k, 1, "王䶮", nullptr, &qr_new, "2026-11-23", true,
                                         "140521-26-017-0042");
  std::string n_old = upload_certificate(h, k, 2, "张𠮷祥", nullptr, &qr_old);
  sync_kiosk(h, k);
  CHECK(server::pending_certificates(*h.store)->size() == 2);
  // `cert confirm 140521260170042`, as a clerk types it off the paper.
  auto a =
      server::decide_certificate(*h.store, h.keys, confirm("140521260170042"), h.clock.now_ms());
  REQUIRE_MESSAGE(a.ok(), a.status().to_string());
  CHECK(a->written);
  CHECK(a->decision.number == "140521-26-017-0042");
  // With its dashes it is the same certificate, already confirmed.
  auto again =
      server::decide_certificate(*h.store, h.keys, confirm(" " + n_new + " "), h.clock.now_ms());
  REQUIRE(again.ok());
  CHECK(!again->written);
  // A kiosk enrolled before numbers: its old number confirms as it is.
  auto b = server::decide_certificate(*h.store, h.keys, confirm(n_old), h.clock.now_ms());
  REQUIRE_MESSAGE(b.ok(), b.status().to_string());
  CHECK(b->decision.number == n_old);
  CHECK(server::pending_certificates(*h.store)->empty());
  auto v_new = server::verify_certificate(*h.store, "https://county.example/verify#" + qr_new);
  REQUIRE(v_new.ok());
  CHECK(v_new->verdict == "valid");
  CHECK(v_new->data.number == "140521-26-017-0042");
  auto v_old = server::verify_certificate(*h.store, qr_old);
  REQUIRE(v_old.ok());
  CHECK(v_old->verdict == "valid");
  CHECK(v_old->data.number == n_old);
  // The kiosk receives both signed decisions under their stored numbers.
  sync_kiosk(h, k);
  auto got = confirmations_applied(k);
  REQUIRE(got.size() == 2);
  std::set<std::string> numbers;
  for (const auto& r : got)
    numbers.insert(sync::verify_confirmation_json(r.body, h.keys.content_pub)->number);
  CHECK(numbers == std::set<std::string>{n_new, n_old});
}

TEST_CASE("cert: verify says valid, pending, unreported, altered, unknown device, and revoked") {
  Harness h;
  auto k = h.kiosk("site-a");
  std::string qr1, qr2, qr3;
  std::string n1 = upload_certificate(h, k, 1, "赵𠮷", nullptr, &qr1);
  upload_certificate(h, k, 2, "钱二", nullptr, &qr2);
  upload_certificate(h, k, 3, "孙三", nullptr, &qr3, "2026-11-23", false);  // never uploaded
  sync_kiosk(h, k);
  REQUIRE(server::decide_certificate(*h.store, h.keys, confirm(n1), h.clock.now_ms()).ok());
  auto verdict = [&](const std::string& text) {
    auto v = server::verify_certificate(*h.store, text);
    REQUIRE_MESSAGE(v.ok(), v.status().to_string());
    return v->verdict;
  };
  CHECK(verdict(qr1) == "valid");
  auto v1 = server::verify_certificate(*h.store, qr1);
  CHECK(v1->data.name == "赵𠮷");
  CHECK(v1->qual_number == "S1405212026110007");
  CHECK(v1->message.find("S1405212026110007") != std::string::npos);
  CHECK(std::find(v1->county_signed.begin(), v1->county_signed.end(), "qual_number") !=
        v1->county_signed.end());
  CHECK(std::find(v1->device_signed.begin(), v1->device_signed.end(), "name") !=
        v1->device_signed.end());
  // The QR as a URL of the county's /verify page, query or fragment, encoded or not.
  std::string enc;
  for (unsigned char c : qr1) enc += fmt::format("%{:02X}", c);
  CHECK(verdict("https://county.example/verify?p=" + enc) == "valid");
  CHECK(verdict("https://county.example/verify#" + qr1) == "valid");
  CHECK(verdict(qr2) == "pending");
  CHECK(verdict(qr3) == "unreported");
  CHECK(verdict("https://county.example/verify?x=1") == "damaged");
  CHECK(verdict(qr1.substr(0, qr1.size() - 5)) == "damaged");  // a cut scan
  // Altered: the name changed under the device's signature.
  auto data = sync::parse_certificate_json(sync::canonical_certificate(v1->data));
  REQUIRE(data.ok());
  std::string sig_part = qr1.substr(qr1.rfind('.') + 1);
  auto sig = unbase64url(sig_part);
  REQUIRE(sig.ok());
  data->name = "赵二";
  CHECK(verdict(sync::qr_payload(*data, *sig)) == "altered");
  // Unknown device: a key the county never enrolled.
  Kiosk stranger;  // never enrolled, never uploads
  stranger.key = ed25519_generate();
  stranger.id = "kiosk-stranger";
  std::string qr4;
  upload_certificate(h, stranger, 4, "周四", nullptr, &qr4, "2026-11-23", false);
  CHECK(verdict(qr4) == "unknown_device");
  // Revocation: confirmed before it stays valid; issued on or after it is not;
  // issued before it and not confirmed stays pending.
  REQUIRE(h.store->revoke_device(k.id).ok());
  REQUIRE(server::record_revocation(*h.store, k.id, h.clock.now_ms()).ok());
  CHECK(verdict(qr1) == "valid");
  CHECK(verdict(qr2) == "pending");
  // The published keys carry the revoked device, marked with its time,
  // and verify its certificates offline.
  auto doc = server::device_keys_document(*h.store);
  REQUIRE(doc.ok());
  auto published = nlohmann::json::parse(*doc);
  REQUIRE(published["devices"].size() == 1);
  CHECK(published["devices"][0]["device_id"] == k.id);
  CHECK(published["devices"][0]["site_id"] == "site-a");
  CHECK(published["devices"][0]["retired_ms"].get<std::int64_t>() > 0);
  auto offline = sync::parse_device_keys(*doc);
  REQUIRE(offline.ok());
  CHECK(sync::verify_qr_payload(qr1, *offline).ok());
  auto http = httplib::Client(h.url()).Get("/api/v1/device-keys");
  REQUIRE(http);
  CHECK(http->status == 200);
  CHECK(http->body == *doc);
  std::string qr5;
  upload_certificate(h, k, 5, "吴五", nullptr, &qr5, "2099-01-01", false);
  auto v5 = server::verify_certificate(*h.store, qr5);
  CHECK(v5->verdict == "revoked");
  CHECK(v5->device_revoked);
}

TEST_CASE("cert: a confirmed certificate may be annulled (注销), and verify then says annulled") {
  Harness h;
  auto k = h.kiosk("site-a");
  std::string qr;
  std::string n = upload_certificate(h, k, 1, "郑𠮷", nullptr, &qr);
  std::string rejected = upload_certificate(h, k, 2, "王二");
  sync_kiosk(h, k);
  REQUIRE(server::decide_certificate(*h.store, h.keys, confirm(n), h.clock.now_ms()).ok());
  REQUIRE(server::decide_certificate(*h.store, h.keys, {rejected, "驳回", "", "", "材料不全"},
                                     h.clock.now_ms())
              .ok());
  auto annul = server::decide_certificate(*h.store, h.keys, {n, "注销", "", "", "冒名参训"},
                                          h.clock.now_ms() + 1);
  REQUIRE_MESSAGE(annul.ok(), annul.status().to_string());
  CHECK(annul->written);
  auto v = server::verify_certificate(*h.store, qr);
  REQUIRE(v.ok());
  CHECK(v->verdict == "annulled");
  // A rejected one stays rejected; annulling twice writes nothing.
  CHECK(server::decide_certificate(*h.store, h.keys, {rejected, "注销", "", "", "x"},
                                   h.clock.now_ms() + 2)
            .status()
            .key() == "cert.decided");
  auto again = server::decide_certificate(*h.store, h.keys, {n, "注销", "", "", "冒名参训"},
                                          h.clock.now_ms() + 3);
  REQUIRE(again.ok());
  CHECK_FALSE(again->written);
  // The kiosk receives both county decisions, the annulment last.
  sync_kiosk(h, k);
  int decisions = 0;
  for (const auto& r : confirmations_applied(k)) {
    auto c = sync::verify_confirmation_json(r.body, h.keys.content_pub);
    REQUIRE(c.ok());
    if (c->number == n) ++decisions;
  }
  CHECK(decisions == 2);
}

TEST_CASE("cert: the dashboard annuls over HTTP with a reason, and refuses one without") {
  Harness h;
  auto k = h.kiosk("site-a");
  std::string n = upload_certificate(h, k, 1, "冯𠮷");
  sync_kiosk(h, k);
  REQUIRE(server::decide_certificate(*h.store, h.keys, confirm(n), h.clock.now_ms()).ok());
  server::Dashboard d(*h.store, h.keys, h.clock, {});
  REQUIRE(d.init().ok());
  h.svc->set_dashboard(&d);
  REQUIRE(h.store
              ->model([&](server::ModelTx& tx) {
                return server::dash::add_user(tx.sql(), "admin1", server::dash::Role::kAdmin,
                                              server::dash::hash_password("Huangtu-2026!", 1000),
                                              h.clock.now_ms());
              })
              .ok());
  httplib::Client c(h.url());
  auto login = c.Post("/api/v1/dash/login",
                      nlohmann::json{{"name", "admin1"}, {"password", "Huangtu-2026!"}}.dump(),
                      "application/json");
  REQUIRE(login);
  REQUIRE(login->status == 200);
  std::string cookie = login->get_header_value("Set-Cookie");
  httplib::Headers hd{{"Cookie", cookie.substr(0, cookie.find(';'))},
                      {"X-CSRF-Token", nlohmann::json::parse(login->body)["csrf"]}};
  auto none = c.Post("/api/v1/dash/certificates/annul", hd, nlohmann::json{{"number", n}}.dump(),
                     "application/json");
  REQUIRE(none);
  CHECK(none->status == 400);
  auto ok =
      c.Post("/api/v1/dash/certificates/annul", hd,
             nlohmann::json{{"number", n}, {"reason", "冒名参训"}}.dump(), "application/json");
  REQUIRE(ok);
  CHECK_MESSAGE(ok->status == 200, ok->body);
  CHECK(nlohmann::json::parse(ok->body)["status"] == "注销");
  h.svc->set_dashboard(nullptr);
}
