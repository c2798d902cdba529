// The PostgreSQL backend (libpqxx 6.4), for a city or province running
// several stateless server processes in front of one database. Binary
// values (keys, hashes, packages) are stored as hex text or bytea via
// decode(..., 'hex'). Batches are written with COPY (pqxx::stream_to).
// Writers of one site's feed serialise on an advisory lock for that site,
// so feed ids commit in order and a reader never skips a late commit.
#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>

#include "sync/protocol/cert_number.h"
#include "sync/protocol/hlc.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_model.h"
#include "sync/server/store.h"

namespace chz::server {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS sites(id TEXT PRIMARY KEY, name TEXT NOT NULL, township TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS codes(code_id TEXT PRIMARY KEY, key TEXT NOT NULL, site TEXT NOT NULL,
  expires_ms BIGINT NOT NULL, used_ms BIGINT);
CREATE TABLE IF NOT EXISTS devices(id TEXT PRIMARY KEY, site TEXT NOT NULL, pub TEXT NOT NULL, box_pub TEXT NOT NULL,
  revoked BOOLEAN NOT NULL DEFAULT false, last_counter BIGINT NOT NULL DEFAULT 0,
  cursor BIGINT NOT NULL DEFAULT 0, enrolled_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS records(id BIGSERIAL PRIMARY KEY, origin TEXT NOT NULL, seq BIGINT NOT NULL,
  site TEXT NOT NULL, uuid TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, hlc TEXT NOT NULL,
  wall_ms BIGINT NOT NULL, offset_ms BIGINT NOT NULL, hash TEXT NOT NULL, received_ms BIGINT NOT NULL,
  UNIQUE(origin, seq));
CREATE INDEX IF NOT EXISTS records_site ON records(site, id);
CREATE TABLE IF NOT EXISTS faults(id BIGSERIAL PRIMARY KEY, device TEXT NOT NULL, seq BIGINT NOT NULL,
  what TEXT NOT NULL, at_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS content(id TEXT PRIMARY KEY, bytes BYTEA NOT NULL, published_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS proofs(id BIGSERIAL PRIMARY KEY, device TEXT NOT NULL,
  first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL, kind TEXT NOT NULL, auth TEXT NOT NULL,
  body BYTEA NOT NULL, received_ms BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS proofs_device ON proofs(device, last_seq);
ALTER TABLE devices ADD COLUMN IF NOT EXISTS number INTEGER;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS last_seen_ms BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX IF NOT EXISTS devices_number ON devices(number);
)SQL";

Key32 key_hex(const std::string& h) {
  Key32 k{};
  auto b = unhex(h);
  if (b.ok() && b->size() == 32) std::copy(b->begin(), b->end(), k.begin());
  return k;
}

sync::Record record_row(const pqxx::row& r) {
  sync::Record x;
  x.meta.origin_device = r[1].as<std::string>();
  x.meta.seq = r[2].as<std::int64_t>();
  x.meta.uuid = r[3].as<std::string>();
  x.kind = r[4].as<std::string>();
  x.body = r[5].as<std::string>();
  x.meta.hlc = sync::Hlc::parse(r[6].as<std::string>()).value();
  x.meta.wall_ms = r[7].as<std::int64_t>();
  x.meta.offset_ms = r[8].as<std::int64_t>();
  return x;
}
constexpr const char* kRecordCols = "id, origin, seq, uuid, kind, body, hlc, wall_ms, offset_ms";
const std::vector<std::string> kCopyCols = {"origin",    "seq",  "site",       "uuid",
                                            "kind",      "body", "hlc",        "wall_ms",
                                            "offset_ms", "hash", "received_ms"};

// The read model's seam over one PostgreSQL transaction. Values travel as
// text parameters (PostgreSQL infers their types from the columns).
class PgSql final : public Sql {
 public:
  explicit PgSql(pqxx::work& w) : w_(w) {}
  Dialect dialect() const override { return Dialect::kPostgres; }
  Result<std::int64_t> exec(std::string_view sql, const SqlArgs& args) override {
    return static_cast<std::int64_t>(run(sql, args).affected_rows());
  }
  Result<std::vector<SqlRow>> query(std::string_view sql, const SqlArgs& args) override {
    std::vector<SqlRow> out;
    CHZ_TRY(each(sql, args, [&](const SqlRow& r) {
      out.push_back(r);
      return OkStatus();
    }));
    return out;
  }
  Status each(std::string_view sql, const SqlArgs& args,
              const std::function<Status(const SqlRow&)>& fn) override {
    pqxx::result res = run(sql, args);
    SqlRow r;
    for (const auto& row : res) {
      r.v.clear();
      for (const auto& f : row) {
        if (f.is_null())
          r.v.emplace_back(nullptr);
        else
          r.v.emplace_back(std::string(f.c_str(), f.size()));
      }
      CHZ_TRY(fn(r));
    }
    return OkStatus();
  }

 private:
  pqxx::result run(std::string_view sql, const SqlArgs& args) {
    std::vector<std::string> text(args.size());
    std::vector<const char*> ptrs(args.size(), nullptr);
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (auto p = std::get_if<std::int64_t>(&args[i])) {
        text[i] = std::to_string(*p);
        ptrs[i] = text[i].c_str();
      } else if (auto s = std::get_if<std::string>(&args[i])) {
        ptrs[i] = s->c_str();
      }
    }
    return w_.exec_params(postgres_sql(sql), pqxx::prepare::make_dynamic_params(ptrs));
  }
  pqxx::work& w_;
};

// The read model inside one transaction: the seam and the records table.
class PgModelTx final : public ModelTx {
 public:
  explicit PgModelTx(pqxx::work& w) : w_(w), sql_(w) {}
  Sql& sql() override { return sql_; }
  Result<std::int64_t> records_after(std::int64_t after, std::size_t limit,
                                     std::vector<StoredRecord>* out) override {
    std::int64_t last = after;
    for (const auto& r :
         w_.exec_params(std::string("SELECT ") + kRecordCols +
                            ", site, received_ms FROM records WHERE id>$1 ORDER BY id LIMIT $2",
                        after, static_cast<std::int64_t>(limit))) {
      last = r[0].as<std::int64_t>();
      out->push_back({record_row(r), r[9].as<std::string>(), r[10].as<std::int64_t>()});
    }
    return last;
  }

 private:
  pqxx::work& w_;
  PgSql sql_;
};

// A refusal decided inside a transaction (rolls it back, then returned).
struct Refusal {
  Status st;
};

class PgStore final : public ServerStore {
 public:
  explicit PgStore(std::string url) : url_(std::move(url)) {}

  Status init() {
    return with([&](pqxx::connection& c) {
      pqxx::work w(c);
      w.exec("SELECT pg_advisory_xact_lock(72431)");  // several processes may start at once
      w.exec(kSchema);
      PgModelTx tx(w);
      CHZ_TRY(model::ensure(tx));
      w.commit();
      return OkStatus();
    });
  }

  Status add_site(const std::string& id, const std::string& name,
                  const std::string& township) override {
    return exec(
        "INSERT INTO sites(id, name, township) VALUES($1,$2,$3) ON CONFLICT(id) DO UPDATE SET "
        "name=$2, "
        "township=$3",
        id, name, township);
  }
  Result<std::string> site_name(const std::string& id) override {
    std::string out;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      auto r = w.exec_params("SELECT name FROM sites WHERE id=$1", id);
      if (r.empty()) return Status(Code::kNotFound, "no such site");
      out = r[0][0].as<std::string>();
      return OkStatus();
    }));
    return out;
  }
  Result<std::vector<std::string>> sites() override {
    std::vector<std::string> out;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      for (const auto& row : w.exec("SELECT id FROM sites ORDER BY id"))
        out.push_back(row[0].as<std::string>());
      return OkStatus();
    }));
    return out;
  }

  Status add_code(const CodeRow& c) override {
    return exec("INSERT INTO codes(code_id, key, site, expires_ms) VALUES($1,$2,$3,$4)", c.code_id,
                hex(c.key), c.site, c.expires_ms);
  }
  Result<CodeRow> code(const std::string& id) override {
    CodeRow out;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      auto r = w.exec_params(
          "SELECT key, site, expires_ms, used_ms IS NOT NULL FROM codes WHERE code_id=$1", id);
      if (r.empty()) return Status(Code::kNotFound, "no such enrollment code");
      out = {id, key_hex(r[0][0].as<std::string>()), r[0][1].as<std::string>(),
             r[0][2].as<std::int64_t>(), r[0][3].as<bool>()};
      return OkStatus();
    }));
    return out;
  }
  Result<int> enroll_device(const std::string& code_id, std::int64_t now,
                            const DeviceRow& d) override {
    int number = 0;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      auto r = w.exec_params(
          "UPDATE codes SET used_ms=$1 WHERE code_id=$2 AND used_ms IS NULL AND expires_ms>$1", now,
          code_id);
      if (r.affected_rows() != 1)
        return Status(Code::kUnauthenticated, "enrollment code used or expired", "sync.bad_code");
      // Enrollments on several server processes take numbers one at a time.
      w.exec("SELECT pg_advisory_xact_lock(72432)");
      // A device enrolling again keeps its number; else the next one.
      number = w.exec_params(
                    "SELECT COALESCE((SELECT number FROM devices WHERE id=$1), "
                    "(SELECT COALESCE(MAX(number), 0) + 1 FROM devices))",
                    d.id)[0][0]
                   .as<int>();
      if (number > sync::kMaxDeviceNumber) return devices_full();
      w.exec_params(
          "INSERT INTO devices(id, site, pub, box_pub, enrolled_ms, number) "
          "VALUES($1,$2,$3,$4,$5,$6) "
          "ON CONFLICT(id) DO UPDATE SET site=$2, pub=$3, box_pub=$4, enrolled_ms=$5, "
          "revoked=false, number=$6",
          d.id, d.site, hex(d.pub), hex(d.box_pub), now, number);
      w.commit();
      return OkStatus();
    }));
    return number;
  }

  Result<DeviceRow> device(const std::string& id) override {
    DeviceRow d;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      auto r = w.exec_params(
          "SELECT site, pub, box_pub, revoked, cursor, enrolled_ms, last_counter, "
          "COALESCE(number, 0) FROM devices WHERE id=$1",
          id);
      if (r.empty()) return Status(Code::kUnauthenticated, "unknown device", "sync.unknown_device");
      d = {id,
           r[0][0].as<std::string>(),
           key_hex(r[0][1].as<std::string>()),
           key_hex(r[0][2].as<std::string>()),
           r[0][3].as<bool>(),
           r[0][4].as<std::int64_t>(),
           r[0][5].as<std::int64_t>(),
           r[0][6].as<std::int64_t>(),
           r[0][7].as<int>()};
      return OkStatus();
    }));
    return d;
  }
  Status add_forwarded_device(const DeviceRow& d) override {
    return exec(
        "INSERT INTO devices(id, site, pub, box_pub, revoked, cursor, enrolled_ms, last_counter) "
        "VALUES($1,$2,$3,$4,$5,0,$6,0) ON CONFLICT(id) DO NOTHING",
        d.id, d.site, hex(d.pub), hex(d.box_pub), d.revoked, d.enrolled_ms);
  }
  Result<std::vector<DeviceRow>> devices() override {
    std::vector<std::string> ids;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      ids.clear();
      for (const auto& r : w.exec("SELECT id FROM devices ORDER BY id"))
        ids.push_back(r[0].as<std::string>());
      return OkStatus();
    }));
    std::vector<DeviceRow> out;
    for (const auto& id : ids) {
      CHZ_ASSIGN_OR_RETURN(DeviceRow d, device(id));
      out.push_back(std::move(d));
    }
    return out;
  }
  Result<std::pair<std::string, std::string>> site_info(const std::string& id) override {
    std::pair<std::string, std::string> out;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      auto r = w.exec_params("SELECT name, township FROM sites WHERE id=$1", id);
      if (r.empty()) return Status(Code::kNotFound, "no such site");
      out = {r[0][0].as<std::string>(), r[0][1].as<std::string>()};
      return OkStatus();
    }));
    return out;
  }
  Result<std::vector<StoredProof>> proofs(const std::string& device, std::int64_t after_seq,
                                          std::size_t limit) override {
    std::vector<StoredProof> out;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      out.clear();
      auto rows = w.exec_params(
          "SELECT first_seq, last_seq, received_ms, kind, auth, encode(body,'hex') FROM proofs "
          "WHERE device=$1 AND last_seq>$2 ORDER BY id LIMIT $3",
          device, after_seq, static_cast<std::int64_t>(limit));
      for (const auto& r : rows) {
        auto body = unhex(r[5].as<std::string>());
        if (!body.ok()) return body.status();
        out.push_back({r[0].as<std::int64_t>(), r[1].as<std::int64_t>(), r[2].as<std::int64_t>(),
                       sync::Proof{device, r[3].as<std::string>(), r[4].as<std::string>(),
                                   std::string(body->begin(), body->end())}});
      }
      return OkStatus();
    }));
    return out;
  }
  Status revoke_device(const std::string& id) override {
    return with([&](pqxx::connection& c) {
      pqxx::work w(c);
      auto r = w.exec_params("UPDATE devices SET revoked=true WHERE id=$1", id);
      if (r.affected_rows() != 1) return Status(Code::kNotFound, "no such device");
      w.commit();
      return OkStatus();
    });
  }
  Result<std::vector<sync::api::DeviceKey>> device_keys() override {
    std::vector<sync::api::DeviceKey> out;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      for (const auto& row : w.exec("SELECT id, pub, revoked FROM devices ORDER BY id"))
        out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<bool>()});
      return OkStatus();
    }));
    return out;
  }

  Status bump_counter(const std::string& device, std::int64_t counter, std::int64_t now_ms,
                      std::int64_t* last) override {
    return with([&](pqxx::connection& c) {
      pqxx::work w(c);
      auto r = w.exec_params(
          "UPDATE devices SET last_counter=$2, last_seen_ms=$3 WHERE id=$1 AND last_counter<$2",
          device, counter, now_ms);
      bool ok = r.affected_rows() == 1;
      auto l = w.exec_params("SELECT last_counter FROM devices WHERE id=$1", device);
      *last = l.empty() ? 0 : l[0][0].as<std::int64_t>();
      w.commit();
      if (!ok)
        return Status(Code::kUnauthenticated, "replayed request (counter not above the last)",
                      "sync.replayed");
      return OkStatus();
    });
  }

  Result<std::int64_t> ingest(const DeviceRow& dev, const std::vector<sync::Record>& records,
                              std::int64_t now, std::string_view,
                              const sync::Proof* proof) override {
    std::int64_t cursor = 0;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      w.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", dev.site);
      auto cr = w.exec_params("SELECT cursor FROM devices WHERE id=$1 FOR UPDATE", dev.id);
      if (cr.empty())
        return Status(Code::kUnauthenticated, "unknown device", "sync.unknown_device");
      cursor = cr[0][0].as<std::int64_t>();
      std::size_t i = 0;
      if (!records.empty() && records.front().meta.seq <= cursor) {
        std::int64_t hi = std::min(cursor, records.back().meta.seq);
        auto old = w.exec_params(
            "SELECT seq, hash FROM records WHERE origin=$1 AND seq BETWEEN $2 AND $3 ORDER BY seq",
            dev.id, records.front().meta.seq, hi);
        std::size_t k = 0;
        for (; i < records.size() && records[i].meta.seq <= cursor; ++i) {
          const auto& r = records[i];
          bool same = k < old.size() && old[k][0].as<std::int64_t>() == r.meta.seq &&
                      old[k][1].as<std::string>() == hex(sync::record_hash(r));
          ++k;
          if (!same)
            return Status(Code::kConflict,
                          "record " + std::to_string(r.meta.seq) + " differs from the one held",
                          "sync.conflict");
        }
      }
      if (i < records.size()) {
        if (records[i].meta.seq != cursor + 1)
          return Status(Code::kConflict, "gap: expected seq " + std::to_string(cursor + 1),
                        "sync.gap");
        std::size_t first_new = i;
        pqxx::stream_to s(w, "records", kCopyCols);
        for (; i < records.size(); ++i) {
          const auto& r = records[i];
          s << std::make_tuple(dev.id, r.meta.seq, dev.site, r.meta.uuid, r.kind, r.body,
                               sync::clamp_hlc(r.meta.hlc, now).text(), r.meta.wall_ms,
                               r.meta.offset_ms, hex(sync::record_hash(r)), now);
          cursor = r.meta.seq;
        }
        s.complete();
        w.exec_params("UPDATE devices SET cursor=$2 WHERE id=$1", dev.id, cursor);
        if (proof)
          w.exec_params(
              "INSERT INTO proofs(device, first_seq, last_seq, kind, auth, body, received_ms) "
              "VALUES($1,$2,$3,$4,$5,decode($6,'hex'),$7)",
              dev.id, records.front().meta.seq, cursor, proof->kind, proof->auth,
              hex(as_bytes(proof->body)), now);
        std::vector<StoredRecord> fresh;
        fresh.reserve(records.size() - first_new);
        for (std::size_t k = first_new; k < records.size(); ++k) {
          fresh.push_back({records[k], dev.site, now});
          fresh.back().record.meta.hlc = sync::clamp_hlc(records[k].meta.hlc, now);
        }
        PgSql sql(w);
        CHZ_TRY(model::project(sql, fresh));
      }
      w.commit();
      return OkStatus();
    }));
    return cursor;
  }
  Status record_fault(const Fault& f) override {
    return exec("INSERT INTO faults(device, seq, what, at_ms) VALUES($1,$2,$3,$4)", f.device, f.seq,
                f.what, f.at_ms);
  }
  Result<std::vector<Fault>> faults() override {
    std::vector<Fault> out;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      for (const auto& r : w.exec("SELECT device, seq, what, at_ms FROM faults ORDER BY id"))
        out.push_back({r[0].as<std::string>(), r[1].as<std::int64_t>(), r[2].as<std::string>(),
                       r[3].as<std::int64_t>()});
      return OkStatus();
    }));
    return out;
  }

  Result<FeedPage> feed(const std::string& site, const std::string& exclude, std::int64_t after,
                        std::size_t limit) override {
    FeedPage p;
    p.next_cursor = after;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      auto rows = w.exec_params(std::string("SELECT ") + kRecordCols +
                                    " FROM records WHERE site=$1 AND id>$2 ORDER BY id LIMIT $3",
                                site, after, static_cast<std::int64_t>(limit));
      for (const auto& r : rows) {
        p.next_cursor = r[0].as<std::int64_t>();
        if (r[1].as<std::string>() == exclude) continue;
        p.records.push_back(record_row(r));
      }
      p.more = rows.size() == limit;
      return OkStatus();
    }));
    return p;
  }
  Result<std::vector<sync::Record>> records_of(const std::string& origin,
                                               std::int64_t after_seq) override {
    std::vector<sync::Record> out;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      for (const auto& r :
           w.exec_params(std::string("SELECT ") + kRecordCols +
                             " FROM records WHERE origin=$1 AND seq>$2 ORDER BY seq",
                         origin, after_seq))
        out.push_back(record_row(r));
      return OkStatus();
    }));
    return out;
  }

  Status append_county(const std::vector<CountyWrite>& ws, std::int64_t now) override {
    return with([&](pqxx::connection& c) {
      pqxx::work w(c);
      std::set<std::string> sites;
      for (const auto& x : ws) sites.insert(x.site);
      for (const auto& s : sites) w.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", s);
      w.exec("INSERT INTO counters(name, value) VALUES('county_seq', 0) ON CONFLICT DO NOTHING");
      auto r = w.exec_params(
          "UPDATE counters SET value=value+$1 WHERE name='county_seq' RETURNING value",
          static_cast<std::int64_t>(ws.size()));
      std::int64_t seq = r[0][0].as<std::int64_t>() - static_cast<std::int64_t>(ws.size());
      // County stamps never repeat or go back (the county_seq row lock
      // above serialises county writers).
      w.exec(
          "INSERT INTO counters(name, value) VALUES('county_hlc_ms', 0), ('county_hlc_logical', "
          "0) ON CONFLICT DO NOTHING");
      auto h = w.exec(
          "SELECT name, value FROM counters WHERE name IN ('county_hlc_ms', 'county_hlc_logical') "
          "ORDER BY name");  // logical, then ms
      std::int64_t last_logical = h[0][1].as<std::int64_t>(), last_ms = h[1][1].as<std::int64_t>();
      std::int64_t phys = std::max(now, last_ms);
      auto logical = static_cast<std::int32_t>(last_ms >= now ? last_logical + 1 : 0);
      std::vector<StoredRecord> stored;
      for (const auto& x : ws) {
        sync::Record rec;
        rec.meta = {
            sync::record_uuid("county", ++seq, now), "county", seq, {phys, logical++}, now, 0};
        rec.kind = x.kind;
        rec.body = x.body;
        w.exec_params(
            "INSERT INTO records(origin, seq, site, uuid, kind, body, hlc, wall_ms, offset_ms, "
            "hash, "
            "received_ms) VALUES('county',$1,$2,$3,$4,$5,$6,$7,0,$8,$7)",
            seq, x.site, rec.meta.uuid, rec.kind, rec.body, rec.meta.hlc.text(), now,
            hex(sync::record_hash(rec)));
        stored.push_back({std::move(rec), x.site, now});
      }
      w.exec_params("UPDATE counters SET value=$1 WHERE name='county_hlc_ms'", phys);
      w.exec_params("UPDATE counters SET value=$1 WHERE name='county_hlc_logical'",
                    static_cast<std::int64_t>(logical - 1));
      PgSql sql(w);
      // One projected run per site, as the embedded store stores them.
      for (std::size_t i = 0; i < stored.size();) {
        std::size_t j = i;
        while (j < stored.size() && stored[j].site == stored[i].site) ++j;
        CHZ_TRY(model::project(
            sql, {stored.begin() + static_cast<long>(i), stored.begin() + static_cast<long>(j)}));
        i = j;
      }
      w.commit();
      return OkStatus();
    });
  }

  Status model(const std::function<Status(ModelTx&)>& fn) override {
    return with([&](pqxx::connection& c) {
      pqxx::work w(c);
      PgModelTx tx(w);
      CHZ_TRY(fn(tx));
      w.commit();
      return OkStatus();
    });
  }

  Status put_content(const std::string& id, const std::string& bytes, std::int64_t now) override {
    return exec(
        "INSERT INTO content(id, bytes, published_ms) VALUES($1, decode($2,'hex'), $3) "
        "ON CONFLICT(id) DO UPDATE SET bytes=decode($2,'hex'), published_ms=$3",
        id, hex(as_bytes(bytes)), now);
  }
  Result<std::string> content(const std::string& id) override {
    std::string out;
    CHZ_TRY(with([&](pqxx::connection& c) {
      pqxx::work w(c);
      auto r = w.exec_params("SELECT encode(bytes,'hex') FROM content WHERE id=$1", id);
      if (r.empty()) return Status(Code::kNotFound, "no such content package", "sync.not_found");
      auto b = unhex(r[0][0].as<std::string>());
      if (!b.ok()) return b.status();
      out.assign(b->begin(), b->end());
      return OkStatus();
    }));
    return out;
  }

 private:
  // Runs `fn` on a pooled connection; libpqxx exceptions become Status
  // values here and the connection is dropped (it may be broken).
  template <class F>
  Status with(F&& fn) {
    // Two writers projecting into the same people may deadlock or fail to
    // serialise; PostgreSQL aborts one, and it runs again from the start.
    for (int attempt = 0;; ++attempt) {
      std::unique_ptr<pqxx::connection> c;
      {
        std::lock_guard g(mu_);
        if (!free_.empty()) {
          c = std::move(free_.back());
          free_.pop_back();
        }
      }
      try {
        if (!c) c = std::make_unique<pqxx::connection>(url_);
        Status st = fn(*c);
        std::lock_guard g(mu_);
        free_.push_back(std::move(c));
        return st;
      } catch (const pqxx::broken_connection& e) {
        return Status(Code::kUnavailable, std::string("postgresql unavailable: ") + e.what(),
                      "sync.unavailable");
      } catch (const pqxx::transaction_rollback& e) {  // deadlock, serialization failure
        retries_.fetch_add(1);
        if (attempt >= 8) return Status(Code::kUnavailable, std::string("postgresql: ") + e.what());
        std::lock_guard g(mu_);
        free_.push_back(std::move(c));
      } catch (const std::exception& e) {
        return Status(Code::kInternal, std::string("postgresql: ") + e.what());
      }
    }
  }
  template <class... A>
  Status exec(const std::string& sql, const A&... a) {
    return with([&](pqxx::connection& c) {
      pqxx::work w(c);
      w.exec_params(sql, a...);
      w.commit();
      return OkStatus();
    });
  }

  std::string url_;
  std::atomic<std::int64_t> retries_{0};
  std::mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> free_;
};

}  // namespace

Result<std::unique_ptr<ServerStore>> open_pg_store(const std::string& url) {
  auto s = std::make_unique<PgStore>(url);
  CHZ_TRY(s->init());
  return std::unique_ptr<ServerStore>(std::move(s));
}

}  // namespace chz::server
