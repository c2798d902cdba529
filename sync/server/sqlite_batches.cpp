#include "sync/server/sqlite_batches.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <span>

#include "sync/protocol/hlc.h"
#include "sync/protocol/wire.h"

namespace chz::server::batches {
namespace {

constexpr std::string_view kBatchesSchema = R"SQL(
CREATE TABLE batches(id INTEGER PRIMARY KEY, origin TEXT NOT NULL, site TEXT NOT NULL,
  first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
  first_rec INTEGER NOT NULL, last_rec INTEGER NOT NULL, received_ms INTEGER NOT NULL,
  wire BLOB NOT NULL, hashes BLOB NOT NULL);
CREATE UNIQUE INDEX batches_origin ON batches(origin, last_seq);
CREATE INDEX batches_site ON batches(site, last_rec);
)SQL";

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

Result<std::int64_t> counter(Db& db, const char* name) {
  auto v = db.query_int("SELECT value FROM counters WHERE name=?", name);
  if (!v.ok() && v.status().code() == Code::kNotFound) return 0;
  return v;
}
Status set_counter(Db& db, const char* name, std::int64_t v) {
  return db.run("INSERT OR REPLACE INTO counters(name, value) VALUES(?, ?)", name, v);
}

// Stores records [first_seq..] of one origin and site, taking the next
// record ids. `hashes` holds 32 bytes per record.
Status insert_row(Db& db, const std::string& origin, const std::string& site,
                  std::int64_t first_seq, std::size_t n, std::int64_t received_ms,
                  std::string_view wire, std::string_view hashes) {
  CHZ_ASSIGN_OR_RETURN(std::int64_t last_rec, counter(db, "record_id"));
  auto count = static_cast<std::int64_t>(n);
  CHZ_TRY(
      db.run("INSERT INTO batches(origin, site, first_seq, last_seq, first_rec, last_rec, "
             "received_ms, wire, hashes) VALUES(?,?,?,?,?,?,?,?,?)",
             origin, site, first_seq, first_seq + count - 1, last_rec + 1, last_rec + count,
             received_ms, bytes_of(wire), bytes_of(hashes)));
  return set_counter(db, "record_id", last_rec + count);
}

// Encodes and stores `recs` (one origin and site, consecutive seqs) in rows
// of at most kMaxRowRecords.
Status insert_records(Db& db, const std::string& site, const std::vector<sync::Record>& recs,
                      std::string_view hashes, std::int64_t received_ms) {
  for (std::size_t i = 0; i < recs.size(); i += kMaxRowRecords) {
    std::size_t n = std::min(kMaxRowRecords, recs.size() - i);
    std::vector<sync::Record> part(recs.begin() + static_cast<long>(i),
                                   recs.begin() + static_cast<long>(i + n));
    CHZ_TRY(insert_row(db, part.front().meta.origin_device, site, part.front().meta.seq, n,
                       received_ms, sync::encode_batch(part), hashes.substr(i * 32, n * 32)));
  }
  return OkStatus();
}

// A stored row's records as the server holds them: stamps clamped against
// the time the row was received.
Result<std::vector<sync::Record>> stored(std::string_view wire, std::int64_t received_ms,
                                         std::int64_t n) {
  auto recs = sync::decode_batch(wire);
  if (!recs.ok() || static_cast<std::int64_t>(recs->size()) != n)
    return Status(Code::kInternal, "a stored batch does not decode", "sync.internal");
  for (auto& r : *recs) r.meta.hlc = sync::clamp_hlc(r.meta.hlc, received_ms);
  return recs;
}

std::string_view blob_view(const Bytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// The stored hash of (origin, seq), reading each stored row once.
class HeldHashes {
 public:
  HeldHashes(Db& db, const std::string& origin) : db_(db), origin_(origin) {}
  Result<bool> same(std::int64_t seq, std::string_view hash) {
    if (seq < first_ || seq > last_) {
      CHZ_ASSIGN_OR_RETURN(Stmt st, db_.prepare("SELECT first_seq, last_seq, hashes FROM batches "
                                                "WHERE origin=? AND last_seq>=? "
                                                "ORDER BY last_seq LIMIT 1"));
      st.bind_all(origin_, seq);
      CHZ_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) return false;
      first_ = st.int64(0);
      last_ = st.int64(1);
      hashes_ = st.blob(2);
      if (seq < first_) return false;
    }
    auto off = static_cast<std::size_t>(seq - first_) * 32;
    return off + 32 <= hashes_.size() && hash.size() == 32 &&
           std::memcmp(hashes_.data() + off, hash.data(), 32) == 0;
  }

 private:
  Db& db_;
  const std::string& origin_;
  std::int64_t first_ = 0, last_ = -1;
  Bytes hashes_;
};

}  // namespace

