// The county server's request handling without a socket: the input is one
// raw HTTP/1.1 request; Boost.Beast parses it as the front does, then the
// front's own fill_request (connection.h), find_route, the body cap, the
// header precheck of a signed request and dispatch (routes.h) run it
// against a real embedded store in a temp folder (one site, one enrolled
// device, one dashboard admin), and the request log line is written (to
// /dev/null). So every handler meets hostile paths, queries, headers and
// bodies: uploads (wire batches into the read model), feed, enrolment,
// the dashboard's JSON API, registry imports, /verify.
//
// Placeholders give the fuzzer what it cannot forge: "$SESSION" inside the
// Cookie header becomes the admin's session token, X-CSRF-Token
// "$CSRF" its token, and X-Chz-Signature "$SIGN" signs the request as the
// enrolled device "kiosk-fuzz" (fresh time and counter). Two requests are
// not run, as they would end the fuzzing of everything behind them: the
// admin session's logout, and revoking "kiosk-fuzz". A handler must
// never answer 500 (an exception escaped it) and every refusal carries the
// JSON error body of sync/protocol/api.h. CHZ_FUZZ_VERBOSE=1 prints each
// request's route and answer.
#include <stdlib.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "common/log.h"
#include "sync/protocol/api.h"
#include "sync/protocol/box.h"
#include "sync/protocol/signing.h"
#include "sync/server/connection.h"
#include "sync/server/county_data.h"
#include "sync/server/dashboard.h"
#include "sync/server/dashboard_auth.h"
#include "sync/server/routes.h"
#include "sync/server/service.h"
#include "sync/server/sql.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;
namespace http = boost::beast::http;

