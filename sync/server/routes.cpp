// The one route table of the county server, the one error handler and the
// one request log line. Handlers live in service.cpp.
#include "sync/server/routes.h"

#include <chrono>
#include <thread>

#include "common/log.h"
#include "sync/protocol/signing.h"
#include "sync/server/dashboard.h"
#include "sync/server/upstream.h"

namespace chz::server {
namespace api = sync::api;

namespace {
template <HttpResponse (Service::*M)(const HttpRequest&)>
HttpResponse svc(Service& s, HttpRequest& r) {
  return (s.*M)(r);
}
template <HttpResponse (Dashboard::*M)(const HttpRequest&)>
HttpResponse dsh(Service& s, HttpRequest& r) {
  return (s.dashboard()->*M)(r);
}

using dash::Role;
constexpr dash::Roles kSignedIn = Role::kViewer | Role::kAdmin | Role::kSecurity | Role::kAudit;
constexpr dash::Roles kStats = Role::kViewer | Role::kAdmin;
constexpr dash::Roles kAdmin = static_cast<dash::Roles>(Role::kAdmin);
constexpr dash::Roles kSecurity = static_cast<dash::Roles>(Role::kSecurity);
constexpr dash::Roles kAudit = static_cast<dash::Roles>(Role::kAudit);
constexpr std::size_t kSmallJson = 16 << 10;
constexpr std::size_t kAdminUpload = 64 << 20;  // a county registry as XLSX; not the kiosks' cap

// GET routes take no body; enrollment is unsigned (the one-time code
// authenticates it), so it gets a small cap of its own. Dashboard routes
// (docs/dashboard.md) name the roles that may use them.
const Route kRoutes[] = {
    {"GET", api::kHealth, false, &svc<&Service::health>, false, 0},
    {"GET", api::kTime, false, &svc<&Service::time>, false, 0},
    {"POST", api::kEnroll, false, &svc<&Service::enroll>, false, api::kMaxEnrollBytes},
    {"GET", api::kCursor, false, &svc<&Service::cursor>, true, 0},
    {"POST", api::kUpload, false, &svc<&Service::upload>, true, api::kMaxUploadBytes},
    {"GET", api::kFeed, false, &svc<&Service::feed>, true, 0},
    {"GET", api::kContent, true, &svc<&Service::content>, true, 0},
    {"GET", api::kDeviceKeys, false, &svc<&Service::device_keys>, false, 0},
    {"GET", kForwardCursors, false, &svc<&Service::forward_cursors>, true, 0},
    {"POST", kForward, false, &svc<&Service::forward>, true, api::kMaxUploadBytes + (64 << 10)},
    {"GET", "/", false, &dsh<&Dashboard::page>, false, 0, 0, true},
    {"GET", "/index.html", false, &dsh<&Dashboard::page>, false, 0, 0, true},
    {"GET", "/dash/", true, &dsh<&Dashboard::file>, false, 0, 0, true},
    {"POST", "/api/v1/dash/login", false, &dsh<&Dashboard::login>, false, 4096, 0, true},
    {"POST", "/api/v1/dash/logout", false, &dsh<&Dashboard::logout>, false, kSmallJson, kSignedIn,
     true},
    {"GET", "/api/v1/dash/me", false, &dsh<&Dashboard::me>, false, 0, kSignedIn, true},
    {"GET", "/api/v1/dash/indicators", false, &dsh<&Dashboard::indicators>, false, 0, kStats, true},
    {"GET", "/api/v1/dash/report", false, &dsh<&Dashboard::report>, false, 0, kStats, true},
    {"GET", "/api/v1/dash/freshness", false, &dsh<&Dashboard::freshness>, false, 0, kStats, true},
    {"GET", "/api/v1/dash/targets", false, &dsh<&Dashboard::targets>, false, 0, kStats, true},
    {"POST", "/api/v1/dash/targets/set", false, &dsh<&Dashboard::target_set>, false, kSmallJson,
     kAdmin, true},
    {"POST", "/api/v1/dash/targets/clear", false, &dsh<&Dashboard::target_clear>, false, kSmallJson,
     kAdmin, true},
    {"GET", "/api/v1/dash/certificates/pending", false, &dsh<&Dashboard::pending>, false, 0, kAdmin,
     true},
    {"POST", "/api/v1/dash/certificates/confirm", false, &dsh<&Dashboard::confirm>, false,
     kSmallJson, kAdmin, true},
    {"POST", "/api/v1/dash/certificates/reject", false, &dsh<&Dashboard::reject>, false, kSmallJson,
     kAdmin, true},
    {"POST", "/api/v1/dash/certificates/annul", false, &dsh<&Dashboard::annul>, false, kSmallJson,
     kAdmin, true},
    {"GET", "/api/v1/dash/person", false, &dsh<&Dashboard::person>, false, 0, kAdmin, true},
    {"POST", "/api/v1/dash/registry/import", false, &dsh<&Dashboard::registry_import>, false,
     kAdminUpload, kAdmin, true},
    {"GET", "/api/v1/dash/users", false, &dsh<&Dashboard::users>, false, 0, kSecurity, true},
    {"POST", "/api/v1/dash/users/add", false, &dsh<&Dashboard::user_add>, false, kSmallJson,
     kSecurity, true},
    {"POST", "/api/v1/dash/users/reset", false, &dsh<&Dashboard::user_reset>, false, kSmallJson,
     kSecurity, true},
    {"POST", "/api/v1/dash/users/unlock", false, &dsh<&Dashboard::user_unlock>, false, kSmallJson,
     kSecurity, true},
    {"GET", "/api/v1/dash/audit", false, &dsh<&Dashboard::audit>, false, 0, kAudit, true},
    {"GET", "/api/v1/dash/alerts", false, &dsh<&Dashboard::alerts>, false, 0, kStats, true},
    {"GET", "/api/v1/dash/devices", false, &dsh<&Dashboard::devices>, false, 0, kAdmin, true},
    {"POST", "/api/v1/dash/devices/code", false, &dsh<&Dashboard::device_code>, false, kSmallJson,
     kAdmin, true},
    {"POST", "/api/v1/dash/devices/revoke", false, &dsh<&Dashboard::device_revoke>, false,
     kSmallJson, kAdmin, true},
    {"GET", "/verify", false, &dsh<&Dashboard::verify_page>, false, 0, 0, true},
    {"GET", "/api/v1/verify", false, &dsh<&Dashboard::verify>, false, 0, 0, true},
};

bool segment_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}
bool matches(const Route& r, std::string_view path) {
  if (!r.segment) return path == r.path;
  if (!path.starts_with(r.path) || path.size() == r.path.size()) return false;
  for (char c : path.substr(r.path.size()))
    if (!segment_char(c)) return false;
  return true;
}
}  // namespace

