#include "app/ops/kiosk_ops.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "common/fs.h"
#include "content/install.h"
#include "content/keys.h"
#include "kiosk/certificate_issue.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/outbox.h"
#include "kiosk/record_sink.h"
#include "sync/client/usb.h"
#include "sync/protocol/box.h"

namespace chz::ops {
namespace fs = std::filesystem;

namespace {

Result<Key32> setting_key(kiosk::Store& s, std::string_view name) {
  CHZ_ASSIGN_OR_RETURN(std::string h, s.setting(name));
  CHZ_ASSIGN_OR_RETURN(Bytes b, unhex(h));
  if (b.size() != 32)
    return Status(Code::kInvalidArgument, std::string(name) + " is not a 32-byte key");
  Key32 k;
  std::copy(b.begin(), b.end(), k.begin());
  return k;
}

std::string setting_or(kiosk::Store& s, std::string_view key, std::string fallback = {}) {
  auto v = s.setting(key);
  return v.ok() ? *v : fallback;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// After a pass: fetches and installs every course package the county
// announced (content_published records in the inbox) that is newer than the
// installed version. Each package is checked against the announced SHA-256,
// then installed by content::install_package, which verifies the county's
// signature and refuses anything else; the installed version stays intact.
Result<std::vector<std::string>> update_content(kiosk::Store& store, sync_client::Client& client) {
  CHZ_ASSIGN_OR_RETURN(Key32 pub, setting_key(store, "county.content_pub"));
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, store.db().prepare("SELECT body FROM inbox WHERE kind = 'content_published'"));
  std::map<std::string, nlohmann::json> newest;  // course id -> announcement
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    auto j = nlohmann::json::parse(st.text(0), nullptr, false);
    if (!j.is_object() || !j.contains("course") || !j.contains("version") || !j.contains("package"))
      continue;
    auto course = j.value("course", std::string());
    if (!newest.count(course) || newest[course].value("version", 0LL) < j.value("version", 0LL))
      newest[course] = j;
  }
  std::vector<std::string> installed;
  const fs::path& data = store.dir();
  for (const auto& [course, a] : newest) {
    auto have = content::installed_version(data, course);
    if (have.ok() && *have >= a.value("version", 0LL)) continue;
    std::string package = a.value("package", std::string());
    CHZ_ASSIGN_OR_RETURN(std::string pkg, client.fetch_content(package));
    if (hex(sha256(pkg)) != a.value("sha256", std::string()))
      return Status(Code::kTampered,
                    "content package " + package + " differs from its announcement");
    auto tmp = data / (".fetch-" + package + ".chzpkg");
    CHZ_TRY(write_file_atomic(tmp, pkg, 0600));
    auto r = content::install_package(data, tmp, {pub});
    std::error_code ec;
    fs::remove(tmp, ec);
    if (!r.ok()) return r.status();
    installed.push_back(package);
  }
  return installed;
}

}  // namespace

// One conversation with the county per kiosk at a time (<data>/sync.lock):
// two syncs would sign requests with the same replay counter, and the county
// would refuse the second as a replay; two enrollments would each register
// their own box key and the kiosk keep only one.
static Result<FileLock> talk_alone(kiosk::Store& store) {
  auto alone = FileLock::acquire(store.dir() / "sync.lock", FileLock::Mode::kExclusive, 0);
  if (alone.ok() || alone.status().code() != Code::kUnavailable) return alone;
  return Status(Code::kUnavailable,
                "another sync or enrollment of this kiosk is running (the kiosk UI's sync "
                "thread or another kioskctl command); nothing was sent: try again when it "
                "finishes",
                "sync.already_running");
}

Result<EnrollResult> enroll(kiosk::Store& store, const Clock& clock, std::string url,
                            const std::string& code) {
  CHZ_ASSIGN_OR_RETURN(FileLock alone, talk_alone(store));
  if (store.setting("enroll.site_id").ok())
    return Status(Code::kAlreadyExists, "this kiosk is already enrolled", "sync.already_enrolled");
  CHZ_ASSIGN_OR_RETURN(kiosk::DeviceIdentity id, store.identity());
  auto box = sync::x25519_generate();
  url = trim(url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  std::int64_t t0 = clock.now_ms();
  CHZ_ASSIGN_OR_RETURN(sync_client::Enrollment e,
                       sync_client::enroll(url, trim(code), id.device_id, id.public_key, box.pub));
  std::int64_t t1 = clock.now_ms();
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : e.response.device_keys)
    keys.push_back({{"device", k.device}, {"pub", k.pub}, {"retired", k.retired}});
  CHZ_TRY(store.db().transaction([&]() -> Status {
    CHZ_TRY(store.set_setting("enroll.site_id", e.response.site_id));
    CHZ_TRY(store.set_setting("enroll.site_name", e.response.site_name));
    CHZ_TRY(store.set_setting("server.url", url));
    CHZ_TRY(store.set_setting("server.cert_pem", e.response.ca_pem));
    CHZ_TRY(store.set_setting("county.content_pub", e.response.content_pub));
    CHZ_TRY(store.set_setting("county.person_key", hex(e.person_key)));
    CHZ_TRY(store.set_setting("county.bundle_pub", e.response.bundle_pub));
    CHZ_TRY(store.set_setting("device.box_secret", hex(box.secret)));
    CHZ_TRY(store.set_setting("device_keys.json", keys.dump()));
    // The parts of this kiosk's certificate numbers (kiosk/certificate_issue.cpp);
    // a county server before them sends neither, and the old numbers stay.
    if (!e.response.area_code.empty() && e.response.device_number != 0) {
      CHZ_TRY(store.set_setting("county.area_code", e.response.area_code));
      CHZ_TRY(store.set_setting("enroll.device_number", std::to_string(e.response.device_number)));
    }
    return kiosk::set_server_offset(store.db(), e.response.server_time_ms - (t0 + t1) / 2);
  }));
  bool numbered = !e.response.area_code.empty() && e.response.device_number != 0;
  return EnrollResult{id.device_id,
                      e.response.site_id,
                      e.response.site_name,
                      url,
                      !e.response.ca_pem.empty(),
                      numbered ? e.response.area_code : std::string(),
                      numbered ? e.response.device_number : 0};
}

