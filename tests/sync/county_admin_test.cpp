// The county's own records through the real store (both backends: the _pg
// variant runs on PostgreSQL): listings read what the model holds, and each
// change (deactivate staff, unenrol, cancel a session or class, correct a
// person) is a county record on the right site's feed with the fields a
// kiosk writes, or a refusal that writes nothing.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sync/protocol/person_key.h"
#include "sync/protocol/record_kinds.h"
#include "sync/server/county_admin.h"
#include "sync/server/county_data.h"
#include "sync/server/county_model.h"
#include "sync/server/indicators.h"
#include "sync/server/person_lookup.h"
#include "tests/sync/harness.h"
#include "tests/sync/stats_helpers.h"

using namespace chz;
using namespace chz::synctest;
using nlohmann::json;
namespace admin = chz::server::admin;

namespace {

struct Fixture {
  Harness h;
  Kiosk a = h.kiosk("site-a");
  std::int64_t now = h.clock.now_ms();
  std::string id1 = id_number("19800315", 2), id2 = id_number("19900101", 5);
  std::string p1 = sync::person_key(h.keys.person_key, id1);
  std::string p2 = sync::person_key(h.keys.person_key, id2);
  std::string past = day(-1), soon = day(3), later = day(10);

  std::string day(int offset) { return format_date(china_date(now + offset * 86'400'000LL)); }
  json list(admin::Listing what, admin::ListFilter f = {}) {
    auto r = admin::list(*h.store, what, f);
    REQUIRE_MESSAGE(r.ok(), r.status().to_string());
    return *r;
  }
  // The county records on `site`'s feed, as (kind, body).
  std::vector<std::pair<std::string, json>> feed(const std::string& site) {
    auto page = h.store->feed(site, "", 0, 1000);
    REQUIRE(page.ok());
    std::vector<std::pair<std::string, json>> out;
    for (const auto& r : page->records) out.emplace_back(r.kind, json::parse(r.body));
    return out;
  }
  std::size_t feed_size() { return feed("site-a").size() + feed("site-b").size(); }

  Fixture() {
    REQUIRE(
        server::add_staff(*h.store, {"t-1", "郭彧", "trainer", "site-a", "20261204"}, now).ok());
    REQUIRE(server::add_class(*h.store, {"k1", "c1", "site-a", "烹调一班"}, now).ok());
    REQUIRE(server::add_class(*h.store, {"k2", "c1", "site-a", "烹调二班"}, now).ok());
    REQUIRE(server::add_session(*h.store, {"s-past", "k1", past, "09:00", "11:00"}, now).ok());
    REQUIRE(server::add_session(*h.store, {"s-soon", "k1", soon, "09:00", "11:00"}, now).ok());
    REQUIRE(server::add_session(*h.store, {"s-k2a", "k2", soon, "14:00", "16:00"}, now).ok());
    REQUIRE(server::add_session(*h.store, {"s-k2b", "k2", later, "14:00", "16:00"}, now).ok());
    REQUIRE(server::enrol_person(*h.store, h.keys, "k1",
                                 {id1, "张𠮷", "城关镇", "南关村", "13800005678", {"退役军人"}},
                                 now)
                .ok());
    REQUIRE(server::enrol_person(*h.store, h.keys, "k1", {id2, "王龘", "郑庄镇"}, now).ok());
    // The kiosk has sent a check-in to the past session.
    REQUIRE(a.dev
                ->add_record("attendance",
                             json{{"session", "s-past"},
                                  {"person", p1},
                                  {"event", "in"},
                                  {"at_ms", at(past.c_str(), 9, 0)},
                                  {"by", "self"}}
                                 .dump(),
                             at(past.c_str(), 9, 0))
                .ok());
    auto st = sync_client::Client(a.cred, {}, h.clock).sync_once(*a.dev, *a.dev);
    REQUIRE_MESSAGE(st.ok(), st.to_string());
  }
};

}  // namespace

TEST_CASE(
    "county admin: the server's setup code verifies with the kiosk's own check at 600,000 "
    "iterations") {
  Fixture f;
  for (const auto& [kind, b] : f.feed("site-a"))
    if (kind == "staff" && b.contains("setup_code")) {
      std::string code = b["setup_code"];
      CHECK(code.rfind("pbkdf2-sha256$600000$", 0) == 0);
      CHECK(sync::kinds::verify_staff_secret(code, "20261204"));
      CHECK_FALSE(sync::kinds::verify_staff_secret(code, "20261205"));
      return;
    }
  FAIL("no staff record with a setup code on site-a's feed");
}

