#include "sync/server/dashboard.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/statvfs.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>

#include <stdlib.h>

#include "common/crypto.h"
#include "common/fs.h"
#include "common/log.h"
#include "sync/server/certificates.h"
#include "sync/server/county_data.h"
#include "sync/server/indicators.h"
#include "sync/server/person_lookup.h"
#include "sync/server/registry_import.h"
#include "sync/server/report_table.h"
#include "sync/server/targets.h"
#include "sync/server/upstream.h"
#include "sync/server/verify.h"

namespace chz::server {
namespace {
using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view kCookie = "chz_session";

HttpResponse json_response(int status, const json& j) {
  return {status,
          j.dump(-1, ' ', false, json::error_handler_t::replace),
          "application/json",
          {{"Cache-Control", "no-store"}},
          {}};
}
HttpResponse fail(int status, std::string_view code, std::string_view message) {
  return json_response(status, {{"error", code}, {"message", message}});
}
// A Status from the store or the read model as a response.
HttpResponse fail(const Status& st) {
  switch (st.code()) {
    case Code::kInvalidArgument:
    case Code::kOutOfRange:
      return fail(400, "malformed", st.message());
    case Code::kNotFound:
      return fail(404, "not_found", st.message());
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kFailedPrecondition:
      return fail(409, "conflict", st.message());
    case Code::kTampered:
      return fail(409, "tampered", st.message());
    case Code::kTooLarge:
      return fail(413, "too_large", st.message());
    case Code::kUnauthenticated:
      return fail(401, "auth", st.message());
    case Code::kPermissionDenied:
      return fail(403, "forbidden", st.message());
    case Code::kUnavailable:
      return fail(503, "unavailable", st.message());
    default:
      return fail(500, "internal", "internal error");
  }
}

Result<json> body_json(const HttpRequest& r) {
  json j = json::parse(r.body, nullptr, false);
  if (!j.is_object()) return Status(Code::kInvalidArgument, "the body is not a JSON object");
  return j;
}
// A string field of at most `cap` bytes ("" when absent).
Result<std::string> field(const json& j, const char* key, std::size_t cap = 256) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Status(Code::kInvalidArgument, std::string(key) + " is not text");
  std::string s = it->get<std::string>();
  if (s.size() > cap) return Status(Code::kInvalidArgument, std::string(key) + " is too long");
  return s;
}
std::string param(const HttpRequest& r, const std::string& key) {
  auto it = r.params.find(key);
  return it == r.params.end() ? std::string() : it->second;
}

std::string cookie_token(const HttpRequest& r) {
  if (!r.header) return {};
  std::string c = r.header("Cookie");
  std::string_view v(c);
  while (!v.empty()) {
    auto semi = v.find(';');
    std::string_view part = v.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > kCookie.size() && part.starts_with(kCookie) && part[kCookie.size()] == '=')
      return std::string(part.substr(kCookie.size() + 1));
    if (semi == std::string_view::npos) break;
    v.remove_prefix(semi + 1);
  }
  return {};
}
std::string session_cookie(const std::string& token, std::int64_t max_age_s) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; Secure; SameSite=Strict", kCookie, token,
                     max_age_s);
}

std::string content_type(const std::string& name) {
  auto ends = [&](std::string_view e) { return name.ends_with(e); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".json")) return "application/json";
  if (ends(".woff2")) return "font/woff2";
  return "application/octet-stream";
}
std::vector<std::pair<std::string, std::string>> page_headers(bool cache) {
  return {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
       "data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action "
       "'self'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", cache ? "max-age=300" : "no-cache"},
  };
}

json report_json_of(const stats::Report& rep, const std::string& county) {
  auto values = [](const stats::Row& row) {
    json v = json::object();
    for (const auto& [k, x] : row.values)
      if (std::isfinite(x))
        v[k] = x;
      else
        v[k] = nullptr;
    return v;
  };
  json j;
  const auto& q = rep.query;
  j["query"] = {{"from", q.from},         {"to", q.to},     {"by", stats::cut_name(q.by)},
                {"township", q.township}, {"site", q.site}, {"class", q.class_id},
                {"employed", q.employed}};
  j["county"] = county;
  j["columns"] = rep.columns;
  j["rows"] = json::array();
  for (const auto& row : rep.rows)
    j["rows"].push_back({{"key", row.key}, {"label", row.label}, {"values", values(row)}});
  j["total"] = {{"key", rep.total.key}, {"label", rep.total.label}, {"values", values(rep.total)}};
  j["notes"] = rep.notes;
  return j;
}

// `n` as a file name: characters a file system or a header would choke on
// become "_".
std::string file_safe(std::string n) {
  for (char& c : n)
    if (static_cast<unsigned char>(c) < 0x20 ||
        std::string_view("\\/:*?\"<>|;,").find(c) != std::string_view::npos)
      c = '_';
  return n;
}
// A file name for a download: county, cut, filters and period.
std::string download_name(const std::string& county, const stats::Query& q, std::string_view ext) {
  std::string n = county + "_" + std::string(stats::cut_label(q.by));
  for (const std::string* f : {&q.township, &q.site, &q.class_id})
    if (!f->empty()) n += "_" + *f;
  n += "_" + q.from + "至" + q.to;
  return file_safe(n) + "." + std::string(ext);
}
// RFC 6266 / 5987: an ASCII fallback and the UTF-8 name, percent-encoded.
std::string disposition(const std::string& name, std::string_view ext) {
  std::string enc;
  for (unsigned char c : name) {
    if (std::isalnum(c) ||
        std::string_view("-._~").find(static_cast<char>(c)) != std::string_view::npos)
      enc += static_cast<char>(c);
    else
      enc += fmt::format("%{:02X}", c);
  }
  return fmt::format("attachment; filename=\"report.{}\"; filename*=UTF-8''{}", ext, enc);
}