Status migrate_records_to_batches(Db& db) {
  CHZ_TRY(db.exec(kBatchesSchema));
  CHZ_ASSIGN_OR_RETURN(Stmt st, db.prepare("SELECT id, origin, seq, site, uuid, kind, body, hlc, "
                                           "wall_ms, offset_ms, hash, received_ms "
                                           "FROM records ORDER BY id"));
  std::vector<sync::Record> run;
  std::string site, hashes;
  std::int64_t first_id = 0, received = 0;
  auto flush = [&]() -> Status {
    if (run.empty()) return OkStatus();
    CHZ_TRY(insert_row(db, run.front().meta.origin_device, site, run.front().meta.seq, run.size(),
                       received, sync::encode_batch(run), hashes));
    run.clear();
    hashes.clear();
    return OkStatus();
  };
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    sync::Record r;
    r.meta.origin_device = st.text(1);
    r.meta.seq = st.int64(2);
    r.meta.uuid = st.text(4);
    r.kind = st.text(5);
    r.body = st.text(6);
    CHZ_ASSIGN_OR_RETURN(r.meta.hlc, sync::Hlc::parse(st.text(7)));
    r.meta.wall_ms = st.int64(8);
    r.meta.offset_ms = st.int64(9);
    std::int64_t id = st.int64(0);
    bool joins =
        !run.empty() && r.meta.origin_device == run.back().meta.origin_device &&
        st.text(3) == site && st.int64(11) == received && r.meta.seq == run.back().meta.seq + 1 &&
        id == first_id + static_cast<std::int64_t>(run.size()) && run.size() < kMaxRowRecords;
    if (!joins) {
      CHZ_TRY(flush());
      // The row keeps its id: the next record id is this one.
      CHZ_TRY(set_counter(db, "record_id", id - 1));
      first_id = id;
      site = st.text(3);
      received = st.int64(11);
    }
    Bytes h = st.blob(10);
    h.resize(32);
    hashes.append(reinterpret_cast<const char*>(h.data()), 32);
    run.push_back(std::move(r));
  }
  CHZ_TRY(flush());
  return db.exec("DROP TABLE records");
}

Status ensure_proofs(Db& db) {
  return db.exec(
      "CREATE TABLE IF NOT EXISTS proofs(id INTEGER PRIMARY KEY, device TEXT NOT NULL, "
      "first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, kind TEXT NOT NULL, "
      "auth TEXT NOT NULL, body BLOB NOT NULL, received_ms INTEGER NOT NULL);"
      "CREATE INDEX IF NOT EXISTS proofs_device ON proofs(device, last_seq);");
}

Result<std::vector<StoredProof>> proofs(Db& db, const std::string& device, std::int64_t after_seq,
                                        std::size_t limit) {
  CHZ_ASSIGN_OR_RETURN(Stmt st, db.prepare("SELECT first_seq, last_seq, received_ms, kind, auth, "
                                           "body FROM proofs WHERE device=? AND last_seq>? "
                                           "ORDER BY id LIMIT ?"));
  st.bind_all(device, after_seq, static_cast<std::int64_t>(limit));
  std::vector<StoredProof> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    Bytes body = st.blob(5);
    out.push_back({st.int64(0), st.int64(1), st.int64(2),
                   sync::Proof{device, st.text(3), st.text(4), std::string(blob_view(body))}});
  }
  return out;
}