namespace {

constexpr std::string_view kDevice = "kiosk-fuzz";

struct World {
  std::string dir;
  SystemClock clock;
  server::CountyKeys keys;
  std::unique_ptr<server::ServerStore> store;
  std::unique_ptr<server::Service> svc;
  std::unique_ptr<server::Dashboard> dash;
  std::string cookie, csrf;
  Key32 device_secret = fuzz::fixed_key("kiosk");
  std::int64_t counter = 0;
};

#define SETUP_CHECK(expr)                                                    \
  do {                                                                       \
    auto&& st_ = (expr);                                                     \
    if (!st_.ok()) {                                                         \
      std::fprintf(stderr, "server_request_fuzz setup: %s failed\n", #expr); \
      std::abort();                                                          \
    }                                                                        \
  } while (0)

World* make_world() {
  auto* w = new World;  // lives until exit; the folder goes at exit
  std::string tmpl = (std::filesystem::temp_directory_path() / "chz-fuzz-server-XXXXXX").string();
  FUZZ_CHECK(::mkdtemp(tmpl.data()) != nullptr);
  w->dir = tmpl;
  static std::string to_remove = w->dir;
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(to_remove, ec);
  });
  SETUP_CHECK(init_logging("debug", "/dev/null"));
  std::int64_t now = w->clock.now_ms();
  auto keys = server::make_county_keys("示范县人社局", {"127.0.0.1"}, now);
  SETUP_CHECK(keys);
  w->keys = *keys;
  auto store = server::open_sqlite_store(w->dir + "/county");
  SETUP_CHECK(store);
  w->store = std::move(*store);
  SETUP_CHECK(w->store->add_site("site-a", "城关镇农民夜校", "城关镇"));
  w->svc = std::make_unique<server::Service>(*w->store, w->keys, w->clock);
  server::DashboardOptions o;
  o.tls = false;
  o.verifies_per_minute = 1 << 30;  // the fuzzer is one address; keep /verify reachable
  // Sign-in keeps its limit: a wrong password costs 0.3 s of PBKDF2.
  w->dash = std::make_unique<server::Dashboard>(*w->store, w->keys, w->clock, o);
  SETUP_CHECK(w->dash->init());
  w->svc->set_dashboard(w->dash.get());
  SETUP_CHECK(w->store->model([&](server::ModelTx& tx) {
    return server::dash::add_user(tx.sql(), "admin1", server::dash::Role::kAdmin,
                                  server::dash::hash_password("Huangtu-2026!", 1000), now);
  }));
  // The device, enrolled through the store as the enroll handler does.
  auto code = server::issue_code(*w->store, "site-a", 3600'000, now);
  SETUP_CHECK(code);
  server::DeviceRow d;
  d.id = std::string(kDevice);
  d.site = "site-a";
  d.pub = ed25519_public_from_secret(w->device_secret).value();
  d.box_pub = sync::x25519_public_from_secret(fuzz::fixed_key("kiosk-box")).value();
  d.enrolled_ms = now;
  SETUP_CHECK(w->store->enroll_device(sync::api::code_id(sync::api::normalize_code(*code)), now, d)
                  .status());
  // The admin's session, from the login route (another address than the
  // fuzzer's, so its sign-in rate is not spent).
  server::HttpRequest login;
  login.method = "POST";
  login.path = login.target = "/api/v1/dash/login";
  login.body = R"({"name":"admin1","password":"Huangtu-2026!"})";
  login.peer = "127.0.0.2";
  login.header = [](std::string_view) { return std::string(); };
  auto out = server::dispatch(*server::find_route("POST", login.path), *w->svc, login, {});
  FUZZ_CHECK(out.response.status == 200);
  for (const auto& [k, v] : out.response.headers)
    if (k == "Set-Cookie" && v.starts_with("chz_session="))
      w->cookie = v.substr(12, v.find(';') - 12);  // the token
  w->csrf = nlohmann::json::parse(out.response.body).at("csrf").get<std::string>();
  FUZZ_CHECK(!w->cookie.empty() && !w->csrf.empty());
  return w;
}

World& world() {
  static World* w = make_world();
  return *w;
}

std::string replace_all(std::string s, std::string_view from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  http::request_parser<http::string_body> p;
  p.header_limit(16 << 10);  // ServerOptions::max_header_bytes
  p.body_limit(64u << 20);   // the largest route cap
  p.eager(true);
  boost::beast::error_code ec;
  std::size_t used = p.put(boost::asio::buffer(data, size), ec);
  (void)used;
  if (ec || !p.is_done()) return 0;  // the front answers 400/431 or waits for more

  server::HttpRequest r;
  r.peer = "127.0.0.1";
  server::fill_request(r, p.get());
  r.body = p.get().body();
  auto plain = r.header;
  bool sign = plain(sync::kHdrSignature) == "$SIGN";
  sync::RequestAuth auth;
  if (sign) {
    auth = sync::sign_request(w.device_secret, kDevice, r.method, r.target, w.clock.now_ms(),
                              ++w.counter, r.body)
               .value();
  }
  r.header = [plain, sign, auth, &w](std::string_view name) -> std::string {
    if (sign) {
      if (name == sync::kHdrDevice) return auth.device;
      if (name == sync::kHdrTime) return std::to_string(auth.time_ms);
      if (name == sync::kHdrCounter) return std::to_string(auth.counter);
      if (name == sync::kHdrSignature) return auth.signature;
    }
    std::string v = plain(name);
    if (name == "Cookie") return replace_all(v, "$SESSION", w.cookie);
    if (name == "X-CSRF-Token" && v == "$CSRF") return w.csrf;
    return v;
  };

  const server::Route* route = server::find_route(r.method, r.path);
  if (route && route->path == "/api/v1/dash/logout" &&
      r.header("Cookie").find(w.cookie) != std::string::npos)
    return 0;
  if (route && route->path == "/api/v1/dash/devices/revoke") {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_object() && j.contains("device") && j["device"].is_string() &&
        j["device"].get<std::string>() == kDevice)
      return 0;
  }
  server::HttpResponse out;
  if (!route) {
    out = server::refusal(404, "no such route");
  } else if (!r.body.empty() && route->body_cap == 0) {
    out = server::refusal(400, "this request takes no body");
  } else if (r.body.size() > route->body_cap) {
    out = server::refusal(413, "body too large");
  } else if (route->is_signed && !r.body.empty() && !w.svc->precheck(r, &out).ok()) {
    FUZZ_CHECK(out.status >= 400);
  } else {
    out = server::dispatch(*route, *w.svc, r, {}).response;
  }
  static const bool verbose = std::getenv("CHZ_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "%s %s -> %d %.120s\n", r.method.c_str(), r.path.c_str(), out.status,
                 out.content_type == "application/json" ? out.body.c_str() : "");
  FUZZ_CHECK(out.status != 500);
  FUZZ_CHECK(out.status >= 200 && out.status < 600);
  if (out.status >= 400 && out.content_type == "application/json") {
    auto j = nlohmann::json::parse(out.body, nullptr, false);
    FUZZ_CHECK(j.is_object() && j.contains("error") && j["error"].is_string());
  }
  server::log_request(r, out, r.body.size(), 0);
  return 0;
}