// The kiosk's USB enrollment file (app/ops read_enroll_file): the address
// this request came to (its Host header, the scheme the server serves) and
// the code. A Host with characters no address has is left out, and the
// kiosk then asks for the address.
std::string usb_enroll_file(const HttpRequest& r, bool tls, const std::string& code) {
  std::string host = r.header ? r.header("Host") : std::string();
  bool plain = !host.empty() && host.size() < 256;
  for (unsigned char c : host)
    plain = plain && (std::isalnum(c) || std::string_view(".-:[]").find(static_cast<char>(c)) !=
                                             std::string_view::npos);
  return (plain ? fmt::format("server={}://{}\n", tls ? "https" : "http", host) : "") +
         "code=" + code + "\n";
}

std::string today_of(std::int64_t now_ms) {
  return format_date(china_date(now_ms));
}

// A private folder for one request's temporary file (mode 0700).
Result<std::string> make_temp_dir(const char* prefix) {
  std::string t = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (!mkdtemp(t.data())) return Status(Code::kIoError, "cannot make a temporary folder");
  return t;
}

// `t` as a download: CSV or XLSX (written to a private temporary folder,
// read back and removed), named `name` (with its extension).
HttpResponse table_download(const ReportTable& t, const std::string& format,
                            const std::string& name) {
  if (Status st = check_report_table(t); !st.ok()) return fail(st);
  HttpResponse out;
  if (format == "csv") {
    out.body = report_csv(t);
    out.content_type = "text/csv; charset=utf-8";
  } else {
    auto dir = make_temp_dir("chz-report");
    if (!dir.ok()) return fail(dir.status());
    std::string path = (fs::path(*dir) / "report.xlsx").string();
    Status st = write_report_xlsx(t, path);
    auto bytes = st.ok() ? read_file(path) : Result<std::string>(st);
    std::error_code ec;
    fs::remove_all(*dir, ec);
    if (!bytes.ok()) return fail(bytes.status());
    out.body = std::move(*bytes);
    out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  out.headers = {{"Content-Disposition", disposition(name, format)}, {"Cache-Control", "no-store"}};
  return out;
}

Result<std::uint32_t> ipv4(const std::string& s) {
  in_addr a{};
  if (inet_pton(AF_INET, s.c_str(), &a) != 1)
    return Status(Code::kInvalidArgument, "not an IPv4 address", "dash.allow");
  return ntohl(a.s_addr);
}

}  // namespace

Result<bool> address_allowed(const std::vector<std::string>& allow, const std::string& peer) {
  if (allow.empty()) return true;
  for (const std::string& entry : allow) {
    auto slash = entry.find('/');
    if (slash == std::string::npos) {
      if (entry == peer) return true;
      continue;
    }
    CHZ_ASSIGN_OR_RETURN(std::uint32_t net, ipv4(entry.substr(0, slash)));
    int bits = std::atoi(entry.c_str() + slash + 1);
    if (bits < 0 || bits > 32 || entry.size() == slash + 1)
      return Status(Code::kInvalidArgument, "bad prefix length in " + entry, "dash.allow");
    auto addr = ipv4(peer);
    if (!addr.ok()) continue;
    std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    if ((*addr & mask) == (net & mask)) return true;
  }
  return false;
}

Dashboard::Dashboard(ServerStore& store, const CountyKeys& keys, const Clock& clock,
                     DashboardOptions o)
    : store_(store),
      keys_(keys),
      clock_(clock),
      o_(std::move(o)),
      hasher_(std::make_unique<WorkerPool>(1, 2)) {}

Dashboard::~Dashboard() {
  hasher_->stop();
}

Status Dashboard::init() {
  for (const auto& a : o_.admin_allow) CHZ_TRY(address_allowed({a}, "0.0.0.0").status());
  CHZ_TRY(tx([](Sql& sql) { return dash::create_tables(sql); }));
  if (o_.web_dir.empty()) return OkStatus();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(o_.web_dir, ec)) {
    if (!e.is_regular_file()) continue;
    CHZ_ASSIGN_OR_RETURN(std::string bytes, read_file(e.path().string()));
    files_[e.path().filename().string()] = std::move(bytes);
  }
  if (!files_.count("index.html"))
    return Status(Code::kNotFound, "no index.html in " + o_.web_dir + " (serve --web DIR)",
                  "dash.web");
  return OkStatus();
}

Status Dashboard::tx(const std::function<Status(Sql&)>& fn) {
  return store_.model([&](ModelTx& t) { return fn(t.sql()); });
}

void Dashboard::audit_change(const HttpRequest& r, std::string_view what,
                             const std::string& detail) {
  Status st = tx([&](Sql& sql) {
    return dash::audit(sql, r.user, r.role, what, detail, r.peer, clock_.now_ms());
  });
  if (!st.ok()) spdlog::error("audit write failed: {}", st.to_string());
}

