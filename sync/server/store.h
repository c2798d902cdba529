// The county server's storage, behind one interface with two backends:
// the embedded SQLCipher store (sqlite_store.h, default) and PostgreSQL
// (pg_store.h, for several stateless server processes). Every method is
// safe to call from several request threads; each call is its own
// transaction unless it says otherwise.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "common/status.h"
#include "sync/protocol/api.h"
#include "sync/protocol/proof.h"
#include "sync/protocol/record.h"
#include "sync/server/sql.h"

namespace chz::server {

struct DeviceRow {
  std::string id;
  std::string site;
  Key32 pub{};
  Key32 box_pub{};
  bool revoked = false;
  std::int64_t cursor = 0;  // highest contiguous seq held
  std::int64_t enrolled_ms = 0;
  std::int64_t last_counter = 0;  // the last replay counter accepted
  // The short number this county gave the device at enrollment (1-999,
  // cert_number.h); 0 for a device enrolled before numbers or forwarded
  // from below (a city's copy of a county's kiosk).
  int number = 0;
};

struct CodeRow {
  std::string code_id;
  Key32 key{};
  std::string site;
  std::int64_t expires_ms = 0;
  bool used = false;
};

struct FeedPage {
  std::vector<sync::Record> records;
  std::int64_t next_cursor = 0;
  bool more = false;
};

struct Fault {
  std::string device;
  std::int64_t seq = 0;
  std::string what;  // "conflict" ...
  std::int64_t at_ms = 0;
};

// A proof kept with the records it carried (sync/protocol/proof.h): the
// batch held `proof.device`'s records first_seq..last_seq.
struct StoredProof {
  std::int64_t first_seq = 0, last_seq = 0;
  std::int64_t received_ms = 0;
  sync::Proof proof;
};

// A county-written record before it gets its metadata.
struct CountyWrite {
  std::string site;
  std::string kind;
  std::string body;  // canonical JSON
};

// The refusal of the 1000th device (both backends word it alike).
inline Status devices_full() {
  return Status(Code::kFailedPrecondition,
                "this county has given out all 999 device numbers (001-999) and cannot enroll "
                "another kiosk; numbers are never reused, so retiring a kiosk frees none",
                "sync.devices_full");
}

class ServerStore {
 public:
  virtual ~ServerStore() = default;

  virtual Status add_site(const std::string& id, const std::string& name,
                          const std::string& township) = 0;
  virtual Result<std::string> site_name(const std::string& id) = 0;  // kNotFound
  virtual Result<std::vector<std::string>> sites() = 0;

  virtual Status add_code(const CodeRow& c) = 0;
  virtual Result<CodeRow> code(const std::string& code_id) = 0;  // kNotFound
  // Marks the code used and registers the device, atomically, and returns
  // the device's short number: the next after the highest ever given, in
  // enrollment order, never reused (a revoked device keeps its number; a
  // device id enrolling again keeps the one it had). Fails with
  // "sync.bad_code" if the code was used meanwhile or has expired, and with
  // "sync.devices_full" (the code left unused) once 999 numbers are given.
  virtual Result<int> enroll_device(const std::string& code_id, std::int64_t now_ms,
                                    const DeviceRow& d) = 0;

  virtual Result<DeviceRow> device(const std::string& id) = 0;  // kNotFound
  virtual Status revoke_device(const std::string& id) = 0;
  virtual Result<std::vector<sync::api::DeviceKey>> device_keys() = 0;

  // Accepts `counter` iff it is above the device's last one, and stores it
  // with `now_ms` as the device's last contact (devices.last_seen_ms, read by
  // the freshness figures). Otherwise "sync.replayed"; `*last` gets the
  // stored counter either way.
  virtual Status bump_counter(const std::string& device, std::int64_t counter, std::int64_t now_ms,
                              std::int64_t* last) = 0;

  // Stores a batch of `device`'s records (origin == device, ascending seq)
  // in one transaction and returns the device's new cursor. A record at or
  // below the cursor must hash equal ("sync.conflict" otherwise); the first
  // record above the cursor must be cursor + 1 ("sync.gap"). On refusal
  // nothing is stored. `wire`, if given, is encode_batch of exactly
  // `records` as received; a backend may keep those bytes as they are.
  // `proof`, if given, is how the batch came (the signed upload or the USB
  // bundle); it is kept in the same transaction when the batch stored
  // anything new, so every stored record of a device after the proofs began
  // lies inside some kept proof.
  virtual Result<std::int64_t> ingest(const DeviceRow& device,
                                      const std::vector<sync::Record>& records, std::int64_t now_ms,
                                      std::string_view wire = {},
                                      const sync::Proof* proof = nullptr) = 0;
  // The kept proofs of `device` whose batches reach above `after_seq`, in
  // the order they were stored, at most `limit`.
  virtual Result<std::vector<StoredProof>> proofs(const std::string& device, std::int64_t after_seq,
                                                  std::size_t limit) = 0;
  // Registers a device another server enrolled (a kiosk of a county, at its
  // city), with cursor 0; an id already held is left as it is.
  virtual Status add_forwarded_device(const DeviceRow& d) = 0;
  // Every enrolled device, revoked ones too (upward forwarding).
  virtual Result<std::vector<DeviceRow>> devices() = 0;
  // The site's name and township; kNotFound.
  virtual Result<std::pair<std::string, std::string>> site_info(const std::string& id) = 0;
  virtual Status record_fault(const Fault& f) = 0;
  virtual Result<std::vector<Fault>> faults() = 0;

  // The site's records after `after` (server order), skipping `exclude`'s own.
  virtual Result<FeedPage> feed(const std::string& site, const std::string& exclude,
                                std::int64_t after, std::size_t limit) = 0;
  // The records of one origin with seq above `after_seq`, in seq order
  // (forwarding upward from a cursor; tests and export read all).
  virtual Result<std::vector<sync::Record>> records_of(const std::string& origin,
                                                       std::int64_t after_seq = 0) = 0;

  // Appends county records (origin "county", next county seqs, HLC now).
  virtual Status append_county(const std::vector<CountyWrite>& w, std::int64_t now_ms) = 0;

  // Runs `fn` in one transaction over the county read model
  // (county_model.h); committed iff it returns OK. Ingest and
  // append_county project into the same model inside their own
  // transactions, so what `fn` reads is current with every stored record.
  virtual Status model(const std::function<Status(ModelTx&)>& fn) = 0;

  virtual Status put_content(const std::string& id, const std::string& bytes,
                             std::int64_t now_ms) = 0;
  virtual Result<std::string> content(const std::string& id) = 0;  // kNotFound
};

// What `f(sql)` returns (a Result), read in one model transaction
// (committed iff it is OK).
template <class F>
auto read_model(ServerStore& s, F&& f) -> decltype(f(std::declval<Sql&>())) {
  using R = decltype(f(std::declval<Sql&>()));
  std::optional<R> out;
  Status st = s.model([&](ModelTx& tx) {
    out.emplace(f(tx.sql()));
    return out->status();
  });
  if (!st.ok()) return st;
  return std::move(*out);
}

// Opens the embedded store in `dir` (created on first use, with its key file).
Result<std::unique_ptr<ServerStore>> open_sqlite_store(const std::string& dir);
// Connects to PostgreSQL (a postgresql:// URL) and creates the schema if absent.
Result<std::unique_ptr<ServerStore>> open_pg_store(const std::string& url);
// --db URL if given, else the embedded store in `dir`.
Result<std::unique_ptr<ServerStore>> open_store(const std::string& dir, const std::string& db_url);

}  // namespace chz::server
