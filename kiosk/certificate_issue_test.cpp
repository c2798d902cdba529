#include "kiosk/certificate_issue.h"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/testing/temp_dir.h"
#include "kiosk/certificate_render.h"
#include "kiosk/exam_practical.h"
#include "kiosk/exam_test_store.h"
#include "sync/protocol/cert_number.h"

namespace chz::kiosk::exam {

using testing::ExamFixture;

namespace {

Status practical(ExamFixture& f, const std::string& person, std::int64_t score) {
  PracticalEntry e;
  e.person = person;
  e.course_id = f.course.id;
  e.class_id = testing::kClass;
  e.score_x100 = score;
  e.assessor_id = testing::kAssessor;
  e.assessor_pin = testing::kPin;
  return enter_practical_score(f.store(), f.clock(), e).status();
}

// Enrolled by a county server that gave an area code and device number 017.
void enroll_site(ExamFixture& f) {
  REQUIRE(f.store().set_setting("enroll.site_id", "140521101").ok());
  REQUIRE(f.store().set_setting("enroll.site_name", "沁水县龙港镇农民夜校").ok());
  REQUIRE(f.store().set_setting("county.area_code", "140521").ok());
  REQUIRE(f.store().set_setting("enroll.device_number", "17").ok());
}
// Enrolled by a county server before numbers: no area code, no device number.
void enroll_site_before_numbers(ExamFixture& f) {
  REQUIRE(f.store().set_setting("enroll.site_id", "140521101").ok());
  REQUIRE(f.store().set_setting("enroll.site_name", "沁水县龙港镇农民夜校").ok());
}

// Takes the theory exam and enters a passing practical score.
void pass(ExamFixture& f, const std::string& p) {
  REQUIRE(testing::take_exam(f, p).passed);
  REQUIRE(practical(f, p, 8000).ok());
}

sync::DeviceKeys keys_of(Store& s) {
  sync::DeviceKeys k;
  auto id = s.identity();
  REQUIRE(id.ok());
  k.by_device[id->device_id].push_back(id->public_key);
  return k;
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

}  // namespace

TEST_CASE("certificate: a pass issues a signed certificate that verifies offline") {
  ExamFixture f;
  enroll_site(f);
  auto p = f.trainee(1, "张𠮷祥");
  auto r = testing::take_exam(f, p);
  REQUIRE(r.passed);
  REQUIRE(practical(f, p, 7200).ok());
  auto c = issue_certificate(f.store(), f.clock(), f.course, p);
  REQUIRE_MESSAGE(c.ok(), c.status().to_string());
  CHECK(c->data.name == "张𠮷祥");
  CHECK(c->data.id_masked == "1405**********001X");  // of id_number_of(1), 14052119850312001X
  CHECK(c->data.theory_score == "100");
  CHECK(c->data.practical_score == "72");
  CHECK(c->data.level == "专项职业能力");
  CHECK(c->data.hours == 48);
  CHECK(c->data.site_name == "沁水县龙港镇农民夜校");
  CHECK(c->status == "待确认");
  // Area 140521, the two-digit year of the issue date, device 017, the first serial.
  CHECK(c->data.number == "140521-" + c->data.date.substr(2, 2) + "-017-0001");
  auto keys = keys_of(f.store());
  auto v = sync::verify_qr_payload(c->qr, keys);
  REQUIRE_MESSAGE(v.ok(), v.status().to_string());
  CHECK(*v == c->data);
  // Not enrolled with a server: the QR holds the bare payload; enrolled:
  // the county's /verify URL carrying it, which verifies the same.
  CHECK(c->qr_text == c->qr);
  REQUIRE(f.store().set_setting("server.url", "https://county.example:8443").ok());
  auto again_url = get_certificate(f.store(), c->data.number);
  REQUIRE(again_url.ok());
  CHECK(again_url->qr_text == "https://county.example:8443/verify#" + c->qr);
  CHECK(sync::verify_certificate_text(again_url->qr_text, keys).ok());
  auto v2 = sync::verify_certificate_text(c->document_json(), keys);
  REQUIRE_MESSAGE(v2.ok(), v2.status().to_string());
  // Issuing again returns the same certificate; it is a record and audited.
  auto again = issue_certificate(f.store(), f.clock(), f.course, p);
  REQUIRE(again.ok());
  CHECK(again->data.number == c->data.number);
  CHECK(*f.ts.db().query_int("SELECT count(*) FROM outbox WHERE kind = 'certificate'") == 1);
  CHECK(*f.ts.db().query_int("SELECT count(*) FROM audit WHERE action = 'cert.issue'") == 1);
}

TEST_CASE("certificate: a kiosk enrolled before numbers keeps <site>-<device>-<seq> numbers") {
  ExamFixture f;
  enroll_site_before_numbers(f);
  auto p1 = f.trainee(1, "张三");
  auto p2 = f.trainee(2, "热依拉·吐尔逊");
  testing::take_exam(f, p1);
  testing::take_exam(f, p2);
  REQUIRE(practical(f, p1, 8000).ok());
  REQUIRE(practical(f, p2, 9000).ok());
  auto c1 = issue_certificate(f.store(), f.clock(), f.course, p1);
  auto c2 = issue_certificate(f.store(), f.clock(), f.course, p2);
  REQUIRE(c1.ok());
  REQUIRE(c2.ok());
  CHECK(c1->data.number.rfind("140521101-", 0) == 0);
  CHECK(c1->data.number.substr(c1->data.number.size() - 6) == "000001");
  CHECK(c2->data.number.substr(c2->data.number.size() - 6) == "000002");
  CHECK_FALSE(sync::is_short_cert_number(c1->data.number));
  // Found again as it was printed, and it verifies.
  auto again = get_certificate(f.store(), " " + c2->data.number + " ");
  REQUIRE(again.ok());
  CHECK(sync::verify_qr_payload(again->qr, keys_of(f.store())).ok());
}

TEST_CASE("certificate: short numbers count per device, and are found typed without dashes") {
  ExamFixture f;
  enroll_site(f);
  auto p1 = f.trainee(1, "张三");
  auto p2 = f.trainee(2, "王䶮");
  pass(f, p1);
  pass(f, p2);
  auto c1 = issue_certificate(f.store(), f.clock(), f.course, p1);
  auto c2 = issue_certificate(f.store(), f.clock(), f.course, p2);
  REQUIRE(c1.ok());
  REQUIRE(c2.ok());
  std::string yy = c1->data.date.substr(2, 2);
  CHECK(c1->data.number == "140521-" + yy + "-017-0001");
  CHECK(c2->data.number == "140521-" + yy + "-017-0002");
  CHECK(sync::is_short_cert_number(c2->data.number));
  auto typed = get_certificate(f.store(), "140521" + yy + "0170002");
  REQUIRE(typed.ok());
  CHECK(typed->data.number == c2->data.number);
  CHECK(typed->data.name == "王䶮");
  CHECK(get_certificate(f.store(), "140521" + yy + "017000 2")->data.number == c2->data.number);
  CHECK(get_certificate(f.store(), "140521" + yy + "0170003").status().key() == "cert.unknown");
}

TEST_CASE("certificate: the serial starts again at 0001 at the China-time new year") {
  ExamFixture f;
  enroll_site(f);
  auto p1 = f.trainee(1, "张三");
  auto p2 = f.trainee(2, "张𠮷祥");
  auto p3 = f.trainee(3, "热依拉·吐尔逊");
  pass(f, p1);
  pass(f, p2);
  pass(f, p3);
  std::int64_t new_year = china_midnight_ms({2027, 1, 1});  // 2026-12-31 16:00 UTC
  f.clock().set(new_year - 60 * 60'000);                    // 2026-12-31 23:00 +08:00
  auto c1 = issue_certificate(f.store(), f.clock(), f.course, p1);
  f.clock().set(new_year - 30 * 60'000);  // 23:30 +08:00, still 2026 (2027 in no UTC sense yet)
  auto c2 = issue_certificate(f.store(), f.clock(), f.course, p2);
  f.clock().set(new_year + 10 * 60'000);  // 2027-01-01 00:10 +08:00 (16:10 UTC on 12-31)
  auto c3 = issue_certificate(f.store(), f.clock(), f.course, p3);
  REQUIRE_MESSAGE(c1.ok(), c1.status().to_string());
  REQUIRE_MESSAGE(c2.ok(), c2.status().to_string());
  REQUIRE_MESSAGE(c3.ok(), c3.status().to_string());
  CHECK(c1->data.number == "140521-26-017-0001");
  CHECK(c2->data.number == "140521-26-017-0002");
  CHECK(c2->data.date == "2026-12-31");
  CHECK(c3->data.number == "140521-27-017-0001");
  CHECK(c3->data.date == "2027-01-01");
  // The device sequence behind the rows keeps counting across the year.
  CHECK(*f.ts.db().query_int("SELECT max(device_seq) FROM certificates") == 3);
}

TEST_CASE("certificate: the 10,000th of a year is refused clearly and nothing is stored") {
  ExamFixture f;
  enroll_site(f);
  auto id = f.store().identity();
  REQUIRE(id.ok());
  // This kiosk's 9,999th certificate of this year (only its number matters here).
  std::string last =
      fmt::format("140521-{:02}-017-9999", china_date(f.clock().now_ms()).year % 100);
  REQUIRE(f.ts.db()
              .run("INSERT INTO certificates(number, device_seq, device, person, course_id, "
                   "attempt_id, practical, issued_ms, canonical, signature) "
                   "VALUES (?, 9999, ?, 'p', 'c', 'a', 'x', 0, '{}', zeroblob(64))",
                   last, id->device_id)
              .ok());
  auto p = f.trainee(1, "张三");
  pass(f, p);
  auto c = issue_certificate(f.store(), f.clock(), f.course, p);
  CHECK(c.status().key() == "cert.serial_exhausted");
  CHECK(c.status().message().find("9999") != std::string::npos);
  CHECK(*f.ts.db().query_int("SELECT count(*) FROM certificates") == 1);
  CHECK(*f.ts.db().query_int("SELECT count(*) FROM outbox WHERE kind = 'certificate'") == 0);
}

TEST_CASE("certificate: refused without a theory pass, a practical score or a practical pass") {
  ExamFixture f;
  enroll_site(f);
  auto p = f.trainee(1, "张三");
  CHECK(issue_certificate(f.store(), f.clock(), f.course, p).status().key() ==
        "cert.theory_not_passed");
  auto failed = testing::take_exam(f, p, /*right=*/false);
  CHECK(!failed.passed);
  CHECK(issue_certificate(f.store(), f.clock(), f.course, p).status().key() ==
        "cert.theory_not_passed");
  testing::take_exam(f, p, true, 9);
  CHECK(issue_certificate(f.store(), f.clock(), f.course, p).status().key() ==
        "cert.practical_missing");
  REQUIRE(practical(f, p, 5950).ok());
  CHECK(issue_certificate(f.store(), f.clock(), f.course, p).status().key() ==
        "cert.practical_not_passed");
  CHECK(*f.ts.db().query_int("SELECT count(*) FROM certificates") == 0);
}

TEST_CASE("certificate: a kiosk without a site issues none") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  testing::take_exam(f, p);
  REQUIRE(practical(f, p, 8000).ok());
  CHECK(issue_certificate(f.store(), f.clock(), f.course, p).status().key() ==
        "device.not_enrolled");
}

namespace {

// A kiosk with an issued certificate and the county key it trusts.
struct Confirmable {
  ExamFixture f;
  Ed25519KeyPair county = ed25519_generate();
  Certificate c;
  Confirmable() {
    enroll_site(f);
    REQUIRE(f.store().set_setting("county.content_pub", hex(county.pub)).ok());
    auto p = f.trainee(1, "张三");
    testing::take_exam(f, p);
    REQUIRE(practical(f, p, 8000).ok());
    auto issued = issue_certificate(f.store(), f.clock(), f.course, p);
    REQUIRE(issued.ok());
    c = *issued;
  }
  sync::Record record(const sync::CertificateConfirmation& d, const Key32& secret,
                      const std::string& uuid) {
    auto sig = sync::sign_confirmation(d, secret);
    REQUIRE(sig.ok());
    sync::Record rec;
    rec.meta.uuid = uuid;
    rec.meta.origin_device = "county";
    rec.kind = std::string(sync::kinds::kCertificateConfirm);
    rec.body = sync::signed_confirmation_json({d, base64url(*sig)});
    return rec;
  }
  Status apply(const sync::Record& rec) {
    return f.ts.db().transaction([&] { return apply_exam_record(f.ts.db(), rec); });
  }
  sync::CertificateConfirmation confirmed() const {
    return {c.data.number, "已确认", "专项职业能力证书", "S140521202611000123", "", 1};
  }
};

}  // namespace

TEST_CASE(
    "certificate: the county's signed confirmation sets 已确认 and attaches the qualification "
    "number") {
  Confirmable k;
  REQUIRE(k.apply(k.record(k.confirmed(), k.county.secret, "0190aaaa-0000-7000-8000-000000000001"))
              .ok());
  auto after = get_certificate(k.f.store(), k.c.data.number);
  REQUIRE(after.ok());
  CHECK(after->status == "已确认");
  CHECK(after->qual_number == "S140521202611000123");
  REQUIRE(after->confirmations.size() == 1);
  CHECK(after->confirmations[0].c == k.confirmed());
  // The document carries the signed confirmation, which verifies there.
  auto doc =
      sync::check_document_confirmations(after->document_json(), k.c.data.number, &k.county.pub);
  REQUIRE(doc.checks.size() == 1);
  CHECK(doc.checks[0].status.ok());
  CHECK(doc.status() == "已确认");
  // Confirmation changes no signed field: it still verifies.
  CHECK(sync::verify_qr_payload(after->qr, keys_of(k.f.store())).ok());
}

TEST_CASE("certificate: a signed rejection sets 驳回 with its reason") {
  Confirmable k;
  sync::CertificateConfirmation d{k.c.data.number, "驳回", "", "", "实操考核记录不全", 7};
  REQUIRE(k.apply(k.record(d, k.county.secret, "0190aaaa-0000-7000-8000-000000000004")).ok());
  auto after = get_certificate(k.f.store(), k.c.data.number);
  REQUIRE(after.ok());
  CHECK(after->status == "驳回");
  CHECK(after->reason == "实操考核记录不全");
  CHECK(after->document_json().find("实操考核记录不全") != std::string::npos);
}

TEST_CASE("certificate: an unsigned, forged or wrongly keyed confirmation changes nothing") {
  Confirmable k;
  auto good = k.record(k.confirmed(), k.county.secret, "0190aaaa-0000-7000-8000-000000000005");
  sync::Record unsigned_rec = good;
  auto j = nlohmann::json::parse(good.body);
  j.erase("signature");
  unsigned_rec.body = j.dump();
  CHECK(k.apply(unsigned_rec).key() == "confirm.unsigned");
  sync::Record edited = good;
  j = nlohmann::json::parse(good.body);
  j["qual_number"] = "S140521202611009999";
  edited.body = j.dump();
  CHECK(k.apply(edited).key() == "confirm.signature");
  auto other = k.record(k.confirmed(), ed25519_generate().secret, good.meta.uuid);
  Status st = k.apply(other);
  CHECK(st.key() == "confirm.signature");
  CHECK(st.message().find("refused") != std::string::npos);
  auto after = get_certificate(k.f.store(), k.c.data.number);
  REQUIRE(after.ok());
  CHECK(after->status == "待确认");
  CHECK(after->qual_number.empty());
  CHECK(after->confirmations.empty());
  // Without a county key nothing can be checked, so nothing is applied.
  REQUIRE(k.f.ts.db().run("DELETE FROM settings WHERE key = 'county.content_pub'").ok());
  CHECK(k.apply(good).key() == "cert.confirm_no_key");
  CHECK(get_certificate(k.f.store(), k.c.data.number)->status == "待确认");
}

TEST_CASE("certificate: the PDF renders a non-blank page holding the name; the PNG is written") {
  ExamFixture f;
  enroll_site(f);
  auto p = f.trainee(1, "张𠮷祥");
  testing::take_exam(f, p);
  REQUIRE(practical(f, p, 8000).ok());
  auto c = issue_certificate(f.store(), f.clock(), f.course, p);
  REQUIRE(c.ok());
  chz::testing::TempDir dir("chz-cert");
  auto pdf = dir / "cert.pdf";
  auto png = dir / "cert.png";
  REQUIRE(render_certificate_pdf(*c, pdf).ok());
  REQUIRE(render_certificate_png(*c, png, 100).ok());
  CHECK(std::filesystem::file_size(png) > 10000);
  std::string txt = run("pdftotext -layout '" + pdf.string() + "' - 2>/dev/null");
  CHECK(txt.find("培训合格证") != std::string::npos);
  CHECK_MESSAGE(txt.find("张𠮷祥") != std::string::npos, txt);
  CHECK(txt.find(c->data.number) != std::string::npos);
  // Rasterise to grayscale PGM and count dark pixels.
  run("pdftoppm -r 30 -gray '" + pdf.string() + "' '" + (dir / "page").string() + "'");
  std::filesystem::path pgm;
  for (auto& e : std::filesystem::directory_iterator(dir.path()))
    if (e.path().extension() == ".pgm") pgm = e.path();
  REQUIRE(!pgm.empty());
  std::ifstream in(pgm, std::ios::binary);
  std::string magic;
  int w = 0, h = 0, maxv = 0;
  in >> magic >> w >> h >> maxv;
  in.get();
  std::string pixels((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(magic == "P5");
  REQUIRE(pixels.size() >= std::size_t(w) * h);
  std::size_t dark = 0;
  for (unsigned char px : pixels) dark += px < 128;
  CHECK(dark > pixels.size() / 50);  // text, frame and QR code
  CHECK(dark < pixels.size() / 2);   // not a black page either
}

TEST_CASE("certificate: other kiosks' attempts and scores from the feed are applied once") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  sync::Record rec;
  rec.meta.uuid = "0190aaaa-0000-7000-8000-000000000002";
  rec.meta.origin_device = "kiosk-00000000beef";
  rec.kind = std::string(sync::kinds::kExamAttempt);
  rec.body = nlohmann::json{{"attempt", "a-1"},    {"person", p}, {"course", f.course.id},
                            {"theory_x100", 5000}, {"passed", 0}, {"submitted_ms", 5}}
                 .dump();
  for (int i = 0; i < 2; ++i)
    REQUIRE(f.ts.db().transaction([&] { return apply_exam_record(f.ts.db(), rec); }).ok());
  CHECK(eligibility(f.store(), p, f.course)->attempts_used == 1);
  rec.body = "{\"attempt\": 1}";
  rec.meta.uuid = "0190aaaa-0000-7000-8000-000000000003";
  CHECK(!f.ts.db().transaction([&] { return apply_exam_record(f.ts.db(), rec); }).ok());
}

}  // namespace chz::kiosk::exam