bool Dashboard::authorize(HttpRequest& r, dash::Roles roles, HttpResponse* refusal) {
  std::string token = cookie_token(r);
  Result<dash::Session> s = Status(Code::kUnauthenticated, "not signed in", "auth.session");
  Status st = tx([&](Sql& sql) {
    s = dash::session(sql, token, clock_.now_ms(), o_.session_idle_ms);
    return OkStatus();
  });
  if (!st.ok()) return *refusal = fail(st), false;
  if (!s.ok()) return *refusal = fail(401, "auth", s.status().message()), false;
  if (!dash::has(roles, s->role)) {
    *refusal = fail(403, "forbidden",
                    fmt::format("the role {} may not do this", dash::role_name(s->role)));
    return false;
  }
  if (!dash::has(roles, dash::Role::kViewer)) {
    auto ok = address_allowed(o_.admin_allow, r.peer);
    if (!ok.ok() || !*ok)
      return *refusal = fail(403, "forbidden", "administration is not open from this address"),
             false;
  }
  if (r.method != "GET") {
    std::string sent = r.header ? r.header("X-CSRF-Token") : std::string();
    if (sent.empty() || !equal_ct(as_bytes(sent), as_bytes(s->csrf)))
      return *refusal = fail(403, "csrf", "the page's token is missing or wrong: reload the page"),
             false;
  }
  r.user = s->name;
  r.role = std::string(dash::role_name(s->role));
  return true;
}

HttpResponse Dashboard::html(const std::string& name) const {
  auto it = files_.find(name);
  if (it == files_.end())
    return {404, "no dashboard installed (serve --web DIR)", "text/plain; charset=utf-8", {}, {}};
  return {200, it->second, content_type(name), page_headers(false), {}};
}
HttpResponse Dashboard::page(const HttpRequest&) {
  return html("index.html");
}

HttpResponse Dashboard::file(const HttpRequest& r) {
  std::string name = r.path.substr(r.path.rfind('/') + 1);
  auto it = files_.find(name);
  if (it == files_.end()) return fail(404, "not_found", "no such file");
  return {200, it->second, content_type(name), page_headers(true), {}};
}

