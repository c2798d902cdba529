// The kiosk's operations with the county, shared by chizheng-kioskctl and
// the kiosk UI: enrollment, a sync pass (upload, feed, announced course
// packages), USB bundles both ways, course packages from a USB stick, and
// the sync status. Nothing here prints; callers show the results.
//
// Enrollment results live in the kiosk store's settings:
//   enroll.site_id, enroll.site_name, server.url, server.cert_pem (the
//   pinned county CA), county.content_pub, county.person_key,
//   county.bundle_pub, device.box_secret (X25519, site bundles are
//   encrypted to it), device_keys.json (device public keys for
//   certificate verification), sync.last_success_ms, sync.last_error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "kiosk/store.h"
#include "sync/client/client.h"

namespace chz::ops {

struct EnrollResult {
  std::string device_id, site_id, site_name, server_url;
  bool ca_pinned = false;
  // The parts of new certificate numbers (settings county.area_code and
  // enroll.device_number); "" and 0 from a county server before them, and
  // then the kiosk keeps the old "<site>-<device>-<seq>" numbers.
  std::string area_code;
  int device_number = 0;
};
// Enrolls with a one-time code and stores what the county answered, in one
// transaction. "sync.already_enrolled" (kAlreadyExists) if the kiosk is
// enrolled; "sync.already_running" (kUnavailable) while another enrollment or
// sync of this kiosk runs (sync_pass); the code's refusals come from the server.
Result<EnrollResult> enroll(kiosk::Store& store, const Clock& clock, std::string server_url,
                            const std::string& code);

// An enrollment file on a USB stick ("chizheng-enroll.txt", lines
// "server=URL" and "code=CODE"):
// saves typing the address and the code (`chizheng-server code --usb-file F
// --url URL` writes one). kNotFound if no such file.
struct EnrollFile {
  std::string server, code;
};
Result<EnrollFile> read_enroll_file(const std::filesystem::path& usb_dir);

// Credentials for the sync client from the store's settings;
// "sync.not_enrolled" (kFailedPrecondition) before enrollment.
Result<sync_client::Credentials> credentials(kiosk::Store& store);

struct SyncResult {
  sync_client::Progress progress;              // the pass's last progress
  std::vector<std::string> courses_installed;  // package ids fetched and installed
};
// One sync pass (sync_client::Client::sync_once), then the course packages
// the county announced and this kiosk lacks. Records the outcome in
// sync.last_success_ms / sync.last_error either way. One pass (or
// enrollment) per kiosk at a time (<data>/sync.lock): a second one at once
// is refused at the start with kUnavailable, "sync.already_running", having
// sent nothing.
Result<SyncResult> sync_pass(kiosk::Store& store, const Clock& clock,
                             const std::function<void(const sync_client::Progress&)>& progress = {},
                             const sync_client::ClientOptions& options = {});

struct SyncStatus {
  std::string site_id, site_name, server_url;
  std::int64_t written = 0, acknowledged = 0;  // outbox sequence numbers
  std::string feed_cursor;
  std::int64_t offset_ms = 0;
  std::int64_t last_success_ms = 0;  // 0 = never
  std::string last_error;            // "" = none
  std::int64_t waiting() const { return written - acknowledged; }
};
Result<SyncStatus> sync_status(kiosk::Store& store, const Clock& clock);

struct UsbExportResult {
  std::filesystem::path file;
  std::int64_t first_seq = 0, last_seq = 0;  // 0, 0: nothing was waiting
};
// Writes the not-yet-acknowledged records to `dir` as a device bundle signed
// by this kiosk and encrypted to the county (sync_client::export_usb).
Result<UsbExportResult> export_usb(kiosk::Store& store, const Clock& clock,
                                   const std::filesystem::path& dir);

struct UsbImportResult {
  std::int64_t received = 0;  // records in the bundle
  std::int64_t applied = 0;   // of those, new here: 0 when the bundle was imported before
  std::int64_t acknowledged = 0;
};
// Imports a site bundle the county wrote (chizheng-server export-site-bundle).
Result<UsbImportResult> import_usb(kiosk::Store& store, const Clock& clock,
                                   const std::filesystem::path& file);

// The keys this kiosk trusts for course packages: the county's (from
// enrollment) and <data>/content-key.pub, plus `extra`.
// kFailedPrecondition if there are none.
Result<std::vector<Key32>> trusted_content_keys(kiosk::Store& store,
                                                const std::vector<Key32>& extra = {});

struct UsbContentResult {
  std::vector<std::string> installed;  // "course v3"
  std::vector<std::string> skipped;    // already installed (same or newer)
  std::vector<std::string> refused;    // "file: reason" (tampered, unsigned...)
};
// Installs every *.chzpkg in `dir` (not recursive) that is newer than the
// installed version. A refused package changes nothing; the others still
// install. kNotFound if the folder holds no package at all.
Result<UsbContentResult> install_content_from(kiosk::Store& store,
                                              const std::filesystem::path& dir);

// Where USB sticks appear: `configured` if given, else the first folder
// found under /media/*/ and /run/media/*/* (desktop automount), else "".
std::filesystem::path find_usb_dir(const std::filesystem::path& configured);

}  // namespace chz::ops
