#include "sync/server/service.h"

#include <nlohmann/json.hpp>

#include <charconv>

#include "common/log.h"
#include "sync/protocol/bundle.h"
#include "sync/protocol/proof.h"
#include "sync/protocol/signing.h"
#include "sync/protocol/wire.h"
#include "sync/server/upstream.h"
#include "sync/server/verify.h"

namespace chz::server {
namespace api = sync::api;
using nlohmann::json;

namespace {
Status refuse(Code c, std::string_view err, std::string msg) {
  return Status(c, std::move(msg), "sync." + std::string(err));
}
bool to_int(std::string_view s, std::int64_t* v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}
Result<Key32> key_hex(std::string_view h) {
  auto b = unhex(h);
  if (!b.ok() || b->size() != 32)
    return refuse(Code::kInvalidArgument, api::err::kMalformed, "bad key");
  Key32 k;
  std::copy(b->begin(), b->end(), k.begin());
  return k;
}
HttpResponse ok_json(const json& j) {
  return {200, j.dump(), "application/json", {}, {}};
}
}  // namespace

HttpResponse error_response(const Status& st) {
  auto code = api::error_code(st);
  return {api::http_status(code), api::error_body(code, st.message()), "application/json", {}, {}};
}

HttpResponse Service::health(const HttpRequest&) {
  return ok_json({{"ok", true}, {"version", api::kVersion}});
}
HttpResponse Service::time(const HttpRequest&) {
  return ok_json({{"now_ms", clock_.now_ms()}});
}

HttpResponse Service::enroll(const HttpRequest& r) {
  auto req = api::parse_enroll_request(r.body);
  if (!req.ok()) return error_response(req.status());
  auto bad = [] {
    return error_response(
        refuse(Code::kUnauthenticated, api::err::kBadCode, "enrollment code not valid"));
  };
  auto code = store_.code(req->code_id);
  if (!code.ok()) return bad();
  std::int64_t now = clock_.now_ms();
  if (code->used || code->expires_ms <= now) return bad();
  Key32 mac = hmac_sha256(code->key, as_bytes(api::enroll_request_mac_input(*req)));
  auto got = unhex(req->mac);
  if (!got.ok() || !equal_ct(mac, *got)) return bad();
  auto pub = key_hex(req->device_pub);
  auto box = key_hex(req->box_pub);
  if (!pub.ok() || !box.ok() || req->device_id.empty() || req->device_id == "county")
    return error_response(refuse(Code::kInvalidArgument, api::err::kMalformed, "bad device keys"));
  // A code made for a county (at a city) enrolls that county's identity
  // only; a kiosk's code never enrolls a name a county goes by.
  bool county_code = code->site.rfind("county:", 0) == 0;
  if (county_code ? req->device_id != county_identity(code->site.substr(7))
                  : req->device_id.rfind("county", 0) == 0)
    return error_response(refuse(Code::kInvalidArgument, api::err::kMalformed,
                                 "this code is not for a device of that name"));
  DeviceRow d{req->device_id, code->site, *pub, *box, false, 0, now};
  auto number = store_.enroll_device(req->code_id, now, d);
  if (!number.ok()) return error_response(number.status());
  api::EnrollResponse resp;
  resp.site_id = code->site;
  resp.site_name = store_.site_name(code->site).ok() ? *store_.site_name(code->site) : code->site;
  resp.ca_pem = keys_.ca_pem;
  resp.content_pub = hex(keys_.content_pub);
  auto sealed = api::seal_small(code->key, keys_.person_key);
  if (!sealed.ok()) return error_response(sealed.status());
  resp.person_key_sealed = hex(*sealed);
  resp.bundle_pub = hex(keys_.bundle_pub);
  auto dk = store_.device_keys();
  if (dk.ok()) resp.device_keys = *dk;
  resp.server_time_ms = now;
  // The parts of the kiosk's certificate numbers; a county.json made
  // before area codes names none, and its kiosks keep the old numbers.
  resp.area_code = keys_.area_code;
  resp.device_number = *number;
  resp.mac = hex(hmac_sha256(code->key, as_bytes(api::enroll_response_mac_input(resp))));
  spdlog::info("enrolled device={} site={} number={:03}", d.id, d.site, *number);
  HttpResponse out = ok_json(json::parse(api::to_json(resp)));
  out.device = d.id;
  return out;
}

namespace {
// The four signing headers, or "request is not signed".
Result<sync::RequestAuth> auth_headers(const HttpRequest& r) {
  sync::RequestAuth a;
  a.device = r.header(sync::kHdrDevice);
  a.signature = r.header(sync::kHdrSignature);
  if (a.device.empty() || !to_int(r.header(sync::kHdrTime), &a.time_ms) ||
      !to_int(r.header(sync::kHdrCounter), &a.counter) || a.signature.empty())
    return refuse(Code::kUnauthenticated, api::err::kBadSignature, "request is not signed");
  return a;
}
Status fresh(const sync::RequestAuth& a, std::int64_t now) {
  if (a.time_ms < now - api::kMaxSkewMs || a.time_ms > now + api::kMaxSkewMs)
    return refuse(Code::kUnauthenticated, api::err::kStaleTimestamp,
                  "request time too far from server time");
  return OkStatus();
}
// A replay refusal tells the device its last accepted counter.
HttpResponse replay_refusal(const Status& st, const std::string& device, std::int64_t last) {
  HttpResponse out = error_response(st);
  out.headers.emplace_back(api::kHdrLastCounter, std::to_string(last));
  out.device = device;
  return out;
}
}  // namespace

Status Service::precheck(const HttpRequest& r, HttpResponse* refusal) {
  auto fail = [&](const Status& st) {
    *refusal = error_response(st);
    return st;
  };
  auto a = auth_headers(r);
  if (!a.ok()) return fail(a.status());
  auto d = store_.device(a->device);
  if (!d.ok()) return fail(d.status());
  if (d->revoked)
    return fail(refuse(Code::kPermissionDenied, api::err::kRevoked, "device revoked"));
  if (Status st = fresh(*a, clock_.now_ms()); !st.ok()) return fail(st);
  if (a->counter <= d->last_counter) {
    Status st = refuse(Code::kUnauthenticated, api::err::kReplayed,
                       "replayed request (counter not above the last)");
    *refusal = replay_refusal(st, d->id, d->last_counter);
    return st;
  }
  return OkStatus();
}

Result<DeviceRow> Service::authenticate(const HttpRequest& r, HttpResponse* refusal) {
  CHZ_ASSIGN_OR_RETURN(sync::RequestAuth a, auth_headers(r));
  CHZ_ASSIGN_OR_RETURN(DeviceRow d, store_.device(a.device));
  CHZ_TRY(sync::verify_request(d.pub, a, r.method, r.target, r.body));
  if (d.revoked) return refuse(Code::kPermissionDenied, api::err::kRevoked, "device revoked");
  CHZ_TRY(fresh(a, clock_.now_ms()));
  std::int64_t last = 0;
  Status st = store_.bump_counter(d.id, a.counter, clock_.now_ms(), &last);
  if (!st.ok()) {
    *refusal = replay_refusal(st, d.id, last);
    return st;
  }
  return d;
}

#define CHZ_AUTH(dev, r)                 \
  HttpResponse refusal_;                 \
  auto dev = authenticate(r, &refusal_); \
  if (!dev.ok()) return refusal_.status != 200 ? refusal_ : error_response(dev.status())

HttpResponse Service::cursor(const HttpRequest& r) {
  CHZ_AUTH(d, r);
  HttpResponse out =
      ok_json({{"cursor", d->cursor}, {"site", d->site}, {"now_ms", clock_.now_ms()}});
  out.device = d->id;
  return out;
}

Result<std::int64_t> Service::ingest_wire(const DeviceRow& d, std::string_view wire,
                                          const sync::Proof* proof) {
  if (wire.size() > api::kMaxUploadBytes)
    return refuse(Code::kTooLarge, api::err::kTooLarge, "batch too large");
  CHZ_ASSIGN_OR_RETURN(auto recs, sync::decode_batch(wire));
  if (recs.size() > api::kMaxUploadRecords)
    return refuse(Code::kTooLarge, api::err::kTooLarge, "batch has too many records");
  for (std::size_t i = 0; i < recs.size(); ++i) {
    if (recs[i].meta.origin_device != d.id)
      return refuse(Code::kPermissionDenied, api::err::kForeignRecord,
                    "a device may upload only its own records");
    if (recs[i].meta.seq < 1 || (i > 0 && recs[i].meta.seq != recs[i - 1].meta.seq + 1))
      return refuse(Code::kInvalidArgument, api::err::kMalformed,
                    "records must be in consecutive seq order");
  }
  if (recs.empty()) return d.cursor;
  std::int64_t now = clock_.now_ms();
  auto cur = store_.ingest(d, recs, now, wire, proof);
  if (!cur.ok() && cur.status().key() == "sync.conflict") {
    store_.record_fault({d.id, recs.front().meta.seq, "conflict", now}).ignore();
    spdlog::warn("fault device={} first_seq={} what=conflict", d.id, recs.front().meta.seq);
  }
  return cur;
}

HttpResponse Service::upload(const HttpRequest& r) {
  if (r.body.size() > api::kMaxUploadBytes)
    return error_response(refuse(Code::kTooLarge, api::err::kTooLarge, "batch too large"));
  CHZ_AUTH(d, r);
  // authenticate() checked these headers; they are kept as the batch's proof.
  auto a = auth_headers(r);
  sync::Proof proof = sync::request_proof(*a, r.method, r.target, r.body);
  auto cur = ingest_wire(*d, r.body, &proof);
  HttpResponse out = cur.ok() ? ok_json({{"cursor", *cur}}) : error_response(cur.status());
  out.device = d->id;
  return out;
}

HttpResponse Service::feed(const HttpRequest& r) {
  CHZ_AUTH(d, r);
  std::int64_t after = 0, limit = 1000;
  auto p = [&](const char* k) {
    auto it = r.params.find(k);
    return it == r.params.end() ? std::string() : it->second;
  };
  if ((!p("after").empty() && !to_int(p("after"), &after)) ||
      (!p("limit").empty() && !to_int(p("limit"), &limit)) || after < 0 || limit < 1)
    return error_response(
        refuse(Code::kInvalidArgument, api::err::kMalformed, "bad feed parameters"));
  if (!p("site").empty() && p("site") != d->site)
    return error_response(refuse(Code::kPermissionDenied, api::err::kWrongSite,
                                 "a device reads only its site's feed"));
  limit = std::min<std::int64_t>(limit, static_cast<std::int64_t>(api::kMaxFeedPage));
  auto page = store_.feed(d->site, d->id, after, static_cast<std::size_t>(limit));
  if (!page.ok()) return error_response(page.status());
  HttpResponse out{200, sync::encode_batch(page->records), "application/octet-stream", {}, d->id};
  out.headers.emplace_back(api::kHdrNextCursor, std::to_string(page->next_cursor));
  out.headers.emplace_back(api::kHdrMore, page->more ? "1" : "0");
  return out;
}

HttpResponse Service::device_keys(const HttpRequest&) {
  auto doc = device_keys_document(store_);
  if (!doc.ok()) return error_response(doc.status());
  return {200, *doc, "application/json", {{"Cache-Control", "max-age=60"}}, {}};
}

HttpResponse Service::content(const HttpRequest& r) {
  CHZ_AUTH(d, r);
  auto c = store_.content(r.path.substr(api::kContent.size()));
  if (!c.ok())
    return error_response(refuse(Code::kNotFound, api::err::kNotFound, "no such content package"));
  return {200, std::move(*c), "application/octet-stream", {}, d->id};
}

namespace {
// The area code of a county's identity, or "" for anything else.
std::string county_area(const DeviceRow& d) {
  return d.site.rfind("county:", 0) == 0 ? d.site.substr(7) : std::string();
}
Status not_a_county() {
  return refuse(Code::kPermissionDenied, api::err::kForeignRecord, "only a county forwards");
}
}  // namespace

HttpResponse Service::forward_cursors(const HttpRequest& r) {
  CHZ_AUTH(d, r);
  std::string area = county_area(*d);
  if (area.empty()) return error_response(not_a_county());
  auto all = store_.devices();
  if (!all.ok()) return error_response(all.status());
  json devs = json::object();
  for (const auto& x : *all)
    if (placed_under(area, x.site)) devs[x.id] = x.cursor;
  HttpResponse out = ok_json({{"county", d->cursor}, {"devices", devs}});
  out.device = d->id;
  return out;
}

HttpResponse Service::forward(const HttpRequest& r) {
  if (r.body.size() > api::kMaxUploadBytes + (64u << 10))
    return error_response(refuse(Code::kTooLarge, api::err::kTooLarge, "batch too large"));
  CHZ_AUTH(d, r);
  auto fwd = forward_batch(*d, r.body);
  HttpResponse out = fwd.ok() ? ok_json({{"cursor", fwd->cursor}}) : error_response(fwd.status());
  out.device = d->id;
  return out;
}

Result<Service::Forwarded> Service::forward_batch(const DeviceRow& county, std::string_view frame) {
  std::string area = county_area(county);
  if (area.empty()) return not_a_county();
  CHZ_ASSIGN_OR_RETURN(ForwardedBatch b, decode_forward(frame));
  std::string site = placed_site(area, b.device.id, b.device.site);
  if (site.empty())
    return refuse(Code::kInvalidArgument, api::err::kMalformed,
                  "not a kiosk of this county, nor a county below this city");
  auto held = store_.device(b.device.id);
  if (held.ok()) {
    // A kiosk belongs to the county that enrolled it, and keeps its key.
    if (held->site != site)
      return refuse(Code::kPermissionDenied, api::err::kForeignRecord,
                    "that kiosk belongs to another county or site");
    if (held->pub != b.device.pub)
      return refuse(Code::kConflict, api::err::kConflict, "that kiosk's key differs");
  }
  // The kiosk's own signature, checked before anything is registered: a
  // county forwards what its kiosks signed and cannot make it up, and a
  // refused batch leaves nothing behind.
  CHZ_ASSIGN_OR_RETURN(std::string wire, sync::verified_batch(b.proof, b.device.pub));
  // A county's own records that reached the city on a stick: the proof is
  // the county's forward bundle, and the records its one CHZB frame.
  if (wire.rfind(kForwardPayloadMagic, 0) == 0) {
    CHZ_ASSIGN_OR_RETURN(auto frames, split_forward_payload(wire));
    std::string own;
    for (std::string_view f : frames)
      if (f.substr(0, 4) == "CHZB") own = std::string(f);
    if (own.empty()) return refuse(Code::kInvalidArgument, api::err::kMalformed, "no records");
    wire = std::move(own);
  }
  if (!held.ok()) {
    if (!store_.site_name(site).ok())
      CHZ_TRY(store_.add_site(site, b.site_name.empty() ? b.device.site : b.site_name, b.township));
    DeviceRow nd = b.device;
    nd.site = site;
    nd.revoked = false;
    CHZ_TRY(store_.add_forwarded_device(nd));
  }
  CHZ_ASSIGN_OR_RETURN(DeviceRow dev, store_.device(b.device.id));
  CHZ_ASSIGN_OR_RETURN(std::int64_t cursor, ingest_wire(dev, wire, &b.proof));
  if (b.device.revoked && !dev.revoked) CHZ_TRY(store_.revoke_device(dev.id));
  return Forwarded{cursor, std::max<std::int64_t>(0, cursor - (held.ok() ? held->cursor : 0))};
}

Result<std::int64_t> Service::import_device_bundle(std::string_view file) {
  CHZ_ASSIGN_OR_RETURN(auto info, sync::peek_bundle(file));
  if (info.kind != "device")
    return refuse(Code::kInvalidArgument, api::err::kMalformed, "not a device bundle");
  CHZ_ASSIGN_OR_RETURN(DeviceRow d, store_.device(info.from));
  if (d.revoked) return refuse(Code::kPermissionDenied, api::err::kRevoked, "device revoked");
  Key32 key{};
  CHZ_ASSIGN_OR_RETURN(std::string wire,
                       sync::open_bundle(file, d.pub, keys_.bundle_secret, nullptr, &key));
  sync::Proof proof = sync::bundle_proof(d.id, file, key);
  return ingest_wire(d, wire, &proof);
}

Result<ForwardImport> Service::import_forward_bundle(std::string_view file) {
  CHZ_ASSIGN_OR_RETURN(auto info, sync::peek_bundle(file));
  if (info.kind != kForwardBundle)
    return refuse(Code::kInvalidArgument, api::err::kMalformed, "not a county's forward bundle");
  auto d = store_.device(info.from);
  if (!d.ok() || county_area(*d).empty()) return not_a_county();
  if (d->revoked) return refuse(Code::kPermissionDenied, api::err::kRevoked, "county revoked");
  Key32 key{};
  CHZ_ASSIGN_OR_RETURN(std::string payload,
                       sync::open_bundle(file, d->pub, keys_.bundle_secret, nullptr, &key));
  CHZ_ASSIGN_OR_RETURN(auto frames, split_forward_payload(payload));
  ForwardImport out;
  for (std::string_view f : frames) {
    if (f.substr(0, 4) == "CHZF") {
      CHZ_ASSIGN_OR_RETURN(Forwarded fwd, forward_batch(*d, f));
      out.device_records += fwd.taken;
      ++out.batches;
    } else {
      // The county's own records: the bundle, signed by the county's
      // identity, is their proof.
      sync::Proof proof = sync::bundle_proof(d->id, file, key);
      CHZ_ASSIGN_OR_RETURN(DeviceRow now, store_.device(d->id));
      CHZ_ASSIGN_OR_RETURN(std::int64_t cur, ingest_wire(now, f, &proof));
      out.county_records += std::max<std::int64_t>(0, cur - now.cursor);
    }
  }
  spdlog::info("imported forward bundle from={} batches={} device_records={} county_records={}",
               d->id, out.batches, out.device_records, out.county_records);
  return out;
}

Result<std::string> Service::export_site_bundle(const std::string& device, std::int64_t after) {
  CHZ_ASSIGN_OR_RETURN(DeviceRow d, store_.device(device));
  std::vector<sync::Record> all;
  std::int64_t cur = after;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(FeedPage p, store_.feed(d.site, d.id, cur, api::kMaxFeedPage));
    all.insert(all.end(), p.records.begin(), p.records.end());
    cur = p.next_cursor;
    if (!p.more) break;
  }
  sync::BundleInfo info{
      "site", "county", d.id, clock_.now_ms(),
      json{{"ack", d.cursor}, {"feed", std::to_string(cur)}, {"site", d.site}}.dump()};
  return sync::seal_bundle(info, sync::encode_batch(all), keys_.content_secret, d.box_pub);
}

}  // namespace chz::server
