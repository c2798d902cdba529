#include "sync/server/upstream.h"

#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "common/log.h"
#include "sync/client/client.h"
#include "sync/protocol/box.h"
#include "sync/protocol/bundle.h"
#include "sync/protocol/wire.h"

namespace chz::server {
namespace {
using nlohmann::json;

constexpr std::string_view kFile = "upstream.json";
constexpr std::size_t kProofsPerRead = 64;
constexpr std::size_t kCountyBatch = 1000;

Status malformed(std::string msg) {
  return Status(Code::kInvalidArgument, std::move(msg), "sync.malformed");
}
Result<Key32> key_of(const json& j, const char* k) {
  if (!j.contains(k) || !j[k].is_string()) return malformed(std::string("no ") + k);
  auto b = unhex(j[k].get<std::string>());
  if (!b.ok() || b->size() != 32) return malformed(std::string("bad ") + k);
  Key32 out;
  std::copy(b->begin(), b->end(), out.begin());
  return out;
}
void put_u32(std::string& out, std::size_t n) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
}
}  // namespace

std::string county_identity(const std::string& area) {
  return "county-" + area;
}
std::string county_site(const std::string& area) {
  return "county:" + area;
}
std::string forwarded_site(const std::string& area, const std::string& site) {
  return area + "/" + site;
}

namespace {
// How many leading digits the areas below `area` share with it: 4 under a
// city (140500), 2 under a province (140000), none under a county.
std::size_t span(std::string_view area) {
  if (area.size() != 6 || area.find_first_not_of("0123456789") != std::string_view::npos) return 0;
  if (area.substr(2) == "0000") return 2;
  if (area.substr(4) == "00") return 4;
  return 0;
}
bool below(std::string_view area, std::string_view c) {
  std::size_t n = span(area);
  return n && c.size() == 6 && c.find_first_not_of("0123456789") == std::string_view::npos &&
         c != area && c.substr(0, n) == area.substr(0, n);
}
}  // namespace

std::string placed_site(const std::string& area, const std::string& device_id,
                        const std::string& site) {
  if (device_id.rfind("county", 0) == 0) {
    if (device_id.rfind("county-", 0) != 0) return "";
    std::string c = device_id.substr(7);
    return site == county_site(c) && below(area, c) ? site : "";
  }
  auto slash = site.find('/');
  if (slash == std::string::npos)
    return site.empty() || site.rfind("county:", 0) == 0 ? "" : forwarded_site(area, site);
  return slash == 6 && below(area, std::string_view(site).substr(0, 6)) ? site : "";
}

bool placed_under(const std::string& area, const std::string& site) {
  if (site.rfind(forwarded_site(area, ""), 0) == 0) return true;
  if (site.rfind("county:", 0) == 0) return below(area, std::string_view(site).substr(7));
  return site.find('/') == 6 && below(area, std::string_view(site).substr(0, 6));
}

Result<Upstream> enroll_upstream(const std::filesystem::path& dir, const CountyKeys& keys,
                                 const std::string& url, const std::string& code,
                                 const Clock& clock) {
  if (keys.area_code.empty())
    return Status(Code::kFailedPrecondition,
                  "county.json has no area code; this server was made by an older `init`");
  std::error_code ec;
  if (std::filesystem::exists(dir / kFile, ec))
    return Status(Code::kAlreadyExists,
                  "already enrolled upward (" + (dir / kFile).string() + " exists)");
  // Checked before the code is spent: a code the city took and we could not
  // record would be lost.
  CHZ_TRY(write_file_atomic(dir / kFile, "", 0600));
  std::filesystem::remove(dir / kFile, ec);
  Upstream up;
  up.url = url;
  while (!up.url.empty() && up.url.back() == '/') up.url.pop_back();
  up.identity = county_identity(keys.area_code);
  auto id = ed25519_generate();
  up.secret = id.secret;
  up.pub = id.pub;
  auto box = sync::x25519_generate();
  up.box_secret = box.secret;
  CHZ_ASSIGN_OR_RETURN(sync_client::Enrollment e,
                       sync_client::enroll(up.url, code, up.identity, up.pub, box.pub));
  up.ca_pem = up.url.rfind("https://", 0) == 0 ? e.response.ca_pem : "";
  up.person_key = e.person_key;
  up.content_pub = e.content_pub;
  up.bundle_pub = e.bundle_pub;
  up.enrolled_ms = clock.now_ms();
  json j{{"format", "chizheng-upstream v1"},
         {"url", up.url},
         {"ca_pem", up.ca_pem},
         {"identity", up.identity},
         {"secret", hex(up.secret)},
         {"box_secret", hex(up.box_secret)},
         {"person_key", hex(up.person_key)},
         {"content_pub", hex(up.content_pub)},
         {"bundle_pub", hex(up.bundle_pub)},
         {"enrolled_ms", up.enrolled_ms}};
  CHZ_TRY(write_file_atomic(dir / kFile, j.dump(1), 0600));
  spdlog::info("enrolled upward identity={} url={}", up.identity, up.url);
  return up;
}