namespace {
// A sliding minute per address; the map is swept when it grows large (at
// worst a minute forgiven).
bool within_rate(std::map<std::string, std::deque<std::int64_t>>& m, const std::string& peer,
                 int per_minute, std::int64_t now) {
  if (m.size() > 10'000) m.clear();
  auto& q = m[peer];
  while (!q.empty() && now - q.front() >= 60'000) q.pop_front();
  if (static_cast<int>(q.size()) >= per_minute) return false;
  q.push_back(now);
  return true;
}
}  // namespace

bool Dashboard::login_allowed(const std::string& peer) {
  std::lock_guard g(rate_mu_);
  return within_rate(attempts_, peer, o_.logins_per_minute, clock_.now_ms());
}
bool Dashboard::verify_allowed(const std::string& peer) {
  std::lock_guard g(rate_mu_);
  return within_rate(verifies_, peer, o_.verifies_per_minute, clock_.now_ms());
}

HttpResponse Dashboard::login(const HttpRequest& r) {
  if (!login_allowed(r.peer))
    return fail(429, "rate", "too many sign-in attempts from this address: wait a minute");
  auto j = body_json(r);
  if (!j.ok()) return fail(j.status());
  auto name = field(*j, "name", 128);
  auto password = field(*j, "password", 1024);
  if (!name.ok()) return fail(name.status());
  if (!password.ok()) return fail(password.status());
  std::int64_t now = clock_.now_ms();
  Result<dash::User> u = Status(Code::kNotFound, "", "user.unknown");
  if (Status st = tx([&](Sql& sql) {
        u = dash::user(sql, *name);
        return OkStatus();
      });
      !st.ok())
    return fail(st);
  if (u.ok() && u->locked_until_ms > now) {
    HttpRequest who = r;
    who.user = *name;
    who.role = std::string(dash::role_name(u->role));
    audit_change(who, "login_locked", "");
    std::int64_t wait_s = (u->locked_until_ms - now + 999) / 1000;
    json e = {{"error", "locked"},
              {"message", fmt::format("too many wrong passwords: try again in {} s", wait_s)},
              {"retry_after_s", wait_s}};
    return json_response(423, e);
  }
  // An unknown user is hashed against too, so the answer's timing does not
  // say which names exist.
  dash::PasswordHash h = u.ok() ? u->password
                                : dash::PasswordHash{std::string(32, '0'), std::string(64, '0'),
                                                     dash::kPasswordIterations};
  auto done = std::make_shared<std::promise<bool>>();
  auto fut = done->get_future();
  std::string pw = *password;
  if (!hasher_->try_post([done, pw, h] { done->set_value(dash::verify_password(pw, h)); }))
    return fail(503, "unavailable", "the server is busy signing others in: try again");
  bool right = fut.get() && u.ok() && !u->disabled;
  HttpRequest who = r;
  who.user = *name;
  if (!right) {
    if (u.ok()) {
      Status st = tx([&](Sql& sql) { return dash::record_failure(sql, *name, now).status(); });
      if (!st.ok()) return fail(st);
      who.role = std::string(dash::role_name(u->role));
    }
    audit_change(who, "login_failed", "");
    return fail(401, "auth", "wrong user name or password");
  }
  Result<dash::Opened> o = Status(Code::kInternal, "");
  if (Status st = tx([&](Sql& sql) {
        CHZ_TRY(dash::record_success(sql, *name));
        o = dash::open_session(sql, *name, u->role, now);
        return o.status();
      });
      !st.ok())
    return fail(st);
  who.role = std::string(dash::role_name(u->role));
  audit_change(who, "login", "");
  HttpResponse out = json_response(200, {{"name", *name},
                                         {"role", who.role},
                                         {"csrf", o->session.csrf},
                                         {"idle_s", o_.session_idle_ms / 1000},
                                         {"county", keys_.name}});
  out.headers.emplace_back("Set-Cookie", session_cookie(o->token, dash::kSessionLongestMs / 1000));
  return out;
}

HttpResponse Dashboard::logout(const HttpRequest& r) {
  std::string token = cookie_token(r);
  if (Status st = tx([&](Sql& sql) { return dash::close_session(sql, token); }); !st.ok())
    return fail(st);
  audit_change(r, "logout", "");
  HttpResponse out = json_response(200, {{"ok", true}});
  out.headers.emplace_back("Set-Cookie", session_cookie("", 0));
  return out;
}

HttpResponse Dashboard::me(const HttpRequest& r) {
  std::string token = cookie_token(r);
  std::string csrf;
  Status st = tx([&](Sql& sql) {
    CHZ_ASSIGN_OR_RETURN(auto s, dash::session(sql, token, clock_.now_ms(), o_.session_idle_ms));
    csrf = s.csrf;
    return OkStatus();
  });
  if (!st.ok()) return fail(st);
  return json_response(200, {{"name", r.user},
                             {"role", r.role},
                             {"csrf", csrf},
                             {"county", keys_.name},
                             {"idle_s", o_.session_idle_ms / 1000}});
}

HttpResponse Dashboard::indicators(const HttpRequest&) {
  json j;
  j["indicators"] = json::array();
  for (const auto& i : stats::indicators())
    j["indicators"].push_back({{"key", i.key},
                               {"name", i.name},
                               {"definition", i.definition},
                               {"population", i.population},
                               {"rate", i.rate},
                               {"hours", i.hours}});
  j["cuts"] = json::array();
  for (auto c : {stats::Cut::kTotal, stats::Cut::kTownship, stats::Cut::kResidence,
                 stats::Cut::kSite, stats::Cut::kOccupation, stats::Cut::kLevel, stats::Cut::kClass,
                 stats::Cut::kGroup, stats::Cut::kGender, stats::Cut::kAge, stats::Cut::kMonth})
    j["cuts"].push_back({{"key", stats::cut_name(c)}, {"label", stats::cut_label(c)}});
  // A city or province sees its counties side by side.
  if (keys_.level == "city" || keys_.level == "province")
    j["cuts"].push_back({{"key", stats::cut_name(stats::Cut::kCounty)},
                         {"label", stats::cut_label(stats::Cut::kCounty)}});
  j["level"] = keys_.level.empty() ? "county" : keys_.level;
  j["today"] = today_of(clock_.now_ms());
  return json_response(200, j);
}

HttpResponse Dashboard::report(const HttpRequest& r) {
  std::string by = param(r, "by");
  auto cut = stats::parse_cut(by.empty() ? "total" : by);
  if (!cut.ok()) return fail(cut.status());
  std::string format = param(r, "format");
  if (format.empty()) format = "json";
  if (format != "json" && format != "csv" && format != "xlsx")
    return fail(400, "malformed", "format is json, csv or xlsx");
  stats::Query q;
  q.from = param(r, "from");
  q.to = param(r, "to");
  q.by = *cut;
  q.employed = param(r, "employed") == "1";
  q.township = param(r, "township");
  q.site = param(r, "site");
  q.class_id = param(r, "class");
  for (const std::string* f : {&q.township, &q.site, &q.class_id})
    if (f->size() > 200) return fail(400, "malformed", "a filter is too long");
  auto computed = read_model(store_, [&](Sql& sql) { return stats::compute(sql, q); });
  if (!computed.ok()) return fail(computed.status());
  const stats::Report& rep = *computed;
  if (format == "json") return json_response(200, report_json_of(rep, keys_.name));
  ReportTable t = stats::to_table(rep, keys_.name, today_of(clock_.now_ms()));
  for (auto [label, f] : {std::pair<const char*, const std::string*>{"乡镇", &q.township},
                          {"培训点", &q.site},
                          {"班级", &q.class_id}})
    if (!f->empty()) t.notes.push_back(fmt::format("筛选：{} = {}", label, *f));
  return table_download(t, format, download_name(keys_.name, q, format));
}

HttpResponse Dashboard::freshness(const HttpRequest& r) {
  int days = std::atoi(param(r, "silent_days").c_str());
  if (days <= 0 || days > 365) days = 7;
  auto fr =
      read_model(store_, [&](Sql& sql) { return stats::freshness(sql, clock_.now_ms(), days); });
  if (!fr.ok()) return fail(fr.status());
  const stats::Freshness& f = *fr;
  auto faults = store_.faults();
  json j;
  j["devices"] = json::array();
  for (const auto& d : f.devices)
    j["devices"].push_back({{"device", d.device},
                            {"site", d.site},
                            {"site_name", d.site_name},
                            {"last_ms", d.last_ms},
                            {"last", d.last_ms > 0 ? format_china_time(d.last_ms) : ""},
                            {"records", d.records},
                            {"silent", d.silent}});
  j["silent"] = f.silent;
  j["silent_days"] = days;
  j["pending_certificates"] = f.pending_certificates;
  j["counties"] = json::array();  // at a city or province
  for (const auto& c : f.counties)
    j["counties"].push_back({{"area", c.area},
                             {"name", c.name},
                             {"last_ms", c.last_ms},
                             {"last", c.last_ms > 0 ? format_china_time(c.last_ms) : ""},
                             {"records", c.records},
                             {"kiosks", c.kiosks},
                             {"silent", c.silent},
                             {"behind", c.behind}});
  j["faults"] = faults.ok() ? static_cast<std::int64_t>(faults->size()) : -1;
  return json_response(200, j);
}

HttpResponse Dashboard::targets(const HttpRequest& r) {
  std::int64_t now = clock_.now_ms();
  int year = china_date(now).year;
  if (std::string y = param(r, "year"); !y.empty()) {
    if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos)
      return fail(400, "malformed", "year is four digits");
    year = std::atoi(y.c_str());
  }
  if (year < 2000 || year > 2100) return fail(400, "malformed", "year is 2000 to 2100");
  std::string to = param(r, "to");
  if (to.empty()) to = today_of(now);
  if (to.size() != 10 || !parse_date(to).ok())
    return fail(400, "malformed", "to is a date YYYY-MM-DD");
  std::string format = param(r, "format");
  if (format.empty()) format = "json";
  if (format != "json" && format != "csv" && format != "xlsx")
    return fail(400, "malformed", "format is json, csv or xlsx");
  const std::string from = fmt::format("{:04}-01-01", year);
  std::vector<Target> list;
  std::optional<ReportTable> table;
  Status st = tx([&](Sql& sql) -> Status {
    CHZ_ASSIGN_OR_RETURN(list, list_targets(sql, year));
    // JSON answers a year without targets, or one that has not begun by
    // `to`, with no table (the page offers to set one); a file is refused.
    if (format == "json" && (list.empty() || to < from)) return OkStatus();
    CHZ_ASSIGN_OR_RETURN(auto t, targets_table(sql, year, to, keys_.name, today_of(now)));
    table = std::move(t);
    return OkStatus();
  });
  if (!st.ok()) return fail(st);
  if (format != "json") {
    std::string last = fmt::format("{:04}-12-31", year);
    std::string name =
        file_safe(keys_.name + "_" + table->title + "_" + from + "至" + std::min(to, last));
    return table_download(*table, format, name + "." + format);
  }
  json j;
  j["year"] = year;
  j["to"] = to;
  j["table"] = table ? json::parse(report_json(*table)) : json(nullptr);
  j["targets"] = json::array();
  for (const auto& t : list)
    j["targets"].push_back(
        {{"unit", t.unit}, {"year", t.year}, {"indicator", t.indicator}, {"value", t.value}});
  // The counties a city issued codes to: the units it may set targets for.
  j["counties"] = json::array();
  const std::string prefix = county_site("");
  if (auto sites = store_.sites(); sites.ok())
    for (const auto& id : *sites)
      if (id.starts_with(prefix)) {
        auto n = store_.site_name(id);
        j["counties"].push_back({{"area", id.substr(prefix.size())}, {"name", n.ok() ? *n : id}});
      }
  return json_response(200, j);
}

HttpResponse Dashboard::write_target(const HttpRequest& r, bool clear) {
  auto j = body_json(r);
  if (!j.ok()) return fail(j.status());
  auto indicator = field(*j, "indicator", 64), value = field(*j, "value", 64),
       county = field(*j, "county", 16);
  for (const auto* f : {&indicator, &value, &county})
    if (!f->ok()) return fail(f->status());
  // An integer, like devices/code's hours: text or a float is refused.
  std::int64_t year = 0;
  if (auto it = j->find("year"); it != j->end() && it->is_number_integer())
    year = it->get<std::int64_t>();
  if (year < 2000 || year > 2100) return fail(400, "malformed", "year is 2000 to 2100");
  Target t{*county, static_cast<int>(year), *indicator, 0};
  if (!clear) {
    auto v = parse_target_value(t.indicator, *value);
    if (!v.ok()) return fail(v.status());
    t.value = *v;
  }
  if (Status st = set_target(store_, t, clock_.now_ms(), clear); !st.ok()) return fail(st);
  audit_change(r, clear ? "target_clear" : "target_set",
               fmt::format("{} {}{}{}", t.year, t.indicator, clear ? "" : " = " + *value,
                           t.unit.empty() ? "" : " (" + t.unit + ")"));
  return json_response(200, {{"year", t.year},
                             {"indicator", t.indicator},
                             {"county", t.unit},
                             {"value", clear ? json(nullptr) : json(t.value)},
                             {"cleared", clear}});
}
HttpResponse Dashboard::target_set(const HttpRequest& r) {
  return write_target(r, false);
}
HttpResponse Dashboard::target_clear(const HttpRequest& r) {
  return write_target(r, true);
}

HttpResponse Dashboard::pending(const HttpRequest&) {
  auto list = pending_certificates(store_);
  if (!list.ok()) return fail(list.status());
  json j;
  j["certificates"] = json::array();
  for (const auto& c : *list)
    j["certificates"].push_back({{"number", c.data.number},
                                 {"name", mask_name(c.data.name)},
                                 {"occupation", c.data.occupation},
                                 {"level", c.data.level},
                                 {"hours", c.data.hours},
                                 {"theory_score", c.data.theory_score},
                                 {"practical_score", c.data.practical_score},
                                 {"issued_day", c.data.date},
                                 {"site", c.site},
                                 {"site_name", c.data.site_name},
                                 {"signature_ok", c.device_signature.ok()}});
  return json_response(200, j);
}

HttpResponse Dashboard::decide(const HttpRequest& r, std::string_view status) {
  auto j = body_json(r);
  if (!j.ok()) return fail(j.status());
  CertificateDecision d;
  auto number = field(*j, "number", 128);
  auto kind = field(*j, "qual_kind", 64);
  auto qnum = field(*j, "qual_number", 64);
  auto reason = field(*j, "reason", 512);
  for (const auto* f : {&number, &kind, &qnum, &reason})
    if (!f->ok()) return fail(f->status());
  d.number = *number;
  d.status = std::string(status);
  d.qual_kind = *kind;
  d.qual_number = *qnum;
  d.reason = *reason;
  if (status == sync::kCertStatusRevoked && d.reason.empty())
    return fail(400, "malformed", "annulling a certificate needs a reason");
  auto out = decide_certificate(store_, keys_, d, clock_.now_ms());
  if (!out.ok()) return fail(out.status());
  if (out->written)
    audit_change(r,
                 status == sync::kCertStatusConfirmed  ? "cert_confirm"
                 : status == sync::kCertStatusRejected ? "cert_reject"
                                                       : "cert_annul",
                 d.number);
  return json_response(200, {{"number", d.number},
                             {"status", out->decision.status},
                             {"written", out->written},
                             {"site", out->site}});
}
HttpResponse Dashboard::confirm(const HttpRequest& r) {
  return decide(r, sync::kCertStatusConfirmed);
}
HttpResponse Dashboard::reject(const HttpRequest& r) {
  return decide(r, sync::kCertStatusRejected);
}
HttpResponse Dashboard::annul(const HttpRequest& r) {
  return decide(r, sync::kCertStatusRevoked);
}

HttpResponse Dashboard::person(const HttpRequest& r) {
  std::string id = param(r, "id"), key = param(r, "key"), name = param(r, "name");
  if (id.size() > 64 || key.size() > 128 || name.size() > 64)
    return fail(400, "malformed", "the query is too long");
  if (!id.empty()) {
    auto k = person_key_of(keys_, id);
    if (!k.ok()) return fail(k.status());
    key = *k;
  }
  json out;
  if (Status st = tx([&](Sql& sql) -> Status {
        if (!key.empty()) {
          CHZ_ASSIGN_OR_RETURN(out, person_record(sql, key));
          return OkStatus();
        }
        CHZ_ASSIGN_OR_RETURN(out, people_named(sql, name));
        return OkStatus();
      });
      !st.ok()) {
    // Probing ID numbers that are not there is audited too.
    if (st.code() == Code::kNotFound)
      audit_change(r, "person_lookup", "person " + key.substr(0, 12) + ": not found");
    return fail(st);
  }
  // Whose record an admin opened, by person key (never the ID number).
  audit_change(r, "person_lookup",
               key.empty() ? fmt::format("name search, {} matches", out["matches"].size())
                           : "person " + key.substr(0, 12));
  return json_response(200, out);
}

HttpResponse Dashboard::registry_import(const HttpRequest& r) {
  std::string kind = param(r, "kind");
  if (kind.empty()) kind = "registry";
  if (kind != "registry" && kind != "held")
    return fail(400, "malformed", "kind is registry or held");
  bool dry = param(r, "dry_run") == "1";
  std::string name = param(r, "name");
  std::string ext = name.ends_with(".xlsx") || name.ends_with(".XLSX") ? ".xlsx"
                    : name.ends_with(".xls") || name.ends_with(".XLS") ? ".xls"
                                                                       : ".csv";
  if (r.body.empty()) return fail(400, "malformed", "no file in the request");
  auto dir = make_temp_dir("chz-import");
  if (!dir.ok()) return fail(dir.status());
  std::string path = (fs::path(*dir) / ("upload" + ext)).string();
  struct Cleanup {
    std::string d;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(d, ec);
    }
  } cleanup{*dir};
  if (Status st = write_file_atomic(path, r.body); !st.ok()) return fail(st);
  std::int64_t now = clock_.now_ms();
  json j;
  j["dry_run"] = dry;
  j["kind"] = kind;
  auto issues = [](const std::vector<RowIssue>& list) {
    json a = json::array();
    for (const auto& i : list)
      a.push_back({{"row", i.row},
                   {"column", i.column},
                   {"message", i.what},
                   {"refused", i.fatal},
                   {"key", i.key}});
    return a;
  };
  if (kind == "registry") {
    RegistryImportOptions o;
    o.dry_run = dry;
    o.today = today_of(now);
    auto res = import_registry(store_, keys_, path, o, now);
    if (!res.ok()) return fail(res.status());
    j["rows"] = res->file.data_rows;
    j["issues"] = issues(res->file.issues);
    j["added"] = res->added;
    j["updated"] = res->updated;
    j["unchanged"] = res->unchanged;
    j["left"] = res->left;
    j["leaves_skipped"] = res->leaves_skipped;
    if (!dry)
      audit_change(r, "registry_import",
                   fmt::format("{} rows: {} added, {} updated, {} left", res->file.data_rows,
                               res->added, res->updated, res->left));
  } else {
    auto res = import_held_certificates(store_, keys_, path, dry, now);
    if (!res.ok()) return fail(res.status());
    j["rows"] = res->file.data_rows;
    j["issues"] = issues(res->file.issues);
    j["added"] = res->added;
    j["unchanged"] = res->unchanged;
    if (!dry)
      audit_change(r, "held_import",
                   fmt::format("{} rows: {} added", res->file.data_rows, res->added));
  }
  return json_response(200, j);
}

