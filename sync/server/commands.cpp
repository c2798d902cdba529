#include "sync/server/commands.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "common/log.h"
#include "common/version.h"
#include "sync/client/client.h"
#include "sync/protocol/bundle.h"
#include "sync/server/certificates.h"
#include "sync/server/commands_admin.h"
#include "sync/server/commands_dashboard.h"
#include "sync/server/commands_registry.h"
#include "sync/server/commands_stats.h"
#include "sync/server/county_admin.h"
#include "sync/server/county_data.h"
#include "sync/server/dashboard.h"
#include "sync/server/notify.h"
#include "sync/server/person_lookup.h"
#include "sync/server/server.h"
#include "sync/server/upstream.h"
#include "sync/server/verify.h"

namespace chz::server {
namespace {

struct Opts {
  std::string data = "/var/lib/chizheng-server";  // the chizheng-server package's
  std::string db;  // postgresql://... (empty = embedded store in --data)
};

struct Ctx {
  Opts o;
  SystemClock clock;
  int rc = 0;
  void fail(const Status& st) {
    std::cerr << "error: " << st.to_string() << "\n";
    rc = 1;
  }
};

void on(CLI::App* sub, Ctx& ctx, std::function<Status()> fn) {
  sub->callback([&ctx, fn] {
    Status st = fn();
    if (!st.ok()) ctx.fail(st);
  });
}

struct Opened {
  std::unique_ptr<ServerStore> store;
  CountyKeys keys;
};
Result<Opened> open_all(Ctx& c) {
  CHZ_ASSIGN_OR_RETURN(CountyKeys k, load_county_keys(c.o.data));
  CHZ_ASSIGN_OR_RETURN(auto s, open_store(c.o.data, c.o.db));
  return Opened{std::move(s), std::move(k)};
}

std::vector<std::string> split_csv(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(ch);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"chizheng-server: the county server of Chizheng (持证)"};
  app.require_subcommand(1);
  // Global options (--data, --db, --log-level) are taken after the
  // subcommand too: `chizheng-server init --data DIR` works.
  app.fallthrough();
  Ctx ctx;
  app.add_option("--data", ctx.o.data, "data folder (county keys, embedded store)");
  app.add_option("--db", ctx.o.db,
                 "PostgreSQL URL (postgresql://...) instead of the embedded store");
  app.set_version_flag("--version", version_text("chizheng-server"));
  init_logging("info").ignore();  // "info" is always a valid level
  app.add_option_function<std::string>(
         "--log-level", [](const std::string& l) { init_logging(l).ignore(); },
         "debug|info|warn|error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));

  auto* init =
      app.add_subcommand("init", "create county keys, CA and server certificate, and the store");
  std::string county_name = "示范县人力资源和社会保障局";
  std::vector<std::string> hosts;
  init->add_option("--name", county_name, "county bureau name");
  init->add_option("--host", hosts, "server host names / addresses for its certificate");
  std::string area_code, level = "county";
  init->add_option("--area-code", area_code,
                   "the 6-digit 行政区划代码 this server serves (140521 沁水县, 140500 晋城市)");
  init->add_option("--level", level, "county (default), city or province");
  on(init, ctx, [&]() -> Status {
    if (!area_code.empty() || level != "county") CHZ_TRY(check_area(area_code, level));
    CHZ_ASSIGN_OR_RETURN(CountyKeys k, make_county_keys(county_name, hosts, ctx.clock.now_ms()));
    k.area_code = area_code;
    k.level = level;
    CHZ_TRY(save_county_keys(ctx.o.data, k));
    CHZ_ASSIGN_OR_RETURN(auto s, open_store(ctx.o.data, ctx.o.db));
    std::cout << "county initialised in " << ctx.o.data << "\n";
    return OkStatus();
  });

  auto* serve = app.add_subcommand("serve", "serve the API");
  std::string listen = "0.0.0.0";
  int port = 8443, threads = 8;
  bool plain = false;
  serve->add_option("--listen", listen, "address to listen on");
  serve->add_option("--port", port, "port (0 = any)");
  serve->add_option("--threads", threads, "worker threads");
  std::size_t per_address = ServerOptions{}.max_per_address;
  serve->add_option("--max-per-address", per_address,
                    "connections one address may hold (a NAT of kiosks counts as one)");
  serve->add_flag("--plain-http", plain,
                  "serve HTTP instead of HTTPS (tests, a TLS proxy in front)");
  DashboardOptions dopt;
  dopt.web_dir = default_web_dir();
  serve->add_option("--web", dopt.web_dir,
                    "the dashboard's files (default: installed with the server)");
  std::int64_t idle_s = dash::kSessionIdleMs / 1000;
  serve->add_option("--session-idle", idle_s,
                    "seconds without a request after which a dashboard session ends");
  serve
      ->add_option("--admin-allow", dopt.admin_allow,
                   "addresses (a.b.c.d or a.b.c.d/n) from which admin pages answer; default: any")
      ->delimiter(',');
  int forward_every_s = 300;
  serve->add_option("--forward-every", forward_every_s,
                    "when enrolled upward (upstream.json): seconds between forwarding passes to "
                    "the city, the first at start; 0 = never (use `forward`)");
  on(serve, ctx, [&]() -> Status {
    // SIGTERM (systemctl stop) and SIGINT end `serve` cleanly: blocked here,
    // before any thread starts, so every thread inherits the mask and only
    // the sigwait below takes them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    Service svc(*o.store, o.keys, ctx.clock);
    dopt.session_idle_ms = idle_s * 1000;
    dopt.data_dir = ctx.o.data;
    dopt.tls = !plain;
    if (!plain) dopt.cert_file = (std::filesystem::path(ctx.o.data) / "server-cert.pem").string();
    Dashboard dashboard(*o.store, o.keys, ctx.clock, dopt);
    CHZ_TRY(dashboard.init());
    svc.set_dashboard(&dashboard);
    ServerOptions so;
    so.host = listen;
    so.port = port;
    so.threads = threads;
    so.max_per_address = per_address;
    if (!plain) {
      so.cert_file = (std::filesystem::path(ctx.o.data) / "server-cert.pem").string();
      so.key_file = (std::filesystem::path(ctx.o.data) / "server-key.pem").string();
    }
    CHZ_ASSIGN_OR_RETURN(auto srv, HttpServer::start(svc, so));
    // The port line is for scripts and tests that pass --port 0.
    std::cout << "listening " << (plain ? "http" : "https") << "://" << listen << ":" << srv->port()
              << std::endl;
    spdlog::info("serving port={} backend={} dashboard={}", srv->port(),
                 ctx.o.db.empty() ? "sqlcipher" : "postgresql",
                 dopt.web_dir.empty() ? "api only" : "page and api");
    // The port accepts connections now (HttpServer::start listened): tell
    // systemd (Type=notify); nothing is sent when it did not start us.
    notify_systemd(fmt::format("READY=1\nSTATUS=serving {} on {}:{}", plain ? "http" : "https",
                               listen, srv->port()));
    // Forwarding upward runs beside serving; a city out of reach for weeks
    // only delays it: each pass resumes from the city's cursors.
    std::mutex fwd_mu;
    std::condition_variable fwd_cv;
    bool fwd_stop = false;
    std::thread forwarder;
    auto up = load_upstream(ctx.o.data);
    if (up.ok() && forward_every_s > 0) {
      forwarder = std::thread([&, up = *up] {
        std::unique_lock lk(fwd_mu);
        while (!fwd_stop) {
          lk.unlock();
          sync_client::ClientOptions copt;
          copt.max_attempts = 3;  // the next pass retries; a stop need not wait long
          auto r = forward_once(*o.store, up, ctx.clock, copt);
          if (!r.ok()) spdlog::warn("forward failed: {}", r.status().to_string());
          if (r.ok())
            if (Status st = save_cursors(ctx.o.data, r->acked); !st.ok())
              spdlog::warn("forward cursors not kept: {}", st.to_string());
          lk.lock();
          fwd_cv.wait_for(lk, std::chrono::seconds(forward_every_s), [&] { return fwd_stop; });
        }
      });
    }
    int sig = 0;
    sigwait(&stop_signals, &sig);
    spdlog::info("stopping on signal {}", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    notify_systemd("STOPPING=1");
    if (forwarder.joinable()) {
      {
        std::lock_guard g(fwd_mu);
        fwd_stop = true;
      }
      fwd_cv.notify_all();
      forwarder.join();  // a pass in flight finishes its request, at most its retries
    }
    srv->stop();  // running handlers finish; then every connection closes
    return OkStatus();
  });

  auto* site = app.add_subcommand("site", "add or rename a training site");
  std::string site_id, site_name, township;
  site->add_option("--id", site_id)->required();
  site->add_option("--name", site_name)->required();
  site->add_option("--township", township)->required();
  on(site, ctx, [&]() -> Status {
    // "/" and "county:" belong to the level above (upstream.h): a city
    // keeps a county's sites as "<area>/<site>" and the county itself as
    // "county:<area>".
    if (site_id.empty() || site_id.find('/') != std::string::npos ||
        site_id.rfind("county:", 0) == 0)
      return Status(Code::kInvalidArgument,
                    "a site id may not be empty, contain '/' or begin with 'county:'",
                    "server.site_id");
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    bool is_new = !o.store->site_name(site_id).ok();
    CHZ_TRY(o.store->add_site(site_id, site_name, township));
    // A site added after the county set its minutes per 学时 gets them too.
    return is_new ? admin::send_settings(*o.store, site_id, ctx.clock.now_ms()) : OkStatus();
  });

  auto* staff = app.add_subcommand("staff", "add a trainer / assessor / site admin");
  StaffInput si;
  staff->add_option("--id", si.id)->required();
  staff->add_option("--name", si.name)->required();
  staff->add_option("--role", si.role)->check(CLI::IsMember({"trainer", "assessor", "site_admin"}));
  staff->add_option("--site", si.site)->required();
  staff->add_option("--setup-code", si.setup_code, "one-time code for the first PIN");
  on(staff, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    return add_staff(*o.store, si, ctx.clock.now_ms());
  });

  auto* cls = app.add_subcommand("class", "add a class");
  ClassInput ci;
  std::string trainers;
  cls->add_option("--id", ci.id)->required();
  cls->add_option("--course", ci.course)->required();
  cls->add_option("--site", ci.site)->required();
  cls->add_option("--name", ci.name)->required();
  cls->add_option("--capacity", ci.capacity);
  cls->add_option("--trainers", trainers, "comma-separated staff ids");
  on(cls, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    ci.trainers = split_csv(trainers);
    return add_class(*o.store, ci, ctx.clock.now_ms());
  });