Result<EnrollFile> read_enroll_file(const fs::path& usb_dir) {
  fs::path f = usb_dir / "chizheng-enroll.txt";
  std::error_code ec;
  if (usb_dir.empty() || !fs::exists(f, ec))
    return Status(Code::kNotFound, "no chizheng-enroll.txt on the USB stick", "enroll.no_file");
  CHZ_ASSIGN_OR_RETURN(std::string text, read_file(f, 4096));
  EnrollFile out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string line = trim(text.substr(pos, nl == std::string::npos ? nl : nl - pos));
    pos = nl == std::string::npos ? text.size() : nl + 1;
    if (line.rfind("server=", 0) == 0) out.server = trim(line.substr(7));
    if (line.rfind("code=", 0) == 0) out.code = trim(line.substr(5));
  }
  if (out.server.empty() || out.code.empty())
    return Status(Code::kInvalidArgument, "chizheng-enroll.txt needs server= and code= lines",
                  "enroll.bad_file");
  return out;
}

Result<sync_client::Credentials> credentials(kiosk::Store& s) {
  auto url = s.setting("server.url");
  if (!url.ok())
    return Status(Code::kFailedPrecondition, "not enrolled yet (run enroll)", "sync.not_enrolled");
  CHZ_ASSIGN_OR_RETURN(kiosk::DeviceIdentity id, s.identity());
  return sync_client::Credentials{*url, setting_or(s, "server.cert_pem"), id.device_id,
                                  id.secret_key};
}

Result<SyncResult> sync_pass(kiosk::Store& store, const Clock& clock,
                             const std::function<void(const sync_client::Progress&)>& progress,
                             const sync_client::ClientOptions& options) {
  CHZ_ASSIGN_OR_RETURN(FileLock alone, talk_alone(store));
  CHZ_ASSIGN_OR_RETURN(auto cred, credentials(store));
  kiosk::KioskRecordSource src(store.db());
  kiosk::KioskRecordSink sink(store.db(), clock, &kiosk::exam::apply_exam_record);
  sync_client::Client client(cred, options, clock);
  SyncResult out;
  Status st = client.sync_once(src, sink, [&](const sync_client::Progress& p) {
    out.progress = p;
    if (progress) progress(p);
  });
  auto record_error = [&](const Status& s) {
    store.set_setting("sync.last_error", s.to_string()).ignore();
    return s;
  };
  if (!st.ok()) return record_error(st);
  CHZ_TRY(kiosk::set_server_offset(store.db(), client.offset_ms()));
  CHZ_TRY(store.set_setting("sync.last_success_ms",
                            std::to_string(clock.now_ms() + client.offset_ms())));
  CHZ_TRY(store.set_setting("sync.last_error", ""));
  auto installed = update_content(store, client);
  if (!installed.ok()) return record_error(installed.status());
  out.courses_installed = std::move(installed).value();
  return out;
}

Result<SyncStatus> sync_status(kiosk::Store& store, const Clock& clock) {
  SyncStatus s;
  s.site_id = setting_or(store, "enroll.site_id");
  s.site_name = setting_or(store, "enroll.site_name");
  s.server_url = setting_or(store, "server.url");
  kiosk::KioskRecordSource src(store.db());
  kiosk::KioskRecordSink sink(store.db(), clock);
  CHZ_ASSIGN_OR_RETURN(s.written, src.last_seq());
  CHZ_ASSIGN_OR_RETURN(s.acknowledged, src.acknowledged());
  CHZ_ASSIGN_OR_RETURN(s.feed_cursor, sink.feed_cursor());
  auto off = kiosk::server_offset(store.db());
  s.offset_ms = off.ok() ? *off : 0;
  std::string when = setting_or(store, "sync.last_success_ms");
  s.last_success_ms = when.empty() ? 0 : std::strtoll(when.c_str(), nullptr, 10);
  s.last_error = setting_or(store, "sync.last_error");
  return s;
}