HttpResponse Dashboard::users(const HttpRequest&) {
  auto all = read_model(store_, [](Sql& sql) { return dash::users(sql); });
  if (!all.ok()) return fail(all.status());
  const std::vector<dash::User>& list = *all;
  std::int64_t now = clock_.now_ms();
  json j;
  j["users"] = json::array();
  for (const auto& u : list)
    j["users"].push_back({{"name", u.name},
                          {"role", dash::role_name(u.role)},
                          {"failures", u.failures},
                          {"locked", u.locked_until_ms > now},
                          {"disabled", u.disabled},
                          {"created", format_china_time(u.created_ms)}});
  return json_response(200, j);
}

HttpResponse Dashboard::user_add(const HttpRequest& r) {
  auto j = body_json(r);
  if (!j.ok()) return fail(j.status());
  auto name = field(*j, "name", 128), role = field(*j, "role", 16),
       password = field(*j, "password", 1024);
  for (const auto* f : {&name, &role, &password})
    if (!f->ok()) return fail(f->status());
  auto rl = dash::parse_role(*role);
  if (!rl.ok()) return fail(rl.status());
  if (Status st = dash::check_user_name(*name); !st.ok()) return fail(st);
  if (Status st = dash::check_password_policy(*name, *password); !st.ok()) return fail(st);
  dash::PasswordHash h = dash::hash_password(*password);
  if (Status st = tx([&](Sql& sql) { return dash::add_user(sql, *name, *rl, h, clock_.now_ms()); });
      !st.ok())
    return fail(st);
  audit_change(r, "user_add", *name + " " + *role);
  return json_response(200, {{"name", *name}, {"role", *role}});
}

