// kioskctl's certificate commands against a real store: export, render,
// and verify-certificate naming exactly what fails.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "common/testing/temp_dir.h"
#include "kiosk/certificate_issue.h"
#include "kiosk/exam_practical.h"
#include "kiosk/exam_test_store.h"

namespace chz::kiosk::exam {

namespace {

struct Out {
  int rc = -1;
  std::string text;
};

Out ctl(const std::filesystem::path& data, const std::string& args) {
  const char* bin = std::getenv("CHZ_BINARY_DIR");
  REQUIRE(bin);
  std::string cmd =
      std::string(bin) + "/app/chizheng-kioskctl --data '" + data.string() + "' " + args + " 2>&1";
  Out o;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.text.append(buf, n);
  int st = pclose(p);
  o.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return o;
}

}  // namespace

TEST_CASE("kioskctl: certificates export, render and verify; forgeries are named") {
  testing::ExamFixture f;
  REQUIRE(f.store().set_setting("enroll.site_id", "140521101").ok());
  REQUIRE(f.store().set_setting("enroll.site_name", "沁水县龙港镇农民夜校").ok());
  auto p = f.trainee(1, "张𠮷祥");
  testing::take_exam(f, p);
  PracticalEntry e;
  e.person = p;
  e.course_id = f.course.id;
  e.class_id = testing::kClass;
  e.score_x100 = 8000;
  e.assessor_id = testing::kAssessor;
  e.assessor_pin = testing::kPin;
  REQUIRE(enter_practical_score(f.store(), f.clock(), e).ok());
  auto c = issue_certificate(f.store(), f.clock(), f.course, p);
  REQUIRE(c.ok());
  f.store().db().close();
  chz::testing::TempDir tmp("chz-ctl");
  auto data = f.ts.dir;

  auto keys = ctl(data, "device-keys");
  REQUIRE(keys.rc == 0);
  REQUIRE(write_file_atomic(tmp / "keys.json", keys.text).ok());
  std::string k = " --keys '" + (tmp / "keys.json").string() + "'";

  auto doc = ctl(
      data, "certificate-json " + c->data.number + " -o '" + (tmp / "cert.json").string() + "'");
  REQUIRE_MESSAGE(doc.rc == 0, doc.text);
  auto ok = ctl(data, "verify-certificate '" + (tmp / "cert.json").string() + "'" + k);
  CHECK_MESSAGE(ok.rc == 0, ok.text);
  CHECK(ok.text.find("VALID") != std::string::npos);
  CHECK(ok.text.find("张𠮷祥") != std::string::npos);

  // The QR payload as text verifies too; truncated it says so.
  auto qr = ctl(data, "verify-certificate '" + c->qr + "'" + k);
  CHECK_MESSAGE(qr.rc == 0, qr.text);
  auto cut = ctl(data, "verify-certificate '" + c->qr.substr(0, c->qr.size() - 20) + "'" + k);
  CHECK(cut.rc != 0);
  CHECK(cut.text.find("truncated") != std::string::npos);

  // An altered field in the document is named.
  auto j = nlohmann::json::parse(*read_file(tmp / "cert.json"));
  j["certificate"]["practical"] = "98";
  REQUIRE(write_file_atomic(tmp / "forged.json", j.dump()).ok());
  auto forged = ctl(data, "verify-certificate '" + (tmp / "forged.json").string() + "'" + k);
  CHECK(forged.rc != 0);
  CHECK_MESSAGE(forged.text.find("实操成绩(practical) altered") != std::string::npos, forged.text);

  // The kiosk-written status is no signed field: 待确认 changed to 已确认
  // still verifies the signed fields, and the status is shown unverified.
  auto promoted = nlohmann::json::parse(*read_file(tmp / "cert.json"));
  REQUIRE(promoted.contains("status"));
  promoted["status"] = "已确认";
  REQUIRE(write_file_atomic(tmp / "promoted.json", promoted.dump()).ok());
  auto claim = ctl(data, "verify-certificate '" + (tmp / "promoted.json").string() + "'" + k);
  CHECK_MESSAGE(claim.rc == 0, claim.text);
  CHECK_MESSAGE(
      claim.text.find("文件写着“已确认”，但此状态不在任何签名之内，未经验证") != std::string::npos,
      claim.text);
  CHECK(claim.text.find("unverified") != std::string::npos);
  CHECK(claim.text.find("the device's signature covers: ") != std::string::npos);

  // A key list where this device has another key.
  auto other = nlohmann::json::parse(keys.text);
  other["devices"][0]["public_key"] = std::string(64, 'b');
  REQUIRE(write_file_atomic(tmp / "wrong.json", other.dump()).ok());
  auto wrong = ctl(data, "verify-certificate '" + (tmp / "cert.json").string() + "' --keys '" +
                             (tmp / "wrong.json").string() + "'");
  CHECK(wrong.rc != 0);
  CHECK_MESSAGE(wrong.text.find("cert.wrong_key") != std::string::npos, wrong.text);

  auto pdf = ctl(data, "certificate-pdf " + c->data.number + " -o '" + (tmp / "c.pdf").string() +
                           "' --png '" + (tmp / "c.png").string() + "'");
  CHECK_MESSAGE(pdf.rc == 0, pdf.text);
  CHECK(std::filesystem::file_size(tmp / "c.pdf") > 5000);
  CHECK(std::filesystem::file_size(tmp / "c.png") > 5000);
  auto list = ctl(data, "certificates");
  CHECK(list.text.find(c->data.number) != std::string::npos);
  CHECK(list.text.find("张") == std::string::npos);  // no names in listings
  // Keep a rendering for a look by hand when asked.
  if (const char* keep = std::getenv("CHZ_KEEP_CERT"))
    std::filesystem::copy_file(tmp / "c.png", keep,
                               std::filesystem::copy_options::overwrite_existing);
}

}  // namespace chz::kiosk::exam
