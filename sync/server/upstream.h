// The roll-up: a county server forwards what it holds to its city server
// (and a city to its province) with the protocol kiosks already use.
//
// Enrollment: the city issues a one-time code for a county
// (`chizheng-server code --county 140521`); the county enrolls with it
// exactly as a kiosk enrolls with a county (`chizheng-server upstream
// enroll`), under the identity "county-<area code>", with an Ed25519 key of
// its own. It keeps what it learned in <data>/upstream.json (mode 0600): the
// city's address and CA, its identity key, the city-scope person key
// (docs/decisions/identity-and-certificates.md) and the city's public keys.
//
// Forwarding (`chizheng-server forward`, and `serve` every
// --forward-every seconds): signed requests, like a kiosk's.
//   GET  /api/v1/forward/cursors  what the city holds: {"county": seq of the
//        county's own records, "devices": {kiosk id: highest contiguous seq}}
//   POST /api/v1/forward          one kiosk batch as it reached the county:
//        "CHZF" | u8 1 | u32 big-endian length | device JSON | proof frame
//        (sync/protocol/proof.h). The city checks the kiosk's own signature
//        on the proof, so a county cannot alter or invent a kiosk's records,
//        and ingests the batch as the county did (exactly once, by seq).
//   POST /api/v1/upload           the county's own records (registry,
//        confirmations, classes), origin "county-<area>", under the county's
//        signature.
// The city never writes into a county: the county applies nothing it
// receives except the cursors that say where to resume.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/status.h"
#include "sync/client/client.h"
#include "sync/server/county.h"
#include "sync/server/store.h"

namespace chz::server {

inline constexpr std::string_view kForward = "/api/v1/forward";
inline constexpr std::string_view kForwardCursors = "/api/v1/forward/cursors";
// A county's identity at the level above, and the site its records are kept
// under there.
std::string county_identity(const std::string& area_code);  // "county-140521"
std::string county_site(const std::string& area_code);      // "county:140521"
// A forwarded kiosk's site at the level above: "140521/site-01".
std::string forwarded_site(const std::string& area_code, const std::string& site);
// Where the level above keeps a device that the server of `area` forwards,
// or "" if that server may not forward it:
//   a kiosk with a county-local site ("site-01")     -> "<area>/site-01"
//   at a city or province, what a county below it forwarded there:
//     a kiosk kept as "<county>/<site>"               -> as it is
//     a county's identity "county-<county>" kept as "county:<county>" -> as it is
// ("below": a city's counties share its first four digits, a province's
// cities and counties its first two), so every level keeps a county's
// kiosks under the county's own area.
std::string placed_site(const std::string& area, const std::string& device_id,
                        const std::string& site);
// True iff a device kept under `site` here came from the server of `area`
// (what its forward cursors list).
bool placed_under(const std::string& area, const std::string& site);

struct Upstream {
  std::string url;     // "https://city.example:8443"
  std::string ca_pem;  // the city's CA, pinned ("" over plain HTTP)
  std::string identity;
  Key32 secret{}, pub{};
  Key32 box_secret{};
  Key32 person_key{};  // the city-scope person key
  Key32 content_pub{}, bundle_pub{};
  std::int64_t enrolled_ms = 0;
};

// Enrolls this county with the level above and writes upstream.json;
// kAlreadyExists if it is enrolled already, kFailedPrecondition if county.json
// has no area code.
Result<Upstream> enroll_upstream(const std::filesystem::path& data_dir, const CountyKeys& keys,
                                 const std::string& url, const std::string& code,
                                 const Clock& clock);
// kNotFound (with the command to run) if this county is not enrolled upward.
Result<Upstream> load_upstream(const std::filesystem::path& data_dir);

// What the level above holds: the county's own records' seq and each
// kiosk's highest contiguous seq.
struct Cursors {
  std::int64_t county = 0;
  std::map<std::string, std::int64_t> devices;
};

struct ForwardReport {
  std::int64_t batches = 0;         // kiosk batches the city took
  std::int64_t device_records = 0;  // kiosk records they carried beyond the city's cursors
  std::int64_t county_records = 0;  // the county's own records sent
  std::int64_t devices = 0;         // kiosks the city now holds records of
  // Kiosks whose records include some without a kept proof (stored before
  // proofs were kept): forwarding stops for them at that seq.
  std::vector<std::string> unproven;
  // Where the level above stands after the pass (or will, once a bundle
  // is imported): what the next USB bundle may start from.
  Cursors acked;
};
// One pass: asks the city's cursors, sends every kept kiosk batch beyond
// them and the county's own records beyond its cursor. Resumable at any
// point: a failure leaves what the city acknowledged acknowledged.
Result<ForwardReport> forward_once(ServerStore& store, const Upstream& up, const Clock& clock,
                                   const sync_client::ClientOptions& opt = {});

// Forwarding by USB stick, when the level above cannot be reached:
// `forward --usb FILE` writes one bundle (sync/protocol/bundle.h, kind
// "forward", from the county's identity, signed by its key and encrypted to
// the city's bundle key) holding every kept kiosk batch and the county's own
// records beyond `since` (the cursors of the last pass that got through,
// <data>/upstream-cursors.json; from the start without one). The city's
// `import-bundle FILE` takes it (Service::import_forward_bundle); a batch
// the city holds already changes nothing there, so a stick may carry
// overlapping bundles, in any order within one kiosk's run.
// Payload: "CHZV" | u8 1 | u32 count | count × (u32 length | frame), each
// frame a CHZF forwarded batch or one CHZB batch of the county's records.
inline constexpr std::string_view kForwardBundle = "forward";
inline constexpr std::string_view kForwardPayloadMagic = "CHZV";
struct UsbForward {
  std::string file;
  ForwardReport report;
};
Result<UsbForward> forward_bundle(ServerStore& store, const Upstream& up, const Cursors& since,
                                  std::int64_t now_ms);
// The frames of a forward bundle's payload; "sync.malformed" unless whole.
Result<std::vector<std::string_view>> split_forward_payload(std::string_view payload);
// <data>/upstream-cursors.json, written after every pass that got through;
// all zero when absent.
Result<Cursors> load_cursors(const std::filesystem::path& data_dir);
Status save_cursors(const std::filesystem::path& data_dir, const Cursors& c);

// The device JSON and proof of one forwarded batch (city side parses it).
struct ForwardedBatch {
  DeviceRow device;  // as the county holds it (site: the county's site id)
  std::string site_name, township;
  sync::Proof proof;
};
std::string encode_forward(const ForwardedBatch& b);
Result<ForwardedBatch> decode_forward(std::string_view body);

}  // namespace chz::server