HttpResponse Dashboard::user_reset(const HttpRequest& r) {
  auto j = body_json(r);
  if (!j.ok()) return fail(j.status());
  auto name = field(*j, "name", 128), password = field(*j, "password", 1024);
  for (const auto* f : {&name, &password})
    if (!f->ok()) return fail(f->status());
  if (Status st = dash::check_password_policy(*name, *password); !st.ok()) return fail(st);
  dash::PasswordHash h = dash::hash_password(*password);
  if (Status st = tx([&](Sql& sql) { return dash::set_password(sql, *name, h, clock_.now_ms()); });
      !st.ok())
    return fail(st);
  audit_change(r, "user_reset", *name);
  return json_response(200, {{"name", *name}});
}

HttpResponse Dashboard::user_unlock(const HttpRequest& r) {
  auto j = body_json(r);
  if (!j.ok()) return fail(j.status());
  auto name = field(*j, "name", 128);
  if (!name.ok()) return fail(name.status());
  if (Status st = tx([&](Sql& sql) { return dash::unlock_user(sql, *name, clock_.now_ms()); });
      !st.ok())
    return fail(st);
  audit_change(r, "user_unlock", *name);
  return json_response(200, {{"name", *name}});
}

HttpResponse Dashboard::audit(const HttpRequest& r) {
  std::int64_t after = std::atoll(param(r, "after").c_str());
  std::vector<dash::AuditEntry> list;
  std::vector<std::string> problems;
  if (Status st = tx([&](Sql& sql) {
        CHZ_ASSIGN_OR_RETURN(list, dash::audit_after(sql, after, 200));
        CHZ_ASSIGN_OR_RETURN(problems, dash::verify_audit(sql));
        return OkStatus();
      });
      !st.ok())
    return fail(st);
  json j;
  j["entries"] = json::array();
  for (const auto& e : list)
    j["entries"].push_back({{"seq", e.seq},
                            {"at", format_china_time(e.at_ms)},
                            {"who", e.who},
                            {"role", e.role},
                            {"what", e.what},
                            {"detail", e.detail},
                            {"peer", e.peer}});
  j["verified"] = problems.empty();
  j["problems"] = problems;
  return json_response(200, j);
}