TEST_CASE("county admin: listings show what the model holds, ID numbers and phones masked") {
  Fixture f;
  auto sites = f.list(admin::Listing::kSites);
  REQUIRE(sites.size() == 2);  // site-a and site-b; the registry's feed is no site
  CHECK(sites[0]["id"] == "site-a");
  CHECK(sites[0]["devices"] == 1);
  CHECK(sites[0]["last_seen_ms"].get<std::int64_t>() > 0);  // kiosk a synced
  CHECK(sites[0]["last_records_ms"].get<std::int64_t>() > 0);
  CHECK(sites[1]["last_seen_ms"] == 0);
  CHECK(sites[1]["last_records_ms"] == 0);

  auto devices = f.list(admin::Listing::kDevices);
  REQUIRE(devices.size() == 1);
  CHECK(devices[0]["id"] == f.a.id);
  CHECK(devices[0]["revoked"] == false);
  CHECK(devices[0]["records"] == 1);
  CHECK(devices[0]["last_seen_ms"].get<std::int64_t>() >= devices[0]["last_records_ms"]);

  auto staff = f.list(admin::Listing::kStaff, {"site-a"});
  REQUIRE(staff.size() == 1);
  CHECK(staff[0]["name"] == "郭彧");
  CHECK(staff[0]["active"] == true);
  CHECK(f.list(admin::Listing::kStaff, {"site-b"}).empty());

  auto classes = f.list(admin::Listing::kClasses);
  REQUIRE(classes.size() == 2);
  CHECK(classes[0]["id"] == "k1");
  CHECK(classes[0]["enrolled"] == 2);
  CHECK(classes[0]["sessions"] == 2);
  CHECK(classes[0]["confirmed_sessions"] == 0);

  auto sessions = f.list(admin::Listing::kSessions, {"", "k1"});
  REQUIRE(sessions.size() == 2);
  CHECK(sessions[0]["id"] == "s-past");  // by date
  CHECK(sessions[0]["attendance"] == 1);
  CHECK(sessions[1]["attendance"] == 0);
  CHECK(f.list(admin::Listing::kSessions, {"site-a"}).size() == 4);

  auto people = f.list(admin::Listing::kPeople, {"", "k1"});
  REQUIRE(people.size() == 2);
  const json& zhang = people[0]["name"] == "张𠮷" ? people[0] : people[1];
  CHECK(zhang["id_masked"] == server::mask_id(f.id1));
  CHECK(zhang["id_masked"].get<std::string>().find(f.id1.substr(6, 8)) == std::string::npos);
  CHECK(zhang["phone_masked"] == "138****5678");
  CHECK(f.list(admin::Listing::kPeople, {"", "k2"}).empty());
  // A limit is a limit.
  admin::ListFilter one;
  one.limit = 1;
  CHECK(f.list(admin::Listing::kClasses, one).size() == 1);
  CHECK(admin::listing_named("planets").status().key() == "admin.listing");
}

TEST_CASE("county admin: deactivating staff writes active 0 to their site, once") {
  Fixture f;
  auto before = f.feed_size();
  CHECK(admin::set_staff_active(*f.h.store, "t-1", false, f.now).value() == true);
  auto fd = f.feed("site-a");
  CHECK(fd.back().first == "staff");
  CHECK(fd.back().second == json{{"entity", "staff:t-1"}, {"active", 0}});
  CHECK(f.list(admin::Listing::kStaff)[0]["active"] == false);
  // Again: nothing written.
  CHECK(admin::set_staff_active(*f.h.store, "t-1", false, f.now).value() == false);
  CHECK(f.feed_size() == before + 1);
  CHECK(admin::set_staff_active(*f.h.store, "t-1", true, f.now).value() == true);
  CHECK(f.list(admin::Listing::kStaff)[0]["active"] == true);
  CHECK(admin::set_staff_active(*f.h.store, "nobody", false, f.now).status().key() ==
        "admin.staff_unknown");
}

TEST_CASE("county admin: unenrolling ends the enrolment and refuses one that is not there") {
  Fixture f;
  REQUIRE(admin::unenrol(*f.h.store, f.h.keys, "k1", f.id2, f.now).ok());
  auto fd = f.feed("site-a");
  CHECK(fd.back().second == json{{"entity", "enrolment:k1:" + f.p2}, {"active", 0}});
  auto people = f.list(admin::Listing::kPeople, {"", "k1"});
  REQUIRE(people.size() == 1);
  CHECK(people[0]["name"] == "张𠮷");
  auto before = f.feed_size();
  CHECK(admin::unenrol(*f.h.store, f.h.keys, "k1", f.id2, f.now).key() == "admin.not_enrolled");
  CHECK(admin::unenrol(*f.h.store, f.h.keys, "k2", f.id1, f.now).key() == "admin.not_enrolled");
  CHECK(admin::unenrol(*f.h.store, f.h.keys, "k1", "140521198003150021", f.now).code() ==
        Code::kInvalidArgument);  // a bad check character
  CHECK(f.feed_size() == before);
}

