// The one route table of the county server, the one error handler and the
// one request log line. Handlers live in service.cpp.
#include "sync/server/routes.h"

#include <chrono>
#include <thread>

#include "common/log.h"

namespace chz::server {
namespace api = sync::api;

namespace {
struct Route {
  const char* method;
  const char* pattern;
  HttpResponse (Service::*handler)(const HttpRequest&);
};

const Route kRoutes[] = {
    {"GET", "/api/v1/health", &Service::health},
    {"GET", "/api/v1/time", &Service::time},
    {"POST", "/api/v1/enroll", &Service::enroll},
    {"GET", "/api/v1/cursor", &Service::cursor},
    {"POST", "/api/v1/upload", &Service::upload},
    {"GET", "/api/v1/feed", &Service::feed},
    {"GET", R"(/api/v1/content/[A-Za-z0-9._-]+)", &Service::content},
};

HttpRequest convert(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  r.target = req.target;
  r.body = req.body;
  for (const auto& [k, v] : req.params) r.params[k] = v;
  r.header = [&req](std::string_view name) { return req.get_header_value(std::string(name)); };
  return r;
}

void send(const HttpResponse& out, httplib::Response& res) {
  res.status = out.status;
  for (const auto& [k, v] : out.headers) res.set_header(k, v);
  res.set_content(out.body, out.content_type);
}

// Cuts the response: the content provider writes part of it and fails, so
// httplib closes the connection mid-response.
void cut(httplib::Response& res, std::string body) {
  auto data = std::make_shared<std::string>(std::move(body));
  std::size_t total = data->size() + 64;
  res.set_content_provider(total, "application/octet-stream",
                           [data](std::size_t, std::size_t, httplib::DataSink& sink) {
                             sink.write(data->data(), data->size() / 2);
                             return false;
                           });
}
}  // namespace

void install_routes(httplib::Server& srv, Service& service,
                    const std::function<FaultAction(const HttpRequest&)>& fault) {
  for (const auto& route : kRoutes) {
    auto h = [&service, route, fault](const httplib::Request& req, httplib::Response& res) {
      auto t0 = std::chrono::steady_clock::now();
      HttpRequest r = convert(req);
      FaultAction fa = fault ? fault(r) : FaultAction{};
      if (fa.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fa.delay_ms));
      if (fa.drop_before) return cut(res, "x");
      if (fa.status_before > 0) {
        res.status = fa.status_before;
        res.set_content(api::error_body(api::err::kUnavailable, "injected"), "application/json");
        return;
      }
      HttpResponse out = (service.*route.handler)(r);
      if (fa.duplicate) (service.*route.handler)(r);
      auto ms = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
      spdlog::debug("http method={} path={} status={} device={} bytes_in={} bytes_out={} us={}",
                    r.method, r.path, out.status, out.device, r.body.size(), out.body.size(), ms);
      if (fa.drop_after) return cut(res, out.body);
      send(out, res);
    };
    if (std::string_view(route.method) == "GET")
      srv.Get(route.pattern, h);
    else
      srv.Post(route.pattern, h);
  }
  // The one error handler: every failure the router or httplib produces
  // gets our JSON error body.
  srv.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler's own refusal: already JSON
    std::string_view code = res.status == 404   ? api::err::kNotFound
                            : res.status == 413 ? api::err::kTooLarge
                            : res.status == 400 ? api::err::kMalformed
                                                : api::err::kInternal;
    spdlog::info("http method={} path={} status={} refused={}", req.method, req.path, res.status,
                 code);
    res.set_content(api::error_body(code, "refused"), "application/json");
  });
  srv.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        spdlog::error("http method={} path={} internal error", req.method, req.path);
        res.status = 500;
        res.set_content(api::error_body(api::err::kInternal, "internal error"), "application/json");
      });
}

}  // namespace chz::server
