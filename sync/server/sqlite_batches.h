// How the embedded store keeps records: as batches. One row per stored
// upload holds the batch as it arrived (the CHZB wire bytes the device
// signed), one SHA-256 per record (record_hash), the seq range and the
// range of server record ids (the feed cursor) its records got. Writing
// one row per batch instead of one per record is what lets an upload be
// stored durably, in one transaction, at the speed the network brings it.
// Used by sqlite_store.cpp only; every call runs inside the caller's lock.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "common/db.h"
#include "sync/server/store.h"

namespace chz::server::batches {

// At most this many records per stored row (larger inputs are split).
inline constexpr std::size_t kMaxRowRecords = 10'000;

// Schema step 2: creates `batches` and moves the rows of the old per-record
// `records` table there (ids, hashes and clamped stamps kept), then drops it.
Status migrate_records_to_batches(Db& db);

// Called inside the storing transaction with the records just stored (one
// site's feed); an error rolls the whole write back.
using OnStored = std::function<Status(const std::vector<StoredRecord>&)>;

// ServerStore::ingest on the embedded store (its own transaction). `wire`,
// if not empty, is encode_batch of exactly `records` and is stored as is.
Result<std::int64_t> ingest(Db& db, const DeviceRow& dev, const std::vector<sync::Record>& records,
                            std::string_view wire, std::int64_t now_ms, const OnStored& on_stored,
                            const sync::Proof* proof = nullptr);
// The `proofs` table (made at open when absent) and ServerStore::proofs.
Status ensure_proofs(Db& db);
Result<std::vector<StoredProof>> proofs(Db& db, const std::string& device, std::int64_t after_seq,
                                        std::size_t limit);
// ServerStore::feed, records_of and append_county on the embedded store.
Result<FeedPage> feed(Db& db, const std::string& site, const std::string& exclude,
                      std::int64_t after, std::size_t limit);
Result<std::vector<sync::Record>> records_of(Db& db, const std::string& origin,
                                             std::int64_t after_seq = 0);
Status append_county(Db& db, const std::vector<CountyWrite>& w, std::int64_t now_ms,
                     const OnStored& on_stored);
// ModelTx::records_after on the embedded store.
Result<std::int64_t> records_after(Db& db, std::int64_t after, std::size_t limit,
                                   std::vector<StoredRecord>* out);

}  // namespace chz::server::batches