namespace {
// Days until the certificate in `pem_file` expires; kNotFound if unreadable.
Result<std::int64_t> days_to_expiry(const std::string& pem_file) {
  auto pem = read_file(pem_file, 1 << 20);
  if (!pem.ok()) return pem.status();
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  X509* cert = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (!cert) return Status(Code::kNotFound, "the server certificate does not parse");
  int days = 0, secs = 0;
  int ok = ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(cert));
  X509_free(cert);
  if (!ok) return Status(Code::kNotFound, "the certificate's expiry does not parse");
  return std::int64_t{days};
}
json alert(std::string_view level, std::string_view kind, const std::string& message) {
  return {{"level", level}, {"kind", kind}, {"message", message}};
}
}  // namespace

HttpResponse Dashboard::alerts(const HttpRequest&) {
  json list = json::array();
  auto fr = read_model(store_, [&](Sql& sql) { return stats::freshness(sql, clock_.now_ms(), 7); });
  if (!fr.ok()) return fail(fr.status());
  const stats::Freshness& f = *fr;
  if (f.silent > 0) {
    std::string names;
    int shown = 0;
    for (const auto& d : f.devices)
      if (d.silent && shown++ < 5) names += (names.empty() ? "" : "、") + d.site_name;
    list.push_back(alert(
        "warn", "silent",
        fmt::format("{} 台终端 7 天以上未同步：{}{}", f.silent, names, f.silent > 5 ? " 等" : "")));
  }
  if (f.pending_certificates > 0)
    list.push_back(alert("info", "pending",
                         fmt::format("{} 张培训合格证等待县局确认", f.pending_certificates)));
  if (auto faults = store_.faults(); faults.ok() && !faults->empty())
    list.push_back(
        alert("warn", "faults",
              fmt::format("同步冲突 {} 次（终端记录与服务器不一致，见 faults）", faults->size())));
  if (!o_.data_dir.empty()) {
    struct statvfs v {};
    if (statvfs(o_.data_dir.c_str(), &v) == 0 && v.f_blocks > 0) {
      double free_b = static_cast<double>(v.f_bavail) * static_cast<double>(v.f_frsize);
      double share = static_cast<double>(v.f_bavail) / static_cast<double>(v.f_blocks);
      if (share < 0.10 || free_b < 2e9)
        list.push_back(
            alert(share < 0.03 ? "error" : "warn", "disk",
                  fmt::format("数据盘剩余空间 {:.1f} GB（{:.0f}%）", free_b / 1e9, share * 100)));
    }
  }
  if (!o_.cert_file.empty()) {
    auto days = days_to_expiry(o_.cert_file);
    if (days.ok() && *days < 30)
      list.push_back(alert(*days < 7 ? "error" : "warn", "certificate",
                           *days < 0 ? std::string("服务器证书已过期：终端将无法同步")
                                     : fmt::format("服务器证书 {} 天后到期", *days)));
  }
  // Backups are not built yet (the appliance issue): say so rather than
  // stay silent about them.
  list.push_back(alert("warn", "backup", "尚未配置自动备份：请定期复制数据目录"));
  return json_response(200, {{"alerts", list}});
}

