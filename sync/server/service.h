// The server's request handling, independent of the HTTP library: each
// handler takes a parsed request and returns a response. Stateless: all
// state is in the ServerStore, so several processes can share one database.
// routes.cpp maps paths to these handlers (the one route table).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "sync/server/county.h"
#include "sync/server/store.h"

namespace chz::server {

struct HttpRequest {
  std::string method;
  std::string path;    // without the query
  std::string target;  // path + "?" + query as sent (what the device signed)
  std::string body;
  std::map<std::string, std::string> params;
  std::function<std::string(std::string_view)> header;  // "" if absent
  std::string peer;  // the socket peer's address (no forwarding header is trusted)
  // Dashboard routes: the signed-in user and role, filled by dispatch
  // (Dashboard::authorize) before the handler runs.
  std::string user, role;
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string device;  // for the log line (never personal data)
};

// A refusal as a response: HTTP status and error body from the Status key.
HttpResponse error_response(const Status& st);

class Dashboard;

struct ForwardImport {
  std::int64_t batches = 0, device_records = 0, county_records = 0;
};

class Service {
 public:
  Service(ServerStore& store, const CountyKeys& keys, const Clock& clock)
      : store_(store), keys_(keys), clock_(clock) {}

  HttpResponse health(const HttpRequest& r);
  HttpResponse time(const HttpRequest& r);
  HttpResponse enroll(const HttpRequest& r);
  HttpResponse cursor(const HttpRequest& r);
  HttpResponse upload(const HttpRequest& r);
  HttpResponse feed(const HttpRequest& r);
  HttpResponse content(const HttpRequest& r);
  HttpResponse device_keys(const HttpRequest& r);
  // At a city (or province): what counties forward (upstream.h).
  HttpResponse forward(const HttpRequest& r);
  HttpResponse forward_cursors(const HttpRequest& r);
  // One forwarded kiosk batch (a CHZF frame) from `county`, as POST
  // /api/v1/forward takes it: the kiosk's cursor at this level after it,
  // and how many of its records were new here.
  struct Forwarded {
    std::int64_t cursor = 0, taken = 0;
  };
  Result<Forwarded> forward_batch(const DeviceRow& county, std::string_view frame);
  // A county's forward bundle from a USB stick (upstream.h): signed by the
  // county's identity, encrypted to this server; each kiosk batch in it
  // goes through forward_batch, the county's own records are ingested under
  // its identity with the bundle kept as their proof. Idempotent.
  Result<ForwardImport> import_forward_bundle(std::string_view file);

  // Checks a batch of `device`'s records and stores it (upload and USB share
  // this). Returns the device's new cursor.
  Result<std::int64_t> ingest_wire(const DeviceRow& device, std::string_view wire,
                                   const sync::Proof* proof = nullptr);
  // Verifies, decrypts and ingests a device's USB bundle.
  Result<std::int64_t> import_device_bundle(std::string_view file);
  // The site bundle for `device`: its site's feed after `after`, the
  // device's acknowledged cursor; signed by the county, encrypted to the device.
  Result<std::string> export_site_bundle(const std::string& device, std::int64_t after);

  // The checks of a signed request that need only its headers, run before
  // its body is read: signing headers present, the device known and not
  // revoked, the time fresh, the counter above the last accepted one
  // (compared, not consumed). OK, or the refusal in `*refusal`. The
  // signature covers the body, so the handler's authenticate() still
  // verifies it (and takes the counter) once the body is in.
  Status precheck(const HttpRequest& r, HttpResponse* refusal);

  ServerStore& store() { return store_; }
  // The dashboard's routes answer 404 until one is set (serve sets it).
  void set_dashboard(Dashboard* d) { dashboard_ = d; }
  Dashboard* dashboard() { return dashboard_; }
  const CountyKeys& keys() const { return keys_; }

 private:
  // Signature, device state, timestamp and replay counter, in that order.
  Result<DeviceRow> authenticate(const HttpRequest& r, HttpResponse* refusal);

  ServerStore& store_;
  const CountyKeys& keys_;
  const Clock& clock_;
  Dashboard* dashboard_ = nullptr;
};

}  // namespace chz::server
