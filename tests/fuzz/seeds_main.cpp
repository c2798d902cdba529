// chz-fuzz-seeds OUT_DIR: writes the generated seed inputs of the fuzz
// targets into OUT_DIR/<target>/seed-*, each made by the real encoder
// (wire batches, sealed bundles, signed requests, signed certificates and
// confirmations, a signed course package, an exported XLSX), under the
// fixed keys of fuzz_util.h, plus a few malformed variants of each.
// tests/fuzz/make_seeds.sh runs it and adds the files kept in the repo.
// ID numbers here are made up (region 140521, valid check characters).
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "content/import.h"
#include "content/json_codec.h"
#include "content/package.h"
#include "content/testdata/sample_course.h"
#include "sync/protocol/api.h"
#include "sync/protocol/box.h"
#include "sync/protocol/bundle.h"
#include "sync/protocol/certificate.h"
#include "sync/protocol/certificate_confirm.h"
#include "sync/protocol/idcard.h"
#include "sync/protocol/proof.h"
#include "sync/protocol/signing.h"
#include "sync/protocol/wire.h"
#include "sync/server/upstream.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
fs::path g_out;

void put(const std::string& target, const std::string& name, std::string_view bytes) {
  fs::create_directories(g_out / target);
  std::ofstream f(g_out / target / ("seed-" + name), std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string make_id(const char* region, int y, int m, int d, int seq) {
  std::string s = fmt::format("{}{:04d}{:02d}{:02d}{:03d}", region, y, m, d, seq);
  return s + sync::id_check_char(s);
}

constexpr std::int64_t kT = 1'795'000'000'000;  // 2026-11-18

std::vector<sync::Record> device_records(const std::string& device) {
  std::vector<sync::Record> v;
  std::string person = hex(sha256(std::string("person-1")));
  std::vector<std::pair<std::string, std::string>> kb = {
      {"person", json{{"entity", "person:" + person},
                      {"id_number", make_id("140521", 1990, 3, 7, 123)},
                      {"name", "张𠮷"},
                      {"name_source", "kiosk"},
                      {"township", "城关镇"},
                      {"village", "南关村"},
                      {"phone", ""},
                      {"group:农村转移就业劳动者", 1}}
                     .dump()},
      {"class", json{{"entity", "class:c1"},
                     {"course", "zhongfeng-test"},
                     {"site", "site-a"},
                     {"name", "中蜂养殖一班"},
                     {"capacity", 30},
                     {"trainers", "t1"}}
                    .dump()},
      {"session", json{{"entity", "session:s1"},
                       {"class", "c1"},
                       {"date", "2026-11-18"},
                       {"start", "09:00"},
                       {"end", "11:00"},
                       {"kind", "theory"}}
                      .dump()},
      {"enrolment",
       json{
           {"entity", "enrolment:c1:" + person}, {"class", "c1"}, {"person", person}, {"active", 1}}
           .dump()},
      {"attendance", json{{"session", "s1"},
                          {"person", person},
                          {"event", "in"},
                          {"at_ms", kT + 60'000},
                          {"by", "self"}}
                         .dump()},
  };
  std::int64_t seq = 0;
  for (const auto& [kind, body] : kb) {
    sync::Record r;
    r.meta.origin_device = device;
    r.meta.seq = ++seq;
    r.meta.hlc = {kT + seq * 1000, 0};
    r.meta.wall_ms = kT + seq * 1000;
    r.meta.offset_ms = -800;
    r.meta.uuid = sync::record_uuid(device, seq, r.meta.wall_ms);
    r.kind = kind;
    r.body = body;
    v.push_back(r);
  }
  return v;
}

// "PAY:" + version + the uncompressed payload of a batch (wire_fuzz.cpp).
std::string payload_seed(const std::string& wire) {
  std::size_t i = 5;
  std::uint64_t len = 0;
  for (int shift = 0; i < wire.size(); shift += 7) {
    auto b = static_cast<std::uint8_t>(wire[i++]);
    len |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  std::string payload(len, '\0');
  ZSTD_decompress(payload.data(), payload.size(), wire.data() + i, wire.size() - i);
  return "PAY:" + std::string(1, wire[4]) + payload;
}

std::string http(const std::string& method, const std::string& target,
                 const std::vector<std::string>& headers, const std::string& body = {}) {
  std::string s = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& h : headers) s += h + "\r\n";
  if (!body.empty() || method == "POST")
    s += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return s + "\r\n" + body;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: chz-fuzz-seeds OUT_DIR\n");
    return 2;
  }
  g_out = argv[1];
  const Key32 kiosk = fuzz::fixed_key("kiosk");
  const Key32 kiosk_pub = ed25519_public_from_secret(kiosk).value();
  const Key32 county = fuzz::fixed_key("county-content");
  const Key32 county_box = fuzz::fixed_key("county-box");
  const Key32 county_box_pub = sync::x25519_public_from_secret(county_box).value();

  // ---- idcard
  std::string id = make_id("140521", 1990, 3, 7, 123);
  put("idcard", "valid", id);
  put("idcard", "spaces", "  " + id + " ");
  put("idcard", "female", make_id("142601", 1968, 12, 31, 42));
  std::string x = make_id("140521", 1985, 6, 1, 10);
  for (int s = 10; x.back() != 'X' && s < 999; ++s) x = make_id("140521", 1985, 6, 1, s);
  put("idcard", "check-x-lower", x.substr(0, 17) + "x");
  put("idcard", "old15", "140521850601017");
  put("idcard", "bad-check", id.substr(0, 17) + (id[17] == '0' ? "1" : "0"));
  put("idcard", "bad-date", "140521199002301234");
  put("idcard", "bad-region", "990521199001011234");
  put("idcard", "phone", "138 0013-8000");
  put("idcard", "short", "14052119900");

  // ---- wire
  auto recs = device_records("kiosk-fuzz");
  std::string batch = sync::encode_batch(recs);
  put("wire", "batch", batch);
  put("wire", "batch-payload", payload_seed(batch));
  auto odd = recs;
  odd[0].body = R"({"b": 1, "a": 2})";
  odd[1].meta.uuid = "not-a-uuid";
  odd[2].meta.uuid = uuid_text(uuid_v7(kT));
  odd[3].meta.origin_device = "county";
  odd[4].body = R"({"a":[1,2,{"x":null}],"f":1.5,"n":"䶮𠮷·喆","neg":-5,"t":true,"z_ms":3})";
  std::string odd_batch = sync::encode_batch(odd);
  put("wire", "odd", odd_batch);
  put("wire", "odd-payload", payload_seed(odd_batch));
  put("wire", "truncated", batch.substr(0, batch.size() / 2));
  put("wire", "bad-version", "CHZB\x09" + batch.substr(5));
  put("wire", "empty-batch", sync::encode_batch({}));

  // ---- signed_request
  std::string body = batch;
  auto a = sync::sign_request(fuzz::fixed_key("device"), "kiosk-fuzz", "POST", "/api/v1/upload", kT,
                              7, body)
               .value();
  auto join = [](const std::vector<std::string>& f) {
    std::string s;
    for (std::size_t i = 0; i < f.size(); ++i) s += (i ? "\n--\n" : "") + f[i];
    return s;
  };
  put("signed_request", "upload",
      join({"POST", "/api/v1/upload", a.device, std::to_string(a.time_ms),
            std::to_string(a.counter), a.signature, body}));
  auto g = sync::sign_request(fuzz::fixed_key("device"), "kiosk-fuzz", "GET",
                              "/api/v1/feed?after=0&limit=100", kT, 8, "")
               .value();
  put("signed_request", "feed",
      join({"GET", "/api/v1/feed?after=0&limit=100", g.device, std::to_string(g.time_ms),
            std::to_string(g.counter), g.signature, ""}));
  put("signed_request", "bad-sig",
      join({"GET", "/api/v1/cursor", "kiosk-fuzz", "1", "2", "AAAA", ""}));
  sync::api::EnrollRequest er{"0123456789abcdef", "kiosk-fuzz", hex(kiosk_pub), hex(county_box_pub),
                              std::string(64, 'a')};
  put("signed_request", "enroll-request", sync::api::to_json(er));
  sync::api::EnrollResponse resp;
  resp.site_id = "site-a";
  resp.site_name = "城关镇农民夜校";
  resp.content_pub = hex(ed25519_public_from_secret(county).value());
  resp.person_key_sealed = std::string(120, 'b');
  resp.bundle_pub = hex(county_box_pub);
  resp.device_keys = {{"kiosk-fuzz", hex(kiosk_pub), false}, {"kiosk-old", hex(kiosk_pub), true}};
  resp.server_time_ms = kT;
  resp.mac = std::string(64, 'c');
  put("signed_request", "enroll-response", sync::api::to_json(resp));
  put("signed_request", "error-body", sync::api::error_body("replayed", "counter 7 <= 9"));

  // ---- bundle
  sync::BundleInfo bi{"device", "kiosk-fuzz", "county", kT, "{}"};
  put("bundle", "device", sync::seal_bundle(bi, batch, kiosk, county_box_pub).value());
  sync::BundleInfo si{"site", "county", "kiosk-fuzz", kT, R"({"ack":5,"feed":"12"})"};
  std::string site = sync::seal_bundle(si, batch, kiosk, county_box_pub).value();
  put("bundle", "site", site);
  put("bundle", "cut", site.substr(0, site.size() - 20));
  std::string flipped = site;
  flipped[flipped.size() - 3] ^= 1;
  put("bundle", "flipped", flipped);

  // ---- forward: a county's POST /api/v1/forward, the kiosk's proof inside
  // (an upload it signed, and a USB bundle with that bundle's key)
  server::ForwardedBatch fb;
  fb.device.id = "kiosk-fuzz";
  fb.device.site = "site-a";
  fb.device.pub = kiosk_pub;
  fb.device.box_pub = county_box_pub;
  fb.site_name = "城关镇农民夜校";
  fb.township = "城关镇";
  auto signed_upload =
      sync::sign_request(kiosk, "kiosk-fuzz", "POST", sync::api::kUpload, kT, 9, batch).value();
  fb.proof = sync::request_proof(signed_upload, "POST", sync::api::kUpload, batch);
  put("forward", "request", server::encode_forward(fb));
  put("forward", "request-proof", sync::encode_proof(fb.proof));
  std::string dev_bundle = sync::seal_bundle(bi, batch, kiosk, county_box_pub).value();
  Key32 bundle_key{};
  (void)sync::open_bundle(dev_bundle, kiosk_pub, county_box, nullptr, &bundle_key).value();
  fb.proof = sync::bundle_proof("kiosk-fuzz", dev_bundle, bundle_key);
  fb.device.revoked = true;
  std::string fwd_bundle = server::encode_forward(fb);
  put("forward", "bundle", fwd_bundle);
  put("forward", "cut", fwd_bundle.substr(0, fwd_bundle.size() / 2));
  // A USB forward bundle's payload (upstream.h): two frames.
  auto frame_len = [](std::string& out, std::size_t n) {
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  };
  std::string usb = std::string(server::kForwardPayloadMagic) + '\x01';
  frame_len(usb, 2);
  frame_len(usb, fwd_bundle.size());
  usb += fwd_bundle;
  frame_len(usb, batch.size());
  usb += batch;
  put("forward", "usb-payload", usb);

  // ---- certificate
  sync::CertificateData d;
  d.number = "140521101-a1b2c3d4e5f6-00001";
  d.name = "张𠮷";
  d.id_masked = sync::mask_id_number(id);
  d.occupation = "中蜂养殖";
  d.level = "专项职业能力";
  d.course_id = "zhongfeng-test";
  d.hours = 40;
  d.theory_score = "86.5";
  d.practical_score = "72";
  d.date = "2026-11-23";
  d.site_id = "site-a";
  d.site_name = "城关镇农民夜校";
  d.device_id = "kiosk-fuzz";
  d.key_id = sync::key_id(kiosk_pub);
  auto sig = sync::sign_certificate(d, kiosk).value();
  std::string qr = sync::qr_payload(d, sig);
  put("certificate", "payload", qr);
  put("certificate", "url", sync::verify_url("https://county.example:8443", qr));
  put("certificate", "url-query", "https://county.example/verify?p=" + qr);
  put("certificate", "truncated", qr.substr(0, qr.size() - 10));
  sync::CertificateConfirmation c{d.number, "已确认", "专项职业能力证书", "ZX-1405-0001", "", kT};
  auto csig = sync::sign_confirmation(c, county).value();
  std::string confirm = sync::signed_confirmation_json({c, base64url(csig)});
  put("certificate", "confirmation", confirm);
  json doc = {{"certificate", json::parse(sync::canonical_certificate(d))},
              {"signature", base64url(sig)},
              {"qr", qr},
              {"status", "已确认"},
              {"confirmations", json::array({json::parse(confirm)})}};
  put("certificate", "document", doc.dump(2));
  doc["certificate"]["name"] = "王䶮";
  put("certificate", "document-altered", doc.dump());
  sync::DeviceKeys dk;
  dk.by_device["kiosk-fuzz"].push_back(kiosk_pub);
  put("certificate", "device-keys", sync::device_keys_json(dk));
  put("certificate", "device-keys-plain", json{{"kiosk-fuzz", "ed25519:" + hex(kiosk_pub)}}.dump());

  // ---- package
  auto src = content::testing::sample_course();
  std::string pkg = content::build_package(src, county).value();
  put("package", "signed", pkg);
  put("package", "unsigned", content::build_package(src, std::nullopt).value());
  auto entries = content::testing::package_entries(pkg);
  for (const auto& e : entries) {
    if (e.path == "manifest.json") put("package", "manifest-json", e.data);
    if (e.path == "bank.json") put("package", "bank-json", e.data);
  }
  auto evil = entries;
  evil.push_back({"../escape.md", "x"});
  put("package", "unsafe-path", content::testing::write_raw_tar(evil));
  auto link = entries;
  link.push_back({"media/link.png", "", AE_IFLNK, "/etc/passwd"});
  put("package", "symlink", content::testing::write_raw_tar(link));

  // ---- markdown (lessons of the sample course, and a few awkward ones)
  for (std::size_t i = 0; i < src.course.lessons.size(); ++i)
    put("markdown", "lesson" + std::to_string(i + 1), src.course.lessons[i].markdown);
  put("markdown", "mixed",
      "# 标题\n\n> 引用 **粗** _斜_\n\n1. 一\n2. 二\n   - 嵌套 ![图](./media/a.png \"t\")\n\n"
      "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n[链接](http://x) <b>html</b>\n");

  // ---- xlsx (the sample bank exported, and cut)
  fs::path tmp = fs::temp_directory_path() / "chz-fuzz-seeds-bank.xlsx";
  if (content::export_xlsx(src.course.bank, tmp).ok()) {
    std::ifstream in(tmp, std::ios::binary);
    std::string xlsx((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    put("xlsx", "bank", xlsx);
    put("xlsx", "cut", xlsx.substr(0, xlsx.size() * 2 / 3));
    fs::remove(tmp);
  }

  // ---- registry (CSV; XLSX and XLS come from make_seeds.sh's Python)
  std::string reg = "劳动力建档立卡花名册\n姓名,身份证号,性别,乡镇,村,联系电话,就业状态,重点群体\n";
  reg += "王建䶮," + make_id("140521", 1988, 2, 29, 11) +
         ",男,城关镇,南关村,13800138000,已就业,退役军人\n";
  reg += "李二," + id.substr(0, 17) + ",男,城关镇,南关村,,未就业,\n";
  reg += "张𠮷,140521850601017,女,东岭乡,,1380013800,,\"贫困劳动力,两后生\"\n";
  reg += "\"<img src=x>\",1.40521199001011E+17,男,城关镇,南关村,,,\n";
  put("registry", "registry.csv", reg);
  std::string held = "姓名,身份证号,证书类型,职业(工种),等级,证书编号,发证日期,发证机构\n";
  held += "王建䶮," + make_id("140521", 1988, 2, 29, 11) +
          ",职业技能等级证书,中式烹调师,四级/中级工,S0001,2024/5/6,某某评价机构\n";
  held += "李二," + id + ",专项职业能力证书,中蜂养殖,,Z0002,2025年1月2日,县人社局\n";
  held += "李二," + id + ",专项职业能力证书,中蜂养殖,,Z0002,45000,县人社局\n";
  put("registry", "held.csv", held);
  put("registry", "tabs.csv", "姓名\t身份证号\n王五\t" + id + "\r\n");
  put("registry", "unclosed.csv", "姓名,身份证号\n\"王五," + id + "\n");

  // ---- server_request
  const std::string sess = "Cookie: chz_session=$SESSION", csrf = "X-CSRF-Token: $CSRF";
  const std::string sign = "X-Chz-Signature: $SIGN";
  auto req = [&](const std::string& name, const std::string& r) { put("server_request", name, r); };
  req("health", http("GET", "/api/v1/health", {}));
  req("time", http("GET", "/api/v1/time", {}));
  req("device-keys", http("GET", "/api/v1/device-keys", {}));
  req("enroll",
      http("POST", "/api/v1/enroll", {"Content-Type: application/json"}, sync::api::to_json(er)));
  req("cursor", http("GET", "/api/v1/cursor", {sign}));
  req("upload",
      http("POST", "/api/v1/upload", {sign, "Content-Type: application/octet-stream"}, batch));
  req("upload-unsigned", http("POST", "/api/v1/upload",
                              {"X-Chz-Device: kiosk-fuzz", "X-Chz-Time: 1", "X-Chz-Counter: 1",
                               "X-Chz-Signature: AAAA"},
                              batch));
  req("feed", http("GET", "/api/v1/feed?after=0&limit=50", {sign}));
  req("content", http("GET", "/api/v1/content/zhongfeng-test", {sign}));
  req("login", http("POST", "/api/v1/dash/login", {"Content-Type: application/json"},
                    R"({"name":"nobody","password":"x"})"));
  req("me", http("GET", "/api/v1/dash/me", {sess}));
  req("indicators", http("GET", "/api/v1/dash/indicators", {sess}));
  req("report",
      http("GET", "/api/v1/dash/report?from=2026-01-01&to=2026-12-31&by=township&format=csv",
           {sess}));
  req("report-json",
      http("GET",
           "/api/v1/dash/report?from=2026-11-01&to=2026-11-30&by=site&site=site-a&employed=1",
           {sess}));
  req("freshness", http("GET", "/api/v1/dash/freshness?silent_days=3", {sess}));
  req("pending", http("GET", "/api/v1/dash/certificates/pending", {sess}));
  req("confirm",
      http("POST", "/api/v1/dash/certificates/confirm", {sess, csrf},
           json{{"number", d.number}, {"qual_kind", "专项职业能力证书"}, {"qual_number", "ZX-1"}}
               .dump()));
  req("reject", http("POST", "/api/v1/dash/certificates/reject", {sess, csrf},
                     json{{"number", d.number}, {"reason", "照片不符"}}.dump()));
  req("annul", http("POST", "/api/v1/dash/certificates/annul", {sess, csrf},
                    json{{"number", d.number}, {"reason", "冒名参训"}}.dump()));
  req("person-id", http("GET", "/api/v1/dash/person?id=" + id, {sess}));
  req("person-name", http("GET", "/api/v1/dash/person?name=%E5%BC%A0", {sess}));
  req("registry-import",
      http("POST", "/api/v1/dash/registry/import?kind=registry&dry_run=1&name=r.csv", {sess, csrf},
           reg));
  req("held-import",
      http("POST", "/api/v1/dash/registry/import?kind=held&name=h.csv", {sess, csrf}, held));
  req("alerts", http("GET", "/api/v1/dash/alerts", {sess}));
  req("devices", http("GET", "/api/v1/dash/devices", {sess}));
  req("device-code",
      http("POST", "/api/v1/dash/devices/code", {sess, csrf}, R"({"site":"site-a","hours":24})"));
  req("revoke-other",
      http("POST", "/api/v1/dash/devices/revoke", {sess, csrf}, R"({"device":"kiosk-other"})"));
  req("audit", http("GET", "/api/v1/dash/audit?after=0", {sess}));
  req("verify", http("GET", "/api/v1/verify?p=" + qr, {}));
  req("verify-page", http("GET", "/verify", {}));
  req("chunked",
      "POST /api/v1/dash/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\n{\"a\":\r\n3\r\n1}\n\r\n0\r\n\r\n");
  req("no-route", http("GET", "/api/v1/../../etc/passwd?%zz=%41+b", {}));
  std::printf("seeds written to %s\n", g_out.c_str());
  return 0;
}
