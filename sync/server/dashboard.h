// The county dashboard's HTTP side (docs/dashboard.md): the page's files,
// sign-in and sessions, and the JSON API over the read model. The route
// table (routes.cpp) names each route's roles; dispatch asks authorize()
// before a handler runs, so a handler here can rely on its caller's role.
// Figures come from stats::compute and exports from the report writers,
// exactly as `chizheng-server report` makes them.
//
// Logins are the one slow thing here: each hashes a password (PBKDF2, about
// 0.3 s of one core). They run on a queue of their own (one thread, two
// waiting; beyond: 503) and at most kLoginsPerMinute per address (beyond:
// 429), so a flood of logins cannot starve the workers kiosks sync through.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "sync/server/county.h"
#include "sync/server/dashboard_auth.h"
#include "sync/server/service.h"
#include "sync/server/store.h"
#include "sync/server/worker_pool.h"

namespace chz::server {

struct DashboardOptions {
  std::string web_dir;  // the page's files; empty = no page (the API still answers)
  std::int64_t session_idle_ms = dash::kSessionIdleMs;
  // Addresses (a.b.c.d or a.b.c.d/n) from which the routes that a viewer
  // may not use are reachable; empty = from anywhere.
  std::vector<std::string> admin_allow;
  int logins_per_minute = 10;    // per address
  int verifies_per_minute = 60;  // per address
  // Alerts: the folder whose free space is watched and the server
  // certificate whose expiry is (both optional).
  std::string data_dir, cert_file;
  bool tls = true;  // the scheme kiosks reach this server by (USB enrollment files)
};

// OK iff `peer` is in one of `allow` (IPv4 a.b.c.d[/n], or an exact
// address of any kind); kInvalidArgument "dash.allow" for a malformed entry.
Result<bool> address_allowed(const std::vector<std::string>& allow, const std::string& peer);

class Dashboard {
 public:
  Dashboard(ServerStore& store, const CountyKeys& keys, const Clock& clock, DashboardOptions o);
  ~Dashboard();
  // Creates the dash_ tables and reads the page's files into memory.
  // kNotFound "dash.web" when web_dir is set but holds no index.html.
  Status init();

  // The session of `r` if its role is in `roles`, its address allowed, and
  // (for every method but GET) its X-CSRF-Token right; fills r.user and
  // r.role. Otherwise false with the refusal in `*refusal`.
  bool authorize(HttpRequest& r, dash::Roles roles, HttpResponse* refusal);

  HttpResponse page(const HttpRequest& r);  // "/" and "/index.html"
  HttpResponse file(const HttpRequest& r);  // "/dash/<name>"
  HttpResponse login(const HttpRequest& r);
  HttpResponse logout(const HttpRequest& r);
  HttpResponse me(const HttpRequest& r);
  HttpResponse indicators(const HttpRequest& r);
  HttpResponse report(const HttpRequest& r);
  HttpResponse freshness(const HttpRequest& r);
  // 目标完成: the year's targets, the table of how far each unit has come
  // (targets.h), and setting or withdrawing one (audited).
  HttpResponse targets(const HttpRequest& r);
  HttpResponse target_set(const HttpRequest& r);
  HttpResponse target_clear(const HttpRequest& r);
  HttpResponse pending(const HttpRequest& r);
  HttpResponse confirm(const HttpRequest& r);
  HttpResponse reject(const HttpRequest& r);
  HttpResponse registry_import(const HttpRequest& r);
  HttpResponse users(const HttpRequest& r);
  HttpResponse user_add(const HttpRequest& r);
  HttpResponse user_reset(const HttpRequest& r);
  HttpResponse user_unlock(const HttpRequest& r);
  HttpResponse audit(const HttpRequest& r);
  HttpResponse devices(const HttpRequest& r);
  HttpResponse device_code(const HttpRequest& r);
  HttpResponse device_revoke(const HttpRequest& r);
  HttpResponse alerts(const HttpRequest& r);
  HttpResponse person(const HttpRequest& r);
  HttpResponse annul(const HttpRequest& r);
  // Public: the /verify page and its API (no session; rate-limited per
  // address like sign-in, as it reads the store).
  HttpResponse verify_page(const HttpRequest& r);
  HttpResponse verify(const HttpRequest& r);

 private:
  // One of the page's HTML files (not cached by browsers), or 404.
  HttpResponse html(const std::string& name) const;
  // One model transaction; its failure as a response.
  Status tx(const std::function<Status(Sql&)>& fn);
  void audit_change(const HttpRequest& r, std::string_view what, const std::string& detail);
  // The per-address rates of sign-in and of /verify.
  bool login_allowed(const std::string& peer);
  bool verify_allowed(const std::string& peer);
  HttpResponse decide(const HttpRequest& r, std::string_view status);
  HttpResponse write_target(const HttpRequest& r, bool clear);

  ServerStore& store_;
  const CountyKeys& keys_;
  const Clock& clock_;
  DashboardOptions o_;
  std::map<std::string, std::string> files_;  // name → bytes
  std::unique_ptr<WorkerPool> hasher_;        // 1 thread, 2 waiting
  std::mutex rate_mu_;
  std::map<std::string, std::deque<std::int64_t>> attempts_;  // peer → login times
  std::map<std::string, std::deque<std::int64_t>> verifies_;  // peer → /verify times
};

}  // namespace chz::server