Result<std::int64_t> ingest(Db& db, const DeviceRow& dev, const std::vector<sync::Record>& records,
                            std::string_view wire, std::int64_t now, const OnStored& on_stored,
                            const sync::Proof* proof) {
  // Hashed before the write transaction starts.
  std::string hashes(records.size() * 32, '\0');
  for (std::size_t i = 0; i < records.size(); ++i) {
    Key32 h = sync::record_hash(records[i]);
    std::memcpy(hashes.data() + i * 32, h.data(), 32);
  }
  std::int64_t cursor = 0;
  Status st = db.transaction([&]() -> Status {
    auto c = db.query_int("SELECT cursor FROM devices WHERE id=?", dev.id);
    if (!c.ok())
      return c.status().code() == Code::kNotFound
                 ? Status(Code::kUnauthenticated, "unknown device", "sync.unknown_device")
                 : c.status();
    cursor = *c;
    std::size_t i = 0;
    HeldHashes held(db, dev.id);
    for (; i < records.size() && records[i].meta.seq <= cursor; ++i) {
      CHZ_ASSIGN_OR_RETURN(
          bool same, held.same(records[i].meta.seq, std::string_view(hashes).substr(i * 32, 32)));
      if (!same)
        return Status(
            Code::kConflict,
            "record " + std::to_string(records[i].meta.seq) + " differs from the one held",
            "sync.conflict");
    }
    if (i == records.size()) return OkStatus();
    if (records[i].meta.seq != cursor + 1)
      return Status(Code::kConflict, "gap: expected seq " + std::to_string(cursor + 1), "sync.gap");
    for (std::size_t k = i; k < records.size(); ++k)
      if ((k > i && records[k].meta.seq != records[k - 1].meta.seq + 1) ||
          records[k].meta.origin_device != dev.id)
        return Status(Code::kInvalidArgument, "records must be consecutive, of one device",
                      "sync.malformed");
    std::size_t n = records.size() - i;
    if (i == 0 && !wire.empty() && n <= kMaxRowRecords) {
      CHZ_TRY(insert_row(db, dev.id, dev.site, records.front().meta.seq, n, now, wire, hashes));
    } else {
      std::vector<sync::Record> fresh(records.begin() + static_cast<long>(i), records.end());
      CHZ_TRY(insert_records(db, dev.site, fresh, std::string_view(hashes).substr(i * 32), now));
    }
    cursor = records.back().meta.seq;
    CHZ_TRY(db.run("UPDATE devices SET cursor=? WHERE id=?", cursor, dev.id));
    if (proof)
      CHZ_TRY(
          db.run("INSERT INTO proofs(device, first_seq, last_seq, kind, auth, body, "
                 "received_ms) VALUES(?,?,?,?,?,?,?)",
                 dev.id, records.front().meta.seq, cursor, proof->kind, proof->auth,
                 bytes_of(proof->body), now));
    std::vector<StoredRecord> fresh;
    fresh.reserve(n);
    for (std::size_t k = i; k < records.size(); ++k) fresh.push_back({records[k], dev.site, now});
    // As the server holds them: stamps clamped against the time received.
    for (auto& f : fresh) f.record.meta.hlc = sync::clamp_hlc(f.record.meta.hlc, now);
    return on_stored(fresh);
  });
  if (!st.ok()) return st;
  return cursor;
}

Result<FeedPage> feed(Db& db, const std::string& site, const std::string& exclude,
                      std::int64_t after, std::size_t limit) {
  FeedPage p;
  p.next_cursor = after;
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT origin, first_rec, last_rec, received_ms, wire "
                                  "FROM batches WHERE site=? AND last_rec>? ORDER BY last_rec"));
  st.bind_all(site, after);
  auto want = static_cast<std::int64_t>(limit), n = std::int64_t{0};
  while (n < want) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    std::int64_t first = st.int64(1), last = st.int64(2);
    std::int64_t from = std::max(first, after + 1);
    std::int64_t take = std::min(last - from + 1, want - n);
    if (st.text(0) != exclude) {
      CHZ_ASSIGN_OR_RETURN(auto recs, stored(blob_view(st.blob(4)), st.int64(3), last - first + 1));
      for (std::int64_t k = from - first; k < from - first + take; ++k)
        p.records.push_back(std::move(recs[static_cast<std::size_t>(k)]));
    }
    n += take;
    p.next_cursor = from + take - 1;
  }
  p.more = n == want;
  return p;
}