const Route* find_route(std::string_view method, std::string_view path) {
  for (const auto& r : kRoutes)
    if (r.method == method && matches(r, path)) return &r;
  return nullptr;
}

std::span<const Route> all_routes() {
  return kRoutes;
}

HttpResponse refusal(int status, std::string_view message) {
  std::string_view code = status == 404                    ? api::err::kNotFound
                          : status == 413 || status == 431 ? api::err::kTooLarge
                          : status == 400                  ? api::err::kMalformed
                          : status == 503                  ? api::err::kUnavailable
                                                           : api::err::kInternal;
  return {status, api::error_body(code, message), "application/json", {}, {}};
}

Outcome dispatch(const Route& route, Service& service, HttpRequest& r, const FaultHook& fault) {
  FaultAction fa = fault ? fault(r) : FaultAction{};
  if (fa.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fa.delay_ms));
  if (fa.drop_before) return {HttpResponse{200, "x", "application/octet-stream", {}, {}}, true};
  if (fa.status_before > 0)
    return {{fa.status_before,
             api::error_body(api::err::kUnavailable, "injected"),
             "application/json",
             {},
             {}}};
  Outcome o;
  try {
    if (route.dashboard) {
      if (!service.dashboard()) return {refusal(404, "no dashboard on this server")};
      if (route.roles != 0 && !service.dashboard()->authorize(r, route.roles, &o.response))
        return o;
    }
    o.response = route.handler(service, r);
    if (fa.duplicate) route.handler(service, r);
  } catch (const std::exception&) {
    o.response = refusal(500, "internal error");
  }
  o.cut = fa.drop_after;
  return o;
}

void log_request(const HttpRequest& r, const HttpResponse& out, std::size_t bytes_in,
                 std::int64_t micros) {
  // The device as stored when a handler knew it; otherwise what the
  // request claimed (escaped like every other field from outside).
  std::string device =
      out.device.empty() ? r.header ? r.header(sync::kHdrDevice) : std::string() : out.device;
  auto level = out.status < 400 ? spdlog::level::debug : spdlog::level::info;
  spdlog::log(level,
              "http peer={} method={} path={} status={} device={} bytes_in={} bytes_out={} us={}",
              r.peer, log_field(r.method, 16), log_field(r.path), out.status, log_field(device, 80),
              bytes_in, out.body.size(), micros);
}

}  // namespace chz::server