TEST_CASE(
    "county admin: only a future session without records is cancelled; a class only if "
    "all of its sessions can be") {
  Fixture f;
  auto before = f.feed_size();
  CHECK(admin::cancel_session(*f.h.store, "s-past", f.now).key() == "admin.session_started");
  // A past session with nothing sent yet may be under way on a kiosk offline.
  REQUIRE(server::add_session(*f.h.store, {"s-quiet", "k1", f.past, "14:00", "15:00"}, f.now).ok());
  ++before;
  CHECK(admin::cancel_session(*f.h.store, "s-quiet", f.now).key() == "admin.session_past");
  CHECK(admin::cancel_session(*f.h.store, "s-none", f.now).key() == "admin.session_unknown");
  // Class k1 holds s-past: refused whole, naming the session, nothing written.
  auto k1 = admin::cancel_class(*f.h.store, "k1", f.now);
  CHECK(k1.status().key() == "admin.session_started");
  CHECK(k1.status().message().find("s-past") != std::string::npos);
  CHECK(f.feed_size() == before);

  REQUIRE(admin::cancel_session(*f.h.store, "s-soon", f.now).ok());
  CHECK(f.feed("site-a").back().second == json{{"entity", "session:s-soon"}});
  CHECK(f.list(admin::Listing::kSessions, {"", "k1"}).size() == 2);  // s-past, s-quiet
  CHECK(admin::cancel_session(*f.h.store, "s-soon", f.now).key() == "admin.session_unknown");

  CHECK(admin::cancel_class(*f.h.store, "k2", f.now).value() == 2);
  auto fd = f.feed("site-a");
  REQUIRE(fd.size() >= 3);
  CHECK(fd[fd.size() - 1].second == json{{"entity", "class:k2"}});
  CHECK(fd[fd.size() - 2].second == json{{"entity", "session:s-k2b"}});
  CHECK(fd[fd.size() - 3].second == json{{"entity", "session:s-k2a"}});
  auto classes = f.list(admin::Listing::kClasses);
  REQUIRE(classes.size() == 1);
  CHECK(classes[0]["id"] == "k1");
  CHECK(admin::cancel_class(*f.h.store, "k2", f.now).status().key() == "admin.class_unknown");
}

TEST_CASE(
    "county admin: a person correction reaches every site they are enrolled at and the "
    "model; bad values write nothing") {
  Fixture f;
  REQUIRE(server::add_class(*f.h.store, {"kb", "c1", "site-b", "烹调东岭班"}, f.now).ok());
  REQUIRE(server::enrol_person(*f.h.store, f.h.keys, "kb", {f.id1, "张𠮷"}, f.now).ok());
  auto before = f.feed_size();
  admin::PersonCorrection bad;
  bad.add_groups = {"外星人"};
  CHECK(admin::correct_person(*f.h.store, f.h.keys, f.id1, bad, f.now).status().key() ==
        "person.group");
  bad = {};
  bad.phone = "12345";
  CHECK(admin::correct_person(*f.h.store, f.h.keys, f.id1, bad, f.now).status().key() ==
        "phone.invalid");
  bad = {};
  bad.name = "";
  CHECK(admin::correct_person(*f.h.store, f.h.keys, f.id1, bad, f.now).status().key() ==
        "person.name");
  CHECK(admin::correct_person(*f.h.store, f.h.keys, f.id1, {}, f.now).status().key() ==
        "admin.nothing");
  bad = {};
  bad.leave_day = f.soon;  // 张𠮷 was enrolled, never in the registry
  CHECK(admin::correct_person(*f.h.store, f.h.keys, f.id1, bad, f.now).status().key() ==
        "admin.not_in_registry");
  admin::PersonCorrection stranger;
  stranger.name = "李四";
  CHECK(admin::correct_person(*f.h.store, f.h.keys, id_number("19700101", 7), stranger, f.now)
            .status()
            .key() == "person.unknown");
  CHECK(f.feed_size() == before);

  admin::PersonCorrection fix;
  fix.name = "张𠮶";
  fix.village = "北关村";
  fix.add_groups = {"下岗失业人员"};
  fix.remove_groups = {"退役军人"};
  auto sites = admin::correct_person(*f.h.store, f.h.keys, f.id1, fix, f.now);
  REQUIRE_MESSAGE(sites.ok(), sites.status().to_string());
  CHECK(*sites == std::vector<std::string>{"site-a", "site-b"});
  json want{{"entity", "person:" + f.p1}, {"name", "张𠮶"},          {"name_source", "registry"},
            {"village", "北关村"},        {"group:下岗失业人员", 1}, {"group:退役军人", 0}};
  CHECK(f.feed("site-a").back().second == want);
  CHECK(f.feed("site-b").back().second == want);
  json rec;
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(rec, server::person_record(tx.sql(), f.p1));
                return OkStatus();
              })
              .ok());
  CHECK(rec["person"]["name"] == "张𠮶");
  CHECK(rec["person"]["village"] == "北关村");
  CHECK(rec["person"]["township"] == "城关镇");  // not given: kept
  CHECK(rec["person"]["groups"] == json::array({"下岗失业人员"}));
}