Result<Upstream> load_upstream(const std::filesystem::path& dir) {
  auto p = dir / kFile;
  struct stat sb {};
  if (::stat(p.c_str(), &sb) != 0)
    return Status(Code::kNotFound,
                  "not enrolled upward (run `chizheng-server upstream enroll --url URL --code C`)");
  if (sb.st_mode & 077) return Status(Code::kInsecureKeyFile, p.string() + " must be mode 0600");
  CHZ_ASSIGN_OR_RETURN(std::string text, read_file(p, 1u << 20));
  json j = json::parse(text, nullptr, false);
  if (!j.is_object() || j.value("format", "") != "chizheng-upstream v1")
    return malformed(p.string() + " is not an upstream file");
  Upstream up;
  try {
    up.url = j.at("url");
    up.ca_pem = j.at("ca_pem");
    up.identity = j.at("identity");
    up.enrolled_ms = j.at("enrolled_ms");
  } catch (const json::exception&) {
    return malformed(p.string() + " is not an upstream file");
  }
  CHZ_ASSIGN_OR_RETURN(up.secret, key_of(j, "secret"));
  CHZ_ASSIGN_OR_RETURN(up.pub, ed25519_public_from_secret(up.secret));
  CHZ_ASSIGN_OR_RETURN(up.box_secret, key_of(j, "box_secret"));
  CHZ_ASSIGN_OR_RETURN(up.person_key, key_of(j, "person_key"));
  CHZ_ASSIGN_OR_RETURN(up.content_pub, key_of(j, "content_pub"));
  CHZ_ASSIGN_OR_RETURN(up.bundle_pub, key_of(j, "bundle_pub"));
  return up;
}

std::string encode_forward(const ForwardedBatch& b) {
  json d{{"device", b.device.id},       {"site", b.device.site},
         {"site_name", b.site_name},    {"township", b.township},
         {"pub", hex(b.device.pub)},    {"box_pub", hex(b.device.box_pub)},
         {"revoked", b.device.revoked}, {"enrolled_ms", b.device.enrolled_ms}};
  std::string head = d.dump();
  std::string out = "CHZF";
  out.push_back(1);
  put_u32(out, head.size());
  out += head;
  out += sync::encode_proof(b.proof);
  return out;
}

Result<ForwardedBatch> decode_forward(std::string_view f) {
  if (f.size() < 9 || f.substr(0, 4) != "CHZF" || f[4] != 1)
    return malformed("not a forwarded batch");
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i)
    n = (n << 8) | static_cast<std::uint8_t>(f[5 + static_cast<std::size_t>(i)]);
  if (n > f.size() - 9) return malformed("forwarded batch header runs past the body");
  json d = json::parse(f.substr(9, n), nullptr, false);
  ForwardedBatch b;
  try {
    if (!d.is_object()) return malformed("forwarded batch header is not an object");
    b.device.id = d.at("device");
    b.device.site = d.at("site");
    b.site_name = d.at("site_name");
    b.township = d.at("township");
    b.device.revoked = d.at("revoked");
    b.device.enrolled_ms = d.at("enrolled_ms");
  } catch (const json::exception&) {
    return malformed("forwarded batch header lacks a field");
  }
  CHZ_ASSIGN_OR_RETURN(b.device.pub, key_of(d, "pub"));
  CHZ_ASSIGN_OR_RETURN(b.device.box_pub, key_of(d, "box_pub"));
  CHZ_ASSIGN_OR_RETURN(b.proof, sync::decode_proof(f.substr(9 + n)));
  if (b.proof.device != b.device.id) return malformed("the proof is of another device");
  return b;
}

