// The batch wire format: how a list of Records travels (upload bodies, feed
// pages, USB bundles). Columnar, dictionary-coded, delta/varint integers,
// then zstd. Layout (all integers LEB128 varints, signed ones zig-zagged):
//
//   "CHZB" | u8 version (kWireVersion) | varint payload_len | zstd(payload)
//   payload = varint n_records | 6 streams, each varint length + bytes:
//     strings  literals, in order of first use (a string ref equal to the
//              next free id means "the next literal")
//     meta     per record: origin ref, kind ref, uuid tag (1 derived,
//              3 other v7, 0 raw, 2 string ref), body shape ref
//              (a new shape is defined inline: n fields, key ref + type)
//     seq      zigzag(seq - previous seq - 1)
//     time     zigzag(hlc.physical - previous), hlc.logical,
//              zigzag(wall_ms - hlc.physical), zigzag(offset - previous),
//              and for a derived or v7 uuid zigzag(uuid_ms - wall_ms)
//     uuid     tag 0: 16 raw bytes; tag 3: rand_a's low 4 bits of byte 6,
//              rand_b's 6 bits of byte 8, then bytes 7, 9..15 (10 bytes)
//     body     per field of the shape: string ref | zigzag(int - previous in
//              that column) | zigzag(int - wall_ms) for "*_ms" keys | ref of
//              the raw JSON text (arrays, bools, null, floats)
//   A body that is not canonical JSON (json::dump() of its parse) travels
//   as one raw string (shape 0), so every body round-trips byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "common/status.h"
#include "common/uuid.h"
#include "sync/protocol/record.h"

namespace chz::sync {

// Version 2 added uuid tag 3; version 1 batches (USB bundles written
// before) still decode.
inline constexpr std::uint8_t kWireVersion = 2;
// Bounded memory: a decoded batch never exceeds this many bytes or records.
inline constexpr std::size_t kMaxDecodedBytes = 64u << 20;
inline constexpr std::size_t kMaxBatchRecords = 20'000;

// Encodes `records` (any order, any origins). zstd `level` 1..19.
std::string encode_batch(const std::vector<Record>& records, int level = 3);
// Decodes what encode_batch wrote. kInvalidArgument ("malformed batch")
// for anything else, kOutOfRange for an unknown version, kTooLarge beyond
// the limits above. Never reads outside `wire`.
Result<std::vector<Record>> decode_batch(std::string_view wire);

// Deterministic UUIDv7 for a record: 48-bit `unix_ms`, version 7, variant
// 10, and the 74 "random" bits = 32 bits of SHA-256(origin_device) followed
// by the low 42 bits of `seq`. Unique per (device, seq) and time-ordered;
// the wire format sends such uuids in about one byte. Writers may use it
// instead of a random UUIDv7 (both are valid RFC 9562 v7 uuids).
std::string record_uuid(std::string_view origin_device, std::int64_t seq, std::int64_t unix_ms);
// The same uuid as 16 bytes.
Uuid record_uuid_bytes(std::string_view origin_device, std::int64_t seq, std::int64_t unix_ms);
// Canonical uuid text (lower case, as uuid_text writes it) of `u` into out[0..36).
void uuid_chars(const Uuid& u, char* out);
// True iff `s` is canonical uuid text; then `*u` holds its bytes.
bool canonical_uuid(std::string_view s, Uuid* u);

// SHA-256 over every field of the record (length-prefixed), as the server
// stores it to tell an identical resend from a different one.
Key32 record_hash(const Record& r);

}  // namespace chz::sync