TEST_CASE(
    "county admin: a registry person leaves the registry from a day, on the registry's "
    "feed only") {
  Fixture f;
  std::string id = id_number("19700601", 6), key = sync::person_key(f.h.keys.person_key, id);
  REQUIRE(f.h.store
              ->append_county({{std::string(server::model::kRegistryFeed), "registry_entry",
                                json{{"person", key},
                                     {"id_number", id},
                                     {"name", "赵婧"},
                                     {"from", "2025-01-01"},
                                     {"import", "t"}}
                                    .dump()}},
                              f.now)
              .ok());
  auto before = f.feed_size();
  admin::PersonCorrection gone;
  gone.leave_day = f.past;
  auto sites = admin::correct_person(*f.h.store, f.h.keys, id, gone, f.now);
  REQUIRE_MESSAGE(sites.ok(), sites.status().to_string());
  CHECK(sites->empty());
  CHECK(f.feed_size() == before);  // no kiosk feed carries it
  auto reg = f.feed(std::string(server::model::kRegistryFeed));
  CHECK(reg.back().first == "registry_leave");
  CHECK(reg.back().second == json{{"person", key}, {"to", f.past}});
  json rec;
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(rec, server::person_record(tx.sql(), key));
                return OkStatus();
              })
              .ok());
  CHECK(rec["person"]["registry"]["member"] == false);
  CHECK(rec["person"]["registry"]["to"] == f.past);
  // Leaving twice is refused.
  CHECK(admin::correct_person(*f.h.store, f.h.keys, id, gone, f.now).status().key() ==
        "admin.not_in_registry");
}

