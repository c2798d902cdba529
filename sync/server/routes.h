// The one route table of the county server (method, path, handler, signed
// or not, body cap), the one error handler and the one request log line.
// The HTTP front (server.cpp, connection.cpp) asks it what to do; nothing
// here knows the HTTP library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "sync/server/dashboard_auth.h"
#include "sync/server/server.h"

namespace chz::server {

struct Route {
  std::string_view method;
  std::string_view path;  // exact; or, when `segment`, a prefix + one [A-Za-z0-9._-]+
  bool segment;
  HttpResponse (*handler)(Service&, HttpRequest&);
  bool is_signed;        // signed by the device: headers pre-checked before the body
  std::size_t body_cap;  // largest body in bytes; 0 = none allowed
  // Dashboard routes: the roles whose session may use it (0 = no session
  // needed: the page's files and sign-in). Answered 404 when the server
  // runs without a dashboard.
  dash::Roles roles = 0;
  bool dashboard = false;
};

// The route for `method` and the decoded `path`, or nullptr (404).
const Route* find_route(std::string_view method, std::string_view path);
// Every route, in table order (`chizheng-server routes`, tests).
std::span<const Route> all_routes();

// The one error handler: a refusal the front produces itself (400, 404,
// 413, 503...), with the JSON error body of sync::api.
HttpResponse refusal(int status, std::string_view message);

// What the front writes back: the response, or a cut one (fault seam).
struct Outcome {
  HttpResponse response;
  bool cut = false;  // write the headers and half the body, then close
};

// Runs `route`'s handler for `r` through the fault seam (blocking: call it
// on a worker thread).
// Dashboard routes with roles are authorized first (Dashboard::authorize,
// which fills r.user and r.role).
Outcome dispatch(const Route& route, Service& service, HttpRequest& r, const FaultHook& fault);

// The one request log line, for every request answered or refused. Every
// field that comes from the request is escaped and capped (log_field).
void log_request(const HttpRequest& r, const HttpResponse& out, std::size_t bytes_in,
                 std::int64_t micros);

}  // namespace chz::server