Result<std::vector<sync::Record>> records_of(Db& db, const std::string& origin,
                                             std::int64_t after_seq) {
  CHZ_ASSIGN_OR_RETURN(Stmt st, db.prepare("SELECT first_rec, last_rec, received_ms, wire FROM "
                                           "batches WHERE origin=? AND last_seq>? ORDER BY "
                                           "last_seq"));
  st.bind(1, origin);
  st.bind(2, after_seq);
  std::vector<sync::Record> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    CHZ_ASSIGN_OR_RETURN(auto recs,
                         stored(blob_view(st.blob(3)), st.int64(2), st.int64(1) - st.int64(0) + 1));
    for (auto& r : recs)
      if (r.meta.seq > after_seq) out.push_back(std::move(r));
  }
  return out;
}

Status append_county(Db& db, const std::vector<CountyWrite>& w, std::int64_t now,
                     const OnStored& on_stored) {
  return db.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(std::int64_t seq, counter(db, "county_seq"));
    // County stamps never repeat or go back, even for two writes in one
    // millisecond or after the clock steps back: last writer wins needs it.
    CHZ_ASSIGN_OR_RETURN(std::int64_t last_ms, counter(db, "county_hlc_ms"));
    CHZ_ASSIGN_OR_RETURN(std::int64_t last_logical, counter(db, "county_hlc_logical"));
    std::int64_t phys = std::max(now, last_ms);
    auto logical = static_cast<std::int32_t>(last_ms >= now ? last_logical + 1 : 0);
    // Consecutive writes for the same site share a row.
    for (std::size_t i = 0; i < w.size();) {
      std::size_t j = i;
      std::vector<sync::Record> run;
      std::string hashes;
      for (; j < w.size() && w[j].site == w[i].site; ++j) {
        sync::Record r;
        r.meta = {
            sync::record_uuid("county", ++seq, now), "county", seq, {phys, logical++}, now, 0};
        r.kind = w[j].kind;
        r.body = w[j].body;
        Key32 h = sync::record_hash(r);
        hashes.append(reinterpret_cast<const char*>(h.data()), h.size());
        run.push_back(std::move(r));
      }
      CHZ_TRY(insert_records(db, w[i].site, run, hashes, now));
      std::vector<StoredRecord> stored_run;
      stored_run.reserve(run.size());
      // As reading them back gives them: stamps clamped against the time
      // received (a back-dated write, as demo-seed makes, reads clamped).
      for (auto& r : run) {
        r.meta.hlc = sync::clamp_hlc(r.meta.hlc, now);
        stored_run.push_back({std::move(r), w[i].site, now});
      }
      CHZ_TRY(on_stored(stored_run));
      i = j;
    }
    CHZ_TRY(set_counter(db, "county_hlc_ms", phys));
    CHZ_TRY(set_counter(db, "county_hlc_logical", logical - 1));
    return set_counter(db, "county_seq", seq);
  });
}

Result<std::int64_t> records_after(Db& db, std::int64_t after, std::size_t limit,
                                   std::vector<StoredRecord>* out) {
  CHZ_ASSIGN_OR_RETURN(Stmt st, db.prepare("SELECT site, first_rec, last_rec, received_ms, wire "
                                           "FROM batches WHERE last_rec>? ORDER BY last_rec"));
  st.bind(1, after);
  std::int64_t last = after;
  std::size_t n = 0;
  while (n < limit) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    std::int64_t first = st.int64(1), hi = st.int64(2), received = st.int64(3);
    CHZ_ASSIGN_OR_RETURN(auto recs, stored(blob_view(st.blob(4)), received, hi - first + 1));
    std::string site = st.text(0);
    for (std::int64_t id = std::max(first, after + 1); id <= hi; ++id) {
      out->push_back({std::move(recs[static_cast<std::size_t>(id - first)]), site, received});
      ++n;
    }
    last = hi;
  }
  return last;
}

}  // namespace chz::server::batches