namespace {

// Walks `d`'s kept proofs beyond `at` in order, handing each batch to `send`,
// which returns the cursor the level above now holds (or will hold). Stops,
// naming the kiosk in `rep.unproven`, at records with no kept proof.
template <class Send>
Status walk_batches(ServerStore& store, const DeviceRow& d, std::int64_t at, ForwardReport& rep,
                    Send send) {
  auto site = store.site_info(d.site);
  ForwardedBatch b{d, site.ok() ? site->first : d.site, site.ok() ? site->second : "", {}};
  bool stuck = false;
  while (at < d.cursor && !stuck) {
    CHZ_ASSIGN_OR_RETURN(auto proofs, store.proofs(d.id, at, kProofsPerRead));
    if (proofs.empty()) stuck = true;
    for (auto& p : proofs) {
      if (p.first_seq > at + 1) {  // records between came with no kept proof
        stuck = true;
        break;
      }
      b.proof = std::move(p.proof);
      CHZ_ASSIGN_OR_RETURN(std::int64_t next, send(b, p.last_seq));
      rep.device_records += std::max<std::int64_t>(0, next - at);
      ++rep.batches;
      at = std::max(at, next);
    }
  }
  if (stuck) rep.unproven.push_back(d.id);
  if (at > 0) ++rep.devices;
  rep.acked.devices[d.id] = at;
  return OkStatus();
}

// The county's own records beyond `at`, origin rewritten to its identity,
// in batches of kCountyBatch handed to `send` (returns the new cursor).
template <class Send>
Status walk_own(ServerStore& store, const Upstream& up, std::int64_t at, ForwardReport& rep,
                Send send) {
  CHZ_ASSIGN_OR_RETURN(auto own, store.records_of("county", at));
  std::vector<sync::Record> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return OkStatus();
    CHZ_ASSIGN_OR_RETURN(std::int64_t next, send(batch));
    rep.county_records += std::max<std::int64_t>(0, next - at);
    at = std::max(at, next);
    batch.clear();
    return OkStatus();
  };
  for (auto& r : own) {
    if (r.meta.seq <= at) continue;
    r.meta.origin_device = up.identity;
    batch.push_back(std::move(r));
    if (batch.size() == kCountyBatch) CHZ_TRY(flush());
  }
  CHZ_TRY(flush());
  rep.acked.county = at;
  return OkStatus();
}

}  // namespace

Result<ForwardReport> forward_once(ServerStore& store, const Upstream& up, const Clock& clock,
                                   const sync_client::ClientOptions& opt) {
  sync_client::Client cli({up.url, up.ca_pem, up.identity, up.secret}, opt, clock);
  CHZ_TRY(cli.refresh_offset().status());
  CHZ_ASSIGN_OR_RETURN(auto reply, cli.call("GET", std::string(kForwardCursors), ""));
  json cur = json::parse(reply.body, nullptr, false);
  if (!cur.is_object() || !cur.contains("county") || !cur["county"].is_number_integer() ||
      !cur.contains("devices") || !cur["devices"].is_object())
    return malformed("the level above answered no cursors");
  ForwardReport rep;
  auto cursor_in = [](const json& j) -> Result<std::int64_t> {
    if (!j.is_object() || !j.contains("cursor") || !j["cursor"].is_number_integer())
      return malformed("the level above answered no cursor");
    return j["cursor"].get<std::int64_t>();
  };
  CHZ_ASSIGN_OR_RETURN(std::vector<DeviceRow> devices, store.devices());
  for (const DeviceRow& d : devices) {
    std::int64_t at = cur["devices"].value(d.id, std::int64_t{0});
    CHZ_TRY(walk_batches(
        store, d, at, rep, [&](const ForwardedBatch& b, std::int64_t) -> Result<std::int64_t> {
          CHZ_ASSIGN_OR_RETURN(auto r, cli.call("POST", std::string(kForward), encode_forward(b)));
          return cursor_in(json::parse(r.body, nullptr, false));
        }));
  }
  // The county's own records, under the county's identity.
  CHZ_TRY(walk_own(store, up, cur["county"].get<std::int64_t>(), rep,
                   [&](const std::vector<sync::Record>& batch) -> Result<std::int64_t> {
                     CHZ_ASSIGN_OR_RETURN(auto r, cli.call("POST", std::string(sync::api::kUpload),
                                                           sync::encode_batch(batch)));
                     return cursor_in(json::parse(r.body, nullptr, false));
                   }));
  spdlog::info("forwarded batches={} device_records={} county_records={} unproven={}", rep.batches,
               rep.device_records, rep.county_records, rep.unproven.size());
  return rep;
}

