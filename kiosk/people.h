// People (学员): one record per person, keyed by the person key derived from
// the resident ID number under the county key (sync/protocol/person_key.h).
// Birth date, age and gender come from the ID number, never typed twice.
// Enrolment in the programme is for ages 16–60 on the day of registration.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/db.h"
#include "kiosk/actor.h"
#include "sync/protocol/idcard.h"

namespace chz::kiosk {

inline constexpr int kMinAge = 16;
inline constexpr int kMaxAge = 60;
inline constexpr int kMaxNameChars = 30;  // code points; minority names run long
inline constexpr int kMaxPlaceChars = 30;

// The ten key employment groups (十类重点就业群体), in the programme's order.
std::span<const std::string_view> key_groups();
bool is_key_group(std::string_view g);

// The county key for person keys, delivered at enrollment (sync stores it).
Status set_county_key(Db& db, const Key32& key);
// kFailedPrecondition ("device.not_enrolled") until the kiosk is enrolled.
Result<Key32> county_key(Db& db);

// Checks a name: 1..30 code points of Chinese characters (any CJK block,
// Extension B included), Latin letters, and the middle dot '·' between parts
// of a minority name (other dots such as '•' and '・' become '·').
// Returns the normalised name; kInvalidArgument with "name.empty",
// "name.length", "name.chars" or "name.dot".
Result<std::string> normalize_name(std::string_view name);
// Township or village: 1..30 code points, CJK, digits, Latin letters.
// Keys "place.empty", "place.length", "place.chars".
Result<std::string> normalize_place(std::string_view s);

struct PersonInput {
  std::string id_number, name, township, village;
  std::string phone;                // optional
  std::vector<std::string> groups;  // key groups
};

struct Person {
  std::string key, id_number, name, township, village, phone;
  CivilDate birth;
  sync::Gender gender = sync::Gender::kMale;
  std::vector<std::string> groups;  // current members, programme order
  std::string masked_id() const { return sync::mask_id_number(id_number); }
  std::string masked_phone() const { return sync::mask_phone(phone); }
  int age_on(const CivilDate& d) const { return chz::age_on(birth, d); }
};

// A trainer or site admin registers a walk-in trainee. Validates everything
// first (ID number, 16–60 on today's China date: "person.age", name, places,
// phone, groups: "group.unknown"); kAlreadyExists ("person.exists") if the
// person is known. Returns the person key. One transaction: person record +
// outbox + audit.
Result<std::string> register_person(Db& db, const Clock& clock, const Actor& actor,
                                    const PersonInput& in);

// Changes township, village and phone (empty optional = unchanged; an empty
// phone clears it). Trainer or site admin.
struct PersonChange {
  std::optional<std::string> name, township, village, phone;
};
Status update_person(Db& db, const Clock& clock, const Actor& actor, const std::string& key,
                     const PersonChange& change);

// Adds and removes key-group memberships (an add/remove set merged by HLC).
Status change_key_groups(Db& db, const Clock& clock, const Actor& actor, const std::string& key,
                         const std::vector<std::string>& add,
                         const std::vector<std::string>& remove);

// kNotFound ("person.unknown") if absent or deleted.
Result<Person> get_person(Db& db, const std::string& key);
// A trainee signs in with the ID number: validates it, derives the key.
Result<Person> find_person_by_id_number(Db& db, std::string_view id_number);
// All people, by township then name.
Result<std::vector<Person>> list_people(Db& db);

}  // namespace chz::kiosk