HttpResponse Dashboard::devices(const HttpRequest&) {
  auto keys = store_.device_keys();
  if (!keys.ok()) return fail(keys.status());
  auto fr = read_model(store_, [&](Sql& sql) { return stats::freshness(sql, clock_.now_ms(), 7); });
  if (!fr.ok()) return fail(fr.status());
  const stats::Freshness& f = *fr;
  std::map<std::string, const stats::DeviceFreshness*> by_id;
  for (const auto& d : f.devices) by_id[d.device] = &d;
  json j;
  j["devices"] = json::array();
  for (const auto& k : *keys) {
    auto d = store_.device(k.device);
    if (!d.ok()) continue;
    auto site = store_.site_name(d->site);
    auto fr = by_id.find(k.device);
    std::int64_t last = fr == by_id.end() ? 0 : fr->second->last_ms;
    j["devices"].push_back({{"device", k.device},
                            {"site", d->site},
                            {"site_name", site.ok() ? *site : d->site},
                            {"number", d->number},  // 1-999, 0 for none (cert_number.h)
                            {"enrolled", format_china_time(d->enrolled_ms)},
                            {"last", last > 0 ? format_china_time(last) : ""},
                            {"records", fr == by_id.end() ? 0 : fr->second->records},
                            {"revoked", d->revoked}});
  }
  auto sites = store_.sites();
  j["sites"] = json::array();
  if (sites.ok())
    for (const auto& id : *sites) {
      auto n = store_.site_name(id);
      j["sites"].push_back({{"site", id}, {"name", n.ok() ? *n : id}});
    }
  return json_response(200, j);
}

HttpResponse Dashboard::device_code(const HttpRequest& r) {
  auto j = body_json(r);
  if (!j.ok()) return fail(j.status());
  auto site = field(*j, "site", 64);
  if (!site.ok()) return fail(site.status());
  // An integer: text made value() throw (a 500), a float such as 1e300
  // was an undefined conversion; both are refused like 0 or 337.
  std::int64_t hours = 72;
  if (j->contains("hours"))
    hours = j->at("hours").is_number_integer() ? j->at("hours").get<std::int64_t>() : 0;
  if (hours < 1 || hours > 24 * 14) return fail(400, "malformed", "hours is 1 to 336");
  if (auto n = store_.site_name(*site); !n.ok()) return fail(404, "not_found", "no such site");
  auto code = issue_code(store_, *site, hours * 3'600'000LL, clock_.now_ms());
  if (!code.ok()) return fail(code.status());
  audit_change(r, "device_code", *site);
  return json_response(200, {{"code", *code},
                             {"site", *site},
                             {"expires", format_china_time(clock_.now_ms() + hours * 3'600'000LL)},
                             {"usb_file", usb_enroll_file(r, o_.tls, *code)}});
}

HttpResponse Dashboard::device_revoke(const HttpRequest& r) {
  auto j = body_json(r);
  if (!j.ok()) return fail(j.status());
  auto dev = field(*j, "device", 128);
  if (!dev.ok()) return fail(dev.status());
  if (Status st = store_.revoke_device(*dev); !st.ok()) return fail(st);
  if (Status st = record_revocation(store_, *dev, clock_.now_ms()); !st.ok()) return fail(st);
  audit_change(r, "device_revoke", *dev);
  return json_response(200, {{"device", *dev}, {"revoked", true}});
}

HttpResponse Dashboard::verify_page(const HttpRequest&) {
  return html("verify.html");
}

HttpResponse Dashboard::verify(const HttpRequest& r) {
  if (!verify_allowed(r.peer))
    return fail(429, "rate", "too many verifications from this address: wait a minute");
  std::string p = param(r, "p");
  if (p.size() > 8192) return fail(413, "too_large", "the payload is too long");
  auto v = verify_certificate(store_, p);
  if (!v.ok()) return fail(v.status());
  json j = {{"verdict", v->verdict},
            {"message", v->message},
            {"genuine", v->genuine},
            {"status", v->status},
            {"qual_kind", v->qual_kind},
            {"qual_number", v->qual_number},
            {"decided_day", v->decided_day},
            {"device_revoked", v->device_revoked},
            {"revoked_day", v->revoked_day},
            {"device_signed", v->device_signed},
            {"county_signed", v->county_signed}};
  if (v->genuine)
    j["certificate"] = {{"number", v->data.number},
                        {"name", v->data.name},
                        {"id_masked", v->data.id_masked},
                        {"occupation", v->data.occupation},
                        {"level", v->data.level},
                        {"hours", v->data.hours},
                        {"theory_score", v->data.theory_score},
                        {"practical_score", v->data.practical_score},
                        {"date", v->data.date},
                        {"site_name", v->data.site_name}};
  return json_response(200, j);
}

}  // namespace chz::server