Result<UsbForward> forward_bundle(ServerStore& store, const Upstream& up, const Cursors& since,
                                  std::int64_t now_ms) {
  UsbForward out;
  std::string payload = std::string(kForwardPayloadMagic);
  payload.push_back(1);
  std::vector<std::string> frames;
  CHZ_ASSIGN_OR_RETURN(std::vector<DeviceRow> devices, store.devices());
  for (const DeviceRow& d : devices) {
    auto it = since.devices.find(d.id);
    CHZ_TRY(walk_batches(store, d, it == since.devices.end() ? 0 : it->second, out.report,
                         [&](const ForwardedBatch& b, std::int64_t last) -> Result<std::int64_t> {
                           frames.push_back(encode_forward(b));
                           return last;
                         }));
  }
  // The county's own records as one batch: the bundle is their proof, kept
  // once with them at the level above.
  std::vector<sync::Record> own;
  CHZ_TRY(walk_own(store, up, since.county, out.report,
                   [&](const std::vector<sync::Record>& batch) -> Result<std::int64_t> {
                     own.insert(own.end(), batch.begin(), batch.end());
                     return batch.back().meta.seq;
                   }));
  if (!own.empty()) frames.push_back(sync::encode_batch(own));
  put_u32(payload, frames.size());
  for (const auto& f : frames) {
    put_u32(payload, f.size());
    payload += f;
  }
  sync::BundleInfo info{std::string(kForwardBundle), up.identity, "city", now_ms,
                        json{{"frames", frames.size()}}.dump()};
  CHZ_ASSIGN_OR_RETURN(out.file, sync::seal_bundle(info, payload, up.secret, up.bundle_pub));
  return out;
}

Result<std::vector<std::string_view>> split_forward_payload(std::string_view p) {
  auto u32 = [&](std::size_t at) {
    std::uint32_t n = 0;
    for (std::size_t i = 0; i < 4; ++i) n = (n << 8) | static_cast<unsigned char>(p[at + i]);
    return static_cast<std::size_t>(n);
  };
  if (p.size() < 9 || p.substr(0, 4) != kForwardPayloadMagic || p[4] != 1)
    return malformed("not a forward bundle's payload");
  std::size_t count = u32(5), at = 9;
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < count; ++i) {
    if (p.size() - at < 4) return malformed("a forward bundle's frame is cut short");
    std::size_t n = u32(at);
    at += 4;
    if (p.size() - at < n) return malformed("a forward bundle's frame is cut short");
    std::string_view f = p.substr(at, n);
    if (f.substr(0, 4) != "CHZF" && f.substr(0, 4) != "CHZB")
      return malformed("a forward bundle holds an unknown frame");
    out.push_back(f);
    at += n;
  }
  if (at != p.size()) return malformed("a forward bundle has bytes after its frames");
  return out;
}

namespace {
constexpr std::string_view kCursorsFile = "upstream-cursors.json";
}

Result<Cursors> load_cursors(const std::filesystem::path& dir) {
  Cursors c;
  auto text = read_file(dir / kCursorsFile, 16u << 20);
  if (!text.ok())
    return text.status().code() == Code::kNotFound ? Result<Cursors>(c) : text.status();
  json j = json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("county") || !j["county"].is_number_integer() ||
      !j.contains("devices") || !j["devices"].is_object())
    return malformed((dir / kCursorsFile).string() + " is not a cursors file");
  c.county = j["county"].get<std::int64_t>();
  for (const auto& [id, v] : j["devices"].items())
    if (v.is_number_integer()) c.devices[id] = v.get<std::int64_t>();
  return c;
}

Status save_cursors(const std::filesystem::path& dir, const Cursors& c) {
  json j = {{"county", c.county}, {"devices", c.devices}};
  return write_file_atomic(dir / kCursorsFile, j.dump());
}

}  // namespace chz::server
