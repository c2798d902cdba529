#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>

#include "common/store_file.h"
#include "common/testing/temp_dir.h"
#include "sync/protocol/wire.h"
#include "sync/server/store.h"

using namespace chz;
using namespace chz::server;

namespace {

constexpr std::int64_t kNow = 1'790'000'000'000;

std::vector<sync::Record> attendance(const std::string& dev, std::int64_t from, std::int64_t to) {
  std::vector<sync::Record> v;
  for (std::int64_t s = from; s <= to; ++s) {
    sync::Record r;
    std::int64_t t = kNow - 86'400'000 + s * 60'000;
    r.meta = {sync::record_uuid(dev, s, t), dev, s, {t, 0}, t, -850};
    r.kind = "attendance";
    r.body = fmt::format(
        R"({{"at_ms":{},"by":"self","event":"in","person":"张𠮷{}","session":"s-1"}})", t, s % 7);
    v.push_back(std::move(r));
  }
  return v;
}

DeviceRow device(ServerStore& s, const std::string& id) {
  return s.device(id).value();
}

void enroll(ServerStore& s, const std::string& id, const std::string& site) {
  REQUIRE(s.add_code({"code-" + id, {}, site, kNow + 1000, false}).ok());
  REQUIRE(s.enroll_device("code-" + id, kNow, {id, site, {}, {}, false, 0, kNow}).ok());
}

}  // namespace

TEST_CASE("server store: a resend that overlaps the cursor stores only the new records") {
  testing::TempDir dir("chz-store-test");
  auto s = open_sqlite_store((dir / "county").string()).value();
  enroll(*s, "kiosk-a", "site-1");
  CHECK(s->ingest(device(*s, "kiosk-a"), attendance("kiosk-a", 1, 10), kNow).value() == 10);
  auto again = attendance("kiosk-a", 5, 15);
  CHECK(s->ingest(device(*s, "kiosk-a"), again, kNow, sync::encode_batch(again)).value() == 15);
  CHECK(*s->records_of("kiosk-a") == attendance("kiosk-a", 1, 15));
  // The whole thing again changes nothing.
  CHECK(s->ingest(device(*s, "kiosk-a"), attendance("kiosk-a", 1, 15), kNow).value() == 15);
  CHECK(s->records_of("kiosk-a")->size() == 15);
}

TEST_CASE("server store: a resend whose content differs is refused and stores nothing") {
  testing::TempDir dir("chz-store-test");
  auto s = open_sqlite_store((dir / "county").string()).value();
  enroll(*s, "kiosk-a", "site-1");
  REQUIRE(s->ingest(device(*s, "kiosk-a"), attendance("kiosk-a", 1, 10), kNow).ok());
  auto changed = attendance("kiosk-a", 9, 12);
  changed[0].body = R"({"changed":1})";
  auto r = s->ingest(device(*s, "kiosk-a"), changed, kNow);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().key() == "sync.conflict");
  CHECK(s->records_of("kiosk-a")->size() == 10);
  CHECK(device(*s, "kiosk-a").cursor == 10);
}

TEST_CASE("server store: a gap is refused and stores nothing") {
  testing::TempDir dir("chz-store-test");
  auto s = open_sqlite_store((dir / "county").string()).value();
  enroll(*s, "kiosk-a", "site-1");
  REQUIRE(s->ingest(device(*s, "kiosk-a"), attendance("kiosk-a", 1, 3), kNow).ok());
  auto r = s->ingest(device(*s, "kiosk-a"), attendance("kiosk-a", 5, 6), kNow);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().key() == "sync.gap");
  CHECK(s->records_of("kiosk-a")->size() == 3);
}

TEST_CASE("server store: feed pages run across stored batches in server order") {
  testing::TempDir dir("chz-store-test");
  auto s = open_sqlite_store((dir / "county").string()).value();
  enroll(*s, "kiosk-a", "site-1");
  enroll(*s, "kiosk-b", "site-1");
  enroll(*s, "kiosk-c", "site-2");
  REQUIRE(s->ingest(device(*s, "kiosk-a"), attendance("kiosk-a", 1, 4), kNow).ok());
  REQUIRE(s->ingest(device(*s, "kiosk-c"), attendance("kiosk-c", 1, 3), kNow).ok());
  REQUIRE(s->append_county({{"site-1", "roster", R"({"n":1})"},
                            {"site-2", "roster", R"({"n":2})"},
                            {"site-1", "roster", R"({"n":3})"}},
                           kNow)
              .ok());
  REQUIRE(s->ingest(device(*s, "kiosk-b"), attendance("kiosk-b", 1, 5), kNow).ok());
  // Site 1 as kiosk-b sees it: kiosk-a's 4, county n=1, county n=3; its own skipped.
  std::vector<std::string> seen;
  std::int64_t cur = 0;
  for (int pages = 0; pages < 20; ++pages) {
    auto p = s->feed("site-1", "kiosk-b", cur, 3).value();
    for (const auto& r : p.records)
      seen.push_back(fmt::format("{}#{}", r.meta.origin_device, r.meta.seq));
    CHECK(p.next_cursor >= cur);
    cur = p.next_cursor;
    if (!p.more) break;
  }
  CHECK(seen == std::vector<std::string>{"kiosk-a#1", "kiosk-a#2", "kiosk-a#3", "kiosk-a#4",
                                         "county#1", "county#3"});
  auto all = s->feed("site-2", "", 0, 100).value();
  CHECK(all.records.size() == 4);
  CHECK_FALSE(all.more);
  CHECK(all.records.back().body == R"({"n":2})");
}

