// County data entry: sites, staff, classes, sessions, enrolment, codes,
// content publishing and the demo county. Everything except sites and codes
// becomes county records (sync/protocol/record_kinds.h) on the feed of the
// site it belongs to, so kiosks receive it at their next sync.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "sync/server/county.h"
#include "sync/server/store.h"

namespace chz::server {

struct StaffInput {
  std::string id, name, role = "trainer", site;
  std::string setup_code;  // optional one-time code for the first PIN
};
struct ClassInput {
  std::string id, course, site, name;
  int capacity = 40;
  std::vector<std::string> trainers;
};
struct SessionInput {
  std::string id, class_id, date, start, end, kind = "theory";
};
struct PersonInput {
  std::string id_number, name, township, village, phone;
  std::vector<std::string> groups;
};

Status add_staff(ServerStore& s, const StaffInput& in, std::int64_t now_ms);
Status add_class(ServerStore& s, const ClassInput& in, std::int64_t now_ms);
// The class must exist (its site is looked up): kNotFound otherwise.
Status add_session(ServerStore& s, const SessionInput& in, std::int64_t now_ms);
// Writes the person (key under the county person key) and the enrolment to
// the class's site; empty township, village or phone leave the held value. kInvalidArgument for a
// bad ID number, or a key group that is not one of the programme's ten ("person.group"). OK iff
// every group is one of the programme's ten (record_kinds.h); kInvalidArgument "person.group"
// naming them otherwise.
Status check_key_groups(const std::vector<std::string>& groups);
Status enrol_person(ServerStore& s, const CountyKeys& k, const std::string& class_id,
                    const PersonInput& p, std::int64_t now_ms);
// A one-time code for `site`, valid `ttl_ms`; returns it as printed.
Result<std::string> issue_code(ServerStore& s, const std::string& site, std::int64_t ttl_ms,
                               std::int64_t now_ms);
// Signs the course source in `dir` (content/courses/<id>) with the county
// content key, stores the package and announces it to every site.
// Idempotent: the same package again stores and announces nothing
// (published = false); other content under a version already published is
// refused (kConflict, "content.version_exists").
struct PublishResult {
  std::string id;  // "<course>-v<version>"
  bool published = false;
};
Result<PublishResult> publish_course(ServerStore& s, const CountyKeys& k, const std::string& dir,
                                     std::int64_t now_ms);
// Fills a fictional county: townships, sites, trainers, a few hundred
// trainees, classes on the demo courses under `courses_dir`, and months of
// attendance history from demo kiosks. Deterministic for a given `seed`.
Status demo_seed(ServerStore& s, const CountyKeys& k, const std::string& courses_dir,
                 std::int64_t now_ms, unsigned seed = 1);

}  // namespace chz::server