TEST_CASE(
    "county admin: minutes per 学时 go to every site once, a kiosk cannot set them, and the "
    "figures divide by them") {
  Fixture f;
  auto mph = [&] {
    int m = 0;
    REQUIRE(f.h.store
                ->model([&](server::ModelTx& tx) -> Status {
                  CHZ_ASSIGN_OR_RETURN(m, server::model::minutes_per_hour(tx.sql()));
                  return OkStatus();
                })
                .ok());
    return m;
  };
  CHECK(mph() == 45);
  CHECK_FALSE(admin::county_minutes_per_hour(*f.h.store).value().has_value());
  CHECK(admin::set_minutes_per_hour(*f.h.store, 19, f.now).status().key() ==
        "hours.minutes_per_hour");
  CHECK(admin::set_minutes_per_hour(*f.h.store, 121, f.now).status().key() ==
        "hours.minutes_per_hour");
  auto before = f.feed_size();
  CHECK(admin::set_minutes_per_hour(*f.h.store, 40, f.now).value() == true);
  CHECK(f.feed_size() == before + 2);  // site-a and site-b
  json want{{"key", "hours.minutes_per_hour"}, {"value", 40}};
  for (const char* site : {"site-a", "site-b"}) {
    CHECK(f.feed(site).back().first == "county_setting");
    CHECK(f.feed(site).back().second == want);
  }
  CHECK(mph() == 40);
  CHECK(admin::set_minutes_per_hour(*f.h.store, 40, f.now).value() == false);
  CHECK(f.feed_size() == before + 2);

  // A kiosk sending the same kind changes nothing at the county.
  REQUIRE(f.a.dev
              ->add_record("county_setting",
                           json{{"key", "hours.minutes_per_hour"}, {"value", 20}}.dump(),
                           f.now + 60'000)
              .ok());
  auto st = sync_client::Client(f.a.cred, {}, f.h.clock).sync_once(*f.a.dev, *f.a.dev);
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  CHECK(mph() == 40);

  // A site added afterwards gets the setting on its feed.
  REQUIRE(f.h.store->add_site("site-c", "新站", "郑庄镇").ok());
  REQUIRE(admin::send_settings(*f.h.store, "site-c", f.now).ok());
  REQUIRE(f.feed("site-c").size() == 1);
  CHECK(f.feed("site-c")[0].second == want);

  // The report says and uses it: 120 confirmed minutes are 3 学时 at 40.
  REQUIRE(f.a.dev
              ->add_record("attendance",
                           json{{"session", "s-past"},
                                {"person", f.p1},
                                {"event", "out"},
                                {"at_ms", at(f.past.c_str(), 10, 30)},
                                {"by", "self"}}
                               .dump(),
                           at(f.past.c_str(), 10, 30))
              .ok());
  REQUIRE(f.a.dev
              ->add_record("roster_confirm",
                           json{{"session", "s-past"},
                                {"by", "t-1"},
                                {"at_ms", at(f.past.c_str(), 11, 30)},
                                {"present", {f.p1}}}
                               .dump(),
                           at(f.past.c_str(), 11, 30))
              .ok());
  st = sync_client::Client(f.a.cred, {}, f.h.clock).sync_once(*f.a.dev, *f.a.dev);
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  server::stats::Report rep;
  REQUIRE(
      f.h.store
          ->model([&](server::ModelTx& tx) -> Status {
            CHZ_ASSIGN_OR_RETURN(rep, server::stats::compute(tx.sql(), {"2000-01-01", f.later}));
            return OkStatus();
          })
          .ok());
  // 09:00-10:30 confirmed: 90 minutes, 2.25 学时 at 40 (2.0 at 45), shown as 2.3.
  CHECK(v(rep.total, "hours") == doctest::Approx(2.3));
  CHECK(rep.query.minutes_per_hour == 40);
  bool said = false;
  for (const auto& n : rep.notes) said = said || n.find("1 学时 = 40 分钟") != std::string::npos;
  CHECK(said);
  // Rebuilt from the records, the model holds the same setting.
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(auto diffs, server::model::reproject(tx));
                CHECK(diffs.empty());
                return OkStatus();
              })
              .ok());
  CHECK(mph() == 40);
}

TEST_CASE(
    "county admin: freshness counts a sync that sends nothing as contact, lists a kiosk "
    "that never sent a record, and leaves revoked ones out") {
  Fixture f;
  auto fresh = [&] {
    server::stats::Freshness fr;
    REQUIRE(f.h.store
                ->model([&](server::ModelTx& tx) -> Status {
                  CHZ_ASSIGN_OR_RETURN(fr, server::stats::freshness(tx.sql(), f.h.clock.now_ms()));
                  return OkStatus();
                })
                .ok());
    return fr;
  };
  // Kiosk a's records last arrived a month ago; today it syncs with nothing new.
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                server::SqlArgs old{std::int64_t{f.now - 30 * 86'400'000LL}};
                return tx.sql().exec("UPDATE cm_devices SET last_ms = ?", old).status();
              })
              .ok());
  auto st = sync_client::Client(f.a.cred, {}, f.h.clock).sync_once(*f.a.dev, *f.a.dev);
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  // A second kiosk enrolls and never syncs.
  Kiosk b = f.h.kiosk("site-b");
  auto fr = fresh();
  REQUIRE(fr.devices.size() == 2);
  CHECK(fr.silent == 0);
  for (const auto& d : fr.devices) {
    CHECK(d.last_ms >= f.now);  // a's sync, b's enrollment
    CHECK_FALSE(d.silent);
  }
  const auto& db = fr.devices[0].device == b.id ? fr.devices[0] : fr.devices[1];
  CHECK(db.device == b.id);
  CHECK(db.records == 0);
  CHECK(db.site == "site-b");
  // Seen from eight days on, both are silent.
  server::stats::Freshness later;
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(later,
                                     server::stats::freshness(tx.sql(), f.now + 8 * 86'400'000LL));
                return OkStatus();
              })
              .ok());
  CHECK(later.silent == 2);
  // A revoked kiosk is expected to say nothing.
  REQUIRE(f.h.store->revoke_device(b.id).ok());
  fr = fresh();
  REQUIRE(fr.devices.size() == 1);
  CHECK(fr.devices[0].device == f.a.id);
}