TEST_CASE("server store: stamps far ahead of the server are held clamped") {
  testing::TempDir dir("chz-store-test");
  auto s = open_sqlite_store((dir / "county").string()).value();
  enroll(*s, "kiosk-a", "site-1");
  auto recs = attendance("kiosk-a", 1, 2);
  recs[1].meta.hlc.physical_ms = kNow + 30LL * 86'400'000;
  REQUIRE(s->ingest(device(*s, "kiosk-a"), recs, kNow, sync::encode_batch(recs)).ok());
  auto held = s->records_of("kiosk-a").value();
  CHECK(held[1].meta.hlc.physical_ms == kNow + sync::kMaxHlcAheadMs);
  // The same batch resent still matches what is held.
  CHECK(s->ingest(device(*s, "kiosk-a"), recs, kNow + 5).value() == 2);
}

TEST_CASE("server store: a version-1 store keeps its records, ids and hashes after the upgrade") {
  testing::TempDir dir("chz-store-test");
  auto recs = attendance("kiosk-a", 1, 6);
  recs[5].meta.hlc.physical_ms = kNow + 30LL * 86'400'000;  // held clamped in version 1
  {
    std::filesystem::create_directories(dir / "county");
    auto db = create_store(StorePaths::in(dir / "county", "county")).value();
    REQUIRE(db.exec(R"SQL(
CREATE TABLE sites(id TEXT PRIMARY KEY, name TEXT NOT NULL, township TEXT NOT NULL);
CREATE TABLE codes(code_id TEXT PRIMARY KEY, key BLOB NOT NULL, site TEXT NOT NULL,
  expires_ms INTEGER NOT NULL, used_ms INTEGER);
CREATE TABLE devices(id TEXT PRIMARY KEY, site TEXT NOT NULL, pub BLOB NOT NULL, box_pub BLOB NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0, last_counter INTEGER NOT NULL DEFAULT 0,
  cursor INTEGER NOT NULL DEFAULT 0, enrolled_ms INTEGER NOT NULL);
CREATE TABLE records(id INTEGER PRIMARY KEY, origin TEXT NOT NULL, seq INTEGER NOT NULL,
  site TEXT NOT NULL, uuid TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, hlc TEXT NOT NULL,
  wall_ms INTEGER NOT NULL, offset_ms INTEGER NOT NULL, hash BLOB NOT NULL, received_ms INTEGER NOT NULL,
  UNIQUE(origin, seq));
CREATE INDEX records_site ON records(site, id);
CREATE TABLE faults(id INTEGER PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL,
  what TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE TABLE content(id TEXT PRIMARY KEY, bytes BLOB NOT NULL, published_ms INTEGER NOT NULL);
CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
)SQL")
                .ok());
    REQUIRE(db.set_user_version(1).ok());
    REQUIRE(db.run("INSERT INTO devices(id, site, pub, box_pub, cursor, enrolled_ms) "
                   "VALUES('kiosk-a', 'site-1', x'00', x'00', 6, 0)")
                .ok());
    // Two uploads (received at different times), ids 1-3 and 5-7 (4 is the county's).
    for (std::size_t i = 0; i < recs.size(); ++i) {
      const auto& r = recs[i];
      std::int64_t id = i < 3 ? static_cast<std::int64_t>(i) + 1 : static_cast<std::int64_t>(i) + 2;
      Key32 h = sync::record_hash(r);
      REQUIRE(db.run("INSERT INTO records VALUES(?,?,?,?,?,?,?,?,?,?,?,?)", id,
                     r.meta.origin_device, r.meta.seq, "site-1", r.meta.uuid, r.kind, r.body,
                     sync::clamp_hlc(r.meta.hlc, kNow).text(), r.meta.wall_ms, r.meta.offset_ms,
                     Bytes(h.begin(), h.end()), i < 3 ? kNow - 10 : kNow)
                  .ok());
    }
    auto c = sync::Record{{sync::record_uuid("county", 1, kNow), "county", 1, {kNow, 0}, kNow, 0},
                          "roster",
                          R"({"n":1})"};
    Key32 h = sync::record_hash(c);
    REQUIRE(db.run("INSERT INTO records VALUES(4,'county',1,'site-1',?,?,?,?,?,0,?,?)", c.meta.uuid,
                   c.kind, c.body, c.meta.hlc.text(), kNow, Bytes(h.begin(), h.end()), kNow)
                .ok());
    REQUIRE(db.run("INSERT INTO counters VALUES('county_seq', 1)").ok());
  }
  auto s = open_sqlite_store((dir / "county").string()).value();
  auto held = s->records_of("kiosk-a").value();
  REQUIRE(held.size() == 6);
  CHECK(held[5].meta.hlc.physical_ms == kNow + sync::kMaxHlcAheadMs);
  held[5].meta.hlc = recs[5].meta.hlc;
  CHECK(held == recs);
  auto p = s->feed("site-1", "kiosk-b", 4, 100).value();
  REQUIRE(p.records.size() == 3);
  CHECK(p.records.front().meta.seq == 4);
  CHECK(p.next_cursor == 7);
  // Stored hashes survived: the same records resent are accepted, a changed one refused.
  CHECK(s->ingest(device(*s, "kiosk-a"), recs, kNow).value() == 6);
  auto changed = recs;
  changed[2].body = R"({"changed":1})";
  CHECK(s->ingest(device(*s, "kiosk-a"), changed, kNow).status().key() == "sync.conflict");
  // New records and county writes continue after the old ids.
  REQUIRE(s->append_county({{"site-1", "roster", R"({"n":2})"}}, kNow).ok());
  auto tail = s->feed("site-1", "", 7, 100).value();
  REQUIRE(tail.records.size() == 1);
  CHECK(tail.records[0].meta.seq == 2);
  CHECK(tail.next_cursor == 8);
}
