// The one route table of the county server, the one error handler and the
// one request log line. Handlers live in service.cpp.
#include "sync/server/routes.h"

#include <chrono>
#include <thread>

#include "common/log.h"
#include "sync/protocol/signing.h"

namespace chz::server {
namespace api = sync::api;

namespace {
// GET routes take no body; enrollment is unsigned (the one-time code
// authenticates it), so it gets a small cap of its own.
const Route kRoutes[] = {
    {"GET", api::kHealth, false, &Service::health, false, 0},
    {"GET", api::kTime, false, &Service::time, false, 0},
    {"POST", api::kEnroll, false, &Service::enroll, false, api::kMaxEnrollBytes},
    {"GET", api::kCursor, false, &Service::cursor, true, 0},
    {"POST", api::kUpload, false, &Service::upload, true, api::kMaxUploadBytes},
    {"GET", api::kFeed, false, &Service::feed, true, 0},
    {"GET", api::kContent, true, &Service::content, true, 0},
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

HttpResponse refusal(int status, std::string_view message) {
  std::string_view code = status == 404                    ? api::err::kNotFound
                          : status == 413 || status == 431 ? api::err::kTooLarge
                          : status == 400                  ? api::err::kMalformed
                          : status == 503                  ? api::err::kUnavailable
                                                           : api::err::kInternal;
  return {status, api::error_body(code, message), "application/json", {}, {}};
}

Outcome dispatch(const Route& route, Service& service, const HttpRequest& r,
                 const FaultHook& fault) {
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
    o.response = (service.*route.handler)(r);
    if (fa.duplicate) (service.*route.handler)(r);
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
