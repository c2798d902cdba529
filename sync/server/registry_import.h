// Importing the county's labour-force registry and its list of held
// certificates (registry_file.h) into the store: the file is compared with
// the read model (county_model.h) and only what differs becomes county
// records, all on the registry feed (model::kRegistryFeed), which no kiosk
// is on. Re-importing the same file writes nothing.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "sync/server/county.h"
#include "sync/server/registry_file.h"
#include "sync/server/store.h"

namespace chz::server {

struct RegistryImportOptions {
  bool dry_run = false;  // compute the same counts, write nothing
  std::string today;     // YYYY-MM-DD, China date: the day memberships start and end
};

struct RegistryImportResult {
  RegistryFile file;
  int added = 0;      // registry_entry for a person who is not a current member
  int updated = 0;    // registry_entry for a member whose registry fields differ
  int unchanged = 0;  // members whose fields the model already holds
  int left = 0;       // registry_leave for a member absent from the file
  // True iff the file had refused rows: then no leave is written (a refused
  // row may be a member who is still there) and `left` is 0.
  bool leaves_skipped = false;
};

// Reads the registry at `path` and writes, in one append_county call (one
// transaction), a registry_entry for each person new to the registry or
// whose name, township, village, phone, employment or groups differ from
// the model, and a registry_leave (to = today) for each current member
// absent from the file. People are keyed as enrol_person keys them
// (sync::person_key under the county person key), so they merge with
// kiosk-registered people. A new member's span starts on `o.today`; an
// updated member keeps its span. Groups compare as a subset: the model may
// hold groups a kiosk added, and a registry entry only adds groups. A
// member whose span starts on or after `o.today` gets no leave (the model
// closes spans only after the day they start).
// Refusals: kInvalidArgument "registry.bad_today" for an unparsable
// `o.today`; read_registry's refusals of the file. Nothing is written then.
[[nodiscard]] Result<RegistryImportResult> import_registry(ServerStore& s, const CountyKeys& k,
                                                           const std::string& path,
                                                           const RegistryImportOptions& o,
                                                           std::int64_t now_ms);

struct HeldImportResult {
  CertificateFile file;
  int added = 0;      // held_certificate records written (or, dry run, to write)
  int unchanged = 0;  // certificates the model already holds
};

// Reads the held-certificate list at `path` and writes, in one
// append_county call, a held_certificate record (to the registry feed) for
// each certificate whose (person, "import:<number>") is not in cm_held.
// `dry_run`: the same counts, nothing written. Refusals:
// read_held_certificates' (nothing written).
[[nodiscard]] Result<HeldImportResult> import_held_certificates(ServerStore& s, const CountyKeys& k,
                                                                const std::string& path,
                                                                bool dry_run, std::int64_t now_ms);

// Registry membership as the model holds it.
struct RegistryCounts {
  std::int64_t members = 0;          // people with an open span
  std::int64_t left = 0;             // people whose every span is closed
  std::int64_t not_in_registry = 0;  // people in cm_people (not deleted) with no open span
};
[[nodiscard]] Result<RegistryCounts> registry_counts(ServerStore& s);

}  // namespace chz::server