Result<UsbExportResult> export_usb(kiosk::Store& store, const Clock& clock, const fs::path& dir) {
  CHZ_ASSIGN_OR_RETURN(kiosk::DeviceIdentity id, store.identity());
  auto county = setting_key(store, "county.bundle_pub");
  if (!county.ok())
    return Status(Code::kFailedPrecondition, "not enrolled yet (run enroll)", "sync.not_enrolled");
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec))
    return Status(Code::kNotFound, "no USB stick at " + dir.string(), "usb.missing");
  kiosk::KioskRecordSource src(store.db());
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk::kiosk_now(store.db(), clock));
  CHZ_ASSIGN_OR_RETURN(auto ex, sync_client::export_usb(src, id.secret_key, *county, now));
  UsbExportResult out;
  out.first_seq = ex.first_seq;
  out.last_seq = ex.last_seq;
  out.file = dir / ("chizheng-" + id.device_id + "-" + std::to_string(ex.first_seq) + "-" +
                    std::to_string(ex.last_seq) + ".chzb");
  CHZ_TRY(write_file_atomic(out.file, ex.bytes, 0600));
  return out;
}

Result<UsbImportResult> import_usb(kiosk::Store& store, const Clock& clock, const fs::path& file) {
  CHZ_ASSIGN_OR_RETURN(Key32 content, setting_key(store, "county.content_pub"));
  CHZ_ASSIGN_OR_RETURN(Key32 box, setting_key(store, "device.box_secret"));
  // A site bundle is the site's feed: tens of MB after years; a larger file on a
  // stick is refused before a low-memory kiosk reads any of it.
  constexpr std::uintmax_t kMaxSiteBundle = 128u << 20;
  std::error_code ec;
  if (auto size = fs::file_size(file, ec); !ec && size > kMaxSiteBundle)
    return Status(Code::kTooLarge,
                  file.string() + " is " + std::to_string(size >> 20) +
                      " MiB: larger than any site bundle (128 MiB at most); not imported",
                  "usb.too_large");
  CHZ_ASSIGN_OR_RETURN(std::string bytes, read_file(file, kMaxSiteBundle));
  kiosk::KioskRecordSource src(store.db());
  kiosk::KioskRecordSink sink(store.db(), clock, &kiosk::exam::apply_exam_record);
  CHZ_ASSIGN_OR_RETURN(auto im, sync_client::import_site_bundle(bytes, content, box, src, sink));
  return UsbImportResult{im.received, im.applied, im.acknowledged};
}

Result<std::vector<Key32>> trusted_content_keys(kiosk::Store& store,
                                                const std::vector<Key32>& extra) {
  std::vector<Key32> keys;
  auto hex_key = store.setting("county.content_pub");
  if (hex_key.ok()) {
    CHZ_ASSIGN_OR_RETURN(Key32 k, content::parse_key_hex(*hex_key));
    keys.push_back(k);
  }
  std::error_code ec;
  if (fs::exists(store.dir() / "content-key.pub", ec)) {
    CHZ_ASSIGN_OR_RETURN(Key32 k, content::read_key_file(store.dir() / "content-key.pub"));
    keys.push_back(k);
  }
  keys.insert(keys.end(), extra.begin(), extra.end());
  if (keys.empty())
    return Status(Code::kFailedPrecondition,
                  "this kiosk trusts no county content key: enroll, or run `content-trust "
                  "KEY.pub`",
                  "content.no_trusted_key");
  return keys;
}

Result<UsbContentResult> install_content_from(kiosk::Store& store, const fs::path& dir) {
  CHZ_ASSIGN_OR_RETURN(std::vector<Key32> keys, trusted_content_keys(store));
  std::error_code ec;
  std::vector<fs::path> packages;
  if (!dir.empty() && fs::is_directory(dir, ec))
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".chzpkg" && e.is_regular_file(ec)) packages.push_back(e.path());
  if (packages.empty())
    return Status(Code::kNotFound, "no course package (*.chzpkg) on the USB stick",
                  "usb.no_content");
  std::sort(packages.begin(), packages.end());
  UsbContentResult out;
  for (const auto& p : packages) {
    auto r = content::install_package(store.dir(), p, keys);
    if (r.ok()) {
      out.installed.push_back(r->course_id + " v" + std::to_string(r->version));
    } else if (r.status().code() == Code::kConflict) {
      out.skipped.push_back(p.filename().string());
    } else {
      out.refused.push_back(p.filename().string() + ": " + r.status().message());
    }
  }
  return out;
}

fs::path find_usb_dir(const fs::path& configured) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  for (const char* root : {"/media", "/run/media"}) {
    for (const auto& user : fs::directory_iterator(root, ec)) {
      if (!user.is_directory(ec)) continue;
      for (const auto& stick : fs::directory_iterator(user.path(), ec))
        if (stick.is_directory(ec)) return stick.path();
    }
  }
  return {};
}

}  // namespace chz::ops