  auto* ses = app.add_subcommand("session", "schedule a session of a class");
  SessionInput se;
  ses->add_option("--id", se.id)->required();
  ses->add_option("--class", se.class_id)->required();
  ses->add_option("--date", se.date, "YYYY-MM-DD (China time)")->required();
  ses->add_option("--start", se.start, "HH:MM")->required();
  ses->add_option("--end", se.end, "HH:MM")->required();
  ses->add_option("--kind", se.kind)->check(CLI::IsMember({"theory", "practical"}));
  on(ses, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    CHZ_TRY(parse_date(se.date).status());
    return add_session(*o.store, se, ctx.clock.now_ms());
  });

  auto* enrol = app.add_subcommand("enrol", "enrol a person in a class");
  PersonInput pi;
  std::string enrol_class, groups;
  enrol->add_option("--class", enrol_class)->required();
  enrol->add_option("--id-number", pi.id_number)->required();
  enrol->add_option("--name", pi.name)->required();
  enrol->add_option("--township", pi.township);
  enrol->add_option("--village", pi.village);
  enrol->add_option("--phone", pi.phone);
  enrol->add_option("--groups", groups, "comma-separated employment groups");
  on(enrol, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    pi.groups = split_csv(groups);
    return enrol_person(*o.store, o.keys, enrol_class, pi, ctx.clock.now_ms());
  });

  auto* person = app.add_subcommand(
      "person", "one person's record in the read model (JSON; ID number and phone masked)");
  std::string person_id, person_name;
  person->add_option("--id-number", person_id, "the person's ID number");
  person->add_option("--name", person_name, "part of a name: lists the matches");
  on(person, ctx, [&]() -> Status {
    if (person_id.empty() == person_name.empty())
      return Status(Code::kInvalidArgument, "give --id-number or --name");
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    std::string key;
    if (!person_id.empty()) {
      CHZ_ASSIGN_OR_RETURN(key, person_key_of(o.keys, person_id));
    }
    return o.store->model([&](ModelTx& tx) -> Status {
      CHZ_ASSIGN_OR_RETURN(
          auto j, key.empty() ? people_named(tx.sql(), person_name) : person_record(tx.sql(), key));
      std::cout << j.dump(1) << "\n";
      return OkStatus();
    });
  });

  auto* code = app.add_subcommand(
      "code", "issue a one-time enrollment code for a site's kiosk, or (at a city) a county");
  std::string code_site, code_county, code_county_name;
  int hours = 72;
  auto* code_site_opt = code->add_option("--site", code_site, "the site a kiosk will serve");
  code->add_option("--county", code_county,
                   "at a city or province: the area code of the county (or city) that will "
                   "enroll upward with it")
      ->excludes(code_site_opt);
  code->add_option("--county-name", code_county_name, "its name, for reports (e.g. 沁水县)");
  code->add_option("--hours", hours, "validity in hours (1 to 720, i.e. 30 days)")
      ->check(CLI::Range(1, 720));
  std::string enroll_file, enroll_url;
  code->add_option("--usb-file", enroll_file,
                   "also write the code and --url as a kiosk's USB enrollment file "
                   "(e.g. /media/stick/chizheng-enroll.txt)");
  code->add_option("--url", enroll_url, "the server address kiosks use, for --usb-file");
  on(code, ctx, [&]() -> Status {
    if (!enroll_file.empty() && enroll_url.empty())
      return Status(Code::kInvalidArgument, "--usb-file needs --url (the address kiosks use)");
    if (code_site.empty() == code_county.empty())
      return Status(Code::kInvalidArgument, "give --site (a kiosk) or --county (a county)");
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    if (!code_county.empty()) {
      if (o.keys.level == "county")
        return Status(Code::kFailedPrecondition,
                      "this server is a county's; counties enroll with a city server "
                      "(init --level city)");
      CHZ_TRY(check_area(code_county, o.keys.level == "province" ? "city" : "county"));
      code_site = county_site(code_county);
      if (!o.store->site_name(code_site).ok())
        CHZ_TRY(o.store->add_site(code_site,
                                  code_county_name.empty() ? code_county : code_county_name, ""));
    }
    CHZ_ASSIGN_OR_RETURN(std::string c,
                         issue_code(*o.store, code_site, hours * 3600000LL, ctx.clock.now_ms()));
    std::cout << c << "\n";
    if (!enroll_file.empty())
      CHZ_TRY(write_file_atomic(enroll_file, "server=" + enroll_url + "\ncode=" + c + "\n", 0600));
    return OkStatus();
  });

  auto* upstream = app.add_subcommand("upstream", "this county's enrollment with its city");
  upstream->require_subcommand(1);
  auto* up_enroll = upstream->add_subcommand("enroll", "enroll with the city's one-time code");
  std::string up_url, up_code;
  up_enroll->add_option("--url", up_url, "the city server, e.g. https://city.example:8443")
      ->required();
  up_enroll->add_option("--code", up_code, "the one-time code the city issued")->required();
  on(up_enroll, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    CHZ_ASSIGN_OR_RETURN(Upstream up,
                         enroll_upstream(ctx.o.data, o.keys, up_url, up_code, ctx.clock));
    std::cout << "enrolled with " << up.url << " as " << up.identity << "\n";
    return OkStatus();
  });
  auto* up_status = upstream->add_subcommand("status", "where this county forwards (JSON)");
  on(up_status, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Upstream up, load_upstream(ctx.o.data));
    std::cout << nlohmann::json{{"url", up.url},
                                {"identity", up.identity},
                                {"enrolled_ms", up.enrolled_ms}}
                     .dump()
              << "\n";
    return OkStatus();
  });

  auto* fwd = app.add_subcommand(
      "forward", "send the city what it lacks: kiosk batches with their proofs, county records");
  int fwd_attempts = sync_client::ClientOptions{}.max_attempts;
  fwd->add_option("--attempts", fwd_attempts,
                  "tries per request before giving up, with backoff (the next pass resumes)")
      ->check(CLI::Range(1, 100));
  std::string fwd_usb;
  fwd->add_option("--usb", fwd_usb,
                  "write what the city lacks (as of the last pass that got through) to this file "
                  "for a USB stick, instead of sending; the city runs import-bundle FILE");
  on(fwd, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Upstream up, load_upstream(ctx.o.data));
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    ForwardReport r;
    if (!fwd_usb.empty()) {
      CHZ_ASSIGN_OR_RETURN(Cursors since, load_cursors(ctx.o.data));
      CHZ_ASSIGN_OR_RETURN(UsbForward u, forward_bundle(*o.store, up, since, ctx.clock.now_ms()));
      CHZ_TRY(write_file_atomic(fwd_usb, u.file));
      r = std::move(u.report);
    } else {
      sync_client::ClientOptions copt;
      copt.max_attempts = fwd_attempts;
      CHZ_ASSIGN_OR_RETURN(r, forward_once(*o.store, up, ctx.clock, copt));
      CHZ_TRY(save_cursors(ctx.o.data, r.acked));
    }
    std::cout << nlohmann::json{{"batches", r.batches},
                                {"device_records", r.device_records},
                                {"county_records", r.county_records},
                                {"devices", r.devices},
                                {"unproven", r.unproven}}
                     .dump()
              << "\n";
    return OkStatus();
  });

  auto* revoke = app.add_subcommand("revoke", "revoke a device");
  std::string revoke_dev;
  revoke->add_option("--device", revoke_dev)->required();
  on(revoke, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    CHZ_TRY(o.store->revoke_device(revoke_dev));
    return record_revocation(*o.store, revoke_dev, ctx.clock.now_ms());
  });

  auto* dkeys = app.add_subcommand(
      "device-keys", "the published device keys (JSON) for offline certificate verifiers");
  on(dkeys, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    CHZ_ASSIGN_OR_RETURN(std::string doc, device_keys_document(*o.store));
    std::cout << doc << "\n";
    return OkStatus();
  });

  auto* verify = app.add_subcommand(
      "verify-certificate",
      "verify a certificate: its QR payload or /verify URL (valid, altered, revoked...)");
  std::string verify_text;
  verify->add_option("payload", verify_text, "CHZC1.… or https://…/verify?p=…")->required();
  on(verify, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    CHZ_ASSIGN_OR_RETURN(Verification v, verify_certificate(*o.store, verify_text));
    std::cout << v.verdict << ": " << v.message << "\n";
    if (v.genuine)
      std::cout << v.data.number << "  " << v.data.name << "  " << v.data.occupation << "  "
                << v.data.level << "  " << v.data.date << "  " << v.data.site_name << "\n";
    if (v.verdict != "valid" && v.verdict != "pending")
      ctx.rc = 2;  // scripts: 0 valid or pending, 2 anything else
    return OkStatus();
  });

  auto* publish = app.add_subcommand("publish", "sign and publish a course (content/courses/<id>)");
  std::string course_dir;
  publish->add_option("--course-dir", course_dir)->required();
  on(publish, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    CHZ_ASSIGN_OR_RETURN(PublishResult p,
                         publish_course(*o.store, o.keys, course_dir, ctx.clock.now_ms()));
    if (p.published)
      std::cout << "published " << p.id << " to every site\n";
    else
      std::cout << "nothing new: " << p.id << " is already published with this content\n";
    return OkStatus();
  });

  auto* demo = app.add_subcommand("demo-seed", "fill a fictional county with demo data");
  std::string courses = "content/courses";
  demo->add_option("--courses", courses, "folder of demo course sources");
  on(demo, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    CHZ_TRY(demo_seed(*o.store, o.keys, courses, ctx.clock.now_ms()));
    std::cout << "demo county seeded\n";
    return OkStatus();
  });

  auto* imp = app.add_subcommand(
      "import-bundle", "ingest a kiosk's USB bundle, or at a city a county's (idempotent)");
  std::string bundle_file;
  imp->add_option("file", bundle_file)->required();
  on(imp, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    CHZ_ASSIGN_OR_RETURN(std::string bytes, read_file(bundle_file, 256u << 20));
    Service svc(*o.store, o.keys, ctx.clock);
    // The cursor before says what the import added: a repeated stick adds nothing.
    CHZ_ASSIGN_OR_RETURN(auto info, sync::peek_bundle(bytes));
    if (info.kind == kForwardBundle) {
      CHZ_ASSIGN_OR_RETURN(ForwardImport fi, svc.import_forward_bundle(bytes));
      std::cout << nlohmann::json{{"from", info.from},
                                  {"batches", fi.batches},
                                  {"device_records", fi.device_records},
                                  {"county_records", fi.county_records}}
                       .dump()
                << "\n";
      return OkStatus();
    }
    auto before = o.store->device(info.from);
    CHZ_ASSIGN_OR_RETURN(std::int64_t cur, svc.import_device_bundle(bytes));
    std::int64_t was = before.ok() ? before->cursor : 0;
    if (cur == was)
      std::cout << "nothing new: every record of device " << info.from
                << " in this bundle was here already; device cursor " << cur << "\n";
    else
      std::cout << "imported " << (cur - was) << " new records (" << was + 1 << ".." << cur
                << ") of device " << info.from << "; device cursor " << cur << "\n";
    return OkStatus();
  });

  auto* exp = app.add_subcommand("export-site-bundle",
                                 "write the site bundle for a kiosk (feed + ack cursor)");
  std::string exp_dev, exp_out;
  std::int64_t exp_after = 0;
  exp->add_option("--device", exp_dev)->required();
  exp->add_option("--out", exp_out)->required();
  exp->add_option("--after", exp_after, "feed cursor the kiosk already holds");
  on(exp, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    Service svc(*o.store, o.keys, ctx.clock);
    CHZ_ASSIGN_OR_RETURN(std::string b, svc.export_site_bundle(exp_dev, exp_after));
    CHZ_TRY(write_file_atomic(exp_out, b, 0600));
    std::cout << "wrote " << exp_out << "\n";
    return OkStatus();
  });

  auto* cert = app.add_subcommand("cert", "county decisions on kiosk-issued certificates");
  cert->require_subcommand(1);
  on(cert->add_subcommand("pending", "list certificates waiting for a county decision"), ctx,
     [&]() -> Status {
       CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
       CHZ_ASSIGN_OR_RETURN(auto pending, pending_certificates(*o.store));
       for (const auto& c : pending)
         std::cout << c.data.number << "\t" << c.site << "\t" << c.device << "\t" << c.data.date
                   << "\t" << c.data.occupation << "\t" << c.data.level << "\t"
                   << mask_name(c.data.name) << "\t"
                   << (c.device_signature.ok() ? "设备签名有效 / device signature valid"
                                               : "设备签名无效 / device signature INVALID: " +
                                                     c.device_signature.message())
                   << "\n";
       std::cout << pending.size() << " pending\n";
       return OkStatus();
     });
  CertificateDecision dec;
  auto* confirm = cert->add_subcommand("confirm", "confirm a certificate (已确认), county-signed");
  confirm
      ->add_option("number", dec.number,
                   "certificate number (140521-26-017-0042, dashes optional, or an old one)")
      ->required();
  confirm->add_option("--qual-kind", dec.qual_kind, "职业技能等级证书 or 专项职业能力证书");
  confirm->add_option("--qual-number", dec.qual_number, "the number of that certificate");
  auto* reject = cert->add_subcommand("reject", "reject a certificate (驳回), county-signed");
  reject
      ->add_option("number", dec.number,
                   "certificate number (140521-26-017-0042, dashes optional, or an old one)")
      ->required();
  reject->add_option("--reason", dec.reason, "why (shown to the trainee)")->required();
  auto* annul = cert->add_subcommand(
      "annul",
      "annul a certificate (注销: issued in error, obtained by fraud), county-signed; a "
      "confirmed one too. /verify and the kiosk show it annulled; it no longer counts "
      "toward 持证");
  annul
      ->add_option("number", dec.number,
                   "certificate number (140521-26-017-0042, dashes optional, or an old one)")
      ->required();
  annul->add_option("--reason", dec.reason, "why (kept with the decision)")->required();
  auto decide = [&](std::string_view status) -> Status {
    dec.status = std::string(status);
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    CHZ_ASSIGN_OR_RETURN(DecisionOutcome out,
                         decide_certificate(*o.store, o.keys, dec, ctx.clock.now_ms()));
    const auto& c = out.decision;
    std::string what = c.status == sync::kCertStatusConfirmed  ? "confirmed"
                       : c.status == sync::kCertStatusRejected ? "rejected"
                                                               : "annulled";
    std::string detail = !c.qual_number.empty()
                             ? fmt::format(" ({} {})", c.qual_kind, c.qual_number)
                         : !c.reason.empty() ? fmt::format(" (reason: {})", c.reason)
                                             : "";
    if (out.written)
      std::cout << "certificate " << c.number << " " << what << detail
                << ": county-signed certificate_confirm written to the feed of " << out.site
                << "\n";
    else
      std::cout << "certificate " << c.number << " is already " << what << detail
                << "; nothing written\n";
    return OkStatus();
  };
  on(confirm, ctx, [&] { return decide(sync::kCertStatusConfirmed); });
  on(reject, ctx, [&] { return decide(sync::kCertStatusRejected); });
  on(annul, ctx, [&] {
    if (dec.reason.find_first_not_of(' ') == std::string::npos)
      return Status(Code::kInvalidArgument, "注销须写明理由 / an annulment needs a --reason",
                    "confirm.fields");
    return decide(sync::kCertStatusRevoked);
  });

  CliHooks hooks{
      [&]() -> Result<std::unique_ptr<ServerStore>> { return open_store(ctx.o.data, ctx.o.db); },
      [&](const Status& st) { ctx.fail(st); }, [&] { return ctx.clock.now_ms(); }};
  add_stats_commands(app, hooks);
  add_admin_commands(app, {hooks, [&] { return load_county_keys(ctx.o.data); }});
  add_dashboard_commands(app, hooks);
  add_registry_commands(app, {ctx.o.data, ctx.o.db, ctx.clock, [&](auto& st) { ctx.fail(st); }});

  auto* faults = app.add_subcommand("faults", "list recorded sync faults");
  on(faults, ctx, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_all(ctx));
    CHZ_ASSIGN_OR_RETURN(auto fs, o.store->faults());
    for (const auto& f : fs)
      std::cout << f.device << "\t" << f.seq << "\t" << f.what << "\t" << f.at_ms << "\n";
    return OkStatus();
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return ctx.rc;
}

}  // namespace chz::server
