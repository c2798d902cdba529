#include "kiosk/people.h"

#include "common/utf8.h"

#include <array>

#include "kiosk/domain_write.h"
#include "kiosk/kiosk_time.h"
#include "sync/protocol/person_key.h"
#include "sync/protocol/record_kinds.h"

namespace chz::kiosk {

namespace k = sync::kinds;
using nlohmann::json;

namespace {

const std::span<const std::string_view> kGroups(k::kKeyGroups);

// Decodes UTF-8; false on malformed input.
bool decode(std::string_view s, std::vector<char32_t>& out) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int j = 1; j < n; ++j) {
      unsigned char cc = static_cast<unsigned char>(s[i + j]);
      if ((cc >> 6) != 2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(cp);
    i += n;
  }
  return true;
}

bool is_cjk(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x323AF) ||
         (c >= 0x2F800 && c <= 0x2FA1F) || c == 0x3007;
}
bool is_latin(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_dot(char32_t c) {
  return c == 0xB7 || c == 0x2022 || c == 0x30FB || c == 0x2027 || c == 0xFF0E || c == 0xFF65 ||
         c == 0x2219 || c == '.';
}
bool is_space(char32_t c) {
  return c == ' ' || c == 0x3000 || c == '\t';
}

std::vector<char32_t> trimmed(std::vector<char32_t> v) {
  while (!v.empty() && is_space(v.back())) v.pop_back();
  size_t b = 0;
  while (b < v.size() && is_space(v[b])) ++b;
  v.erase(v.begin(), v.begin() + static_cast<long>(b));
  return v;
}

Status validate_groups(const std::vector<std::string>& gs) {
  for (const auto& g : gs)
    if (!is_key_group(g))
      return Status(Code::kInvalidArgument, "not one of the ten key employment groups",
                    "group.unknown");
  return OkStatus();
}

Result<Person> read_person(Db& db, const std::string& key) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT id_number, name, township, village, phone FROM people "
                                  "WHERE id = ? AND deleted = 0"));
  st.bind(1, key);
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kNotFound, "no such person", "person.unknown");
  Person p;
  p.key = key;
  p.id_number = st.text(0);
  p.name = st.text(1);
  p.township = st.text(2);
  p.village = st.text(3);
  p.phone = st.text(4);
  if (auto card = sync::parse_id_number(p.id_number); card.ok()) {
    p.birth = card->birth;
    p.gender = card->gender;
  }
  CHZ_ASSIGN_OR_RETURN(Stmt g,
                       db.prepare("SELECT grp FROM person_groups WHERE person = ? AND member = 1"));
  g.bind(1, key);
  std::vector<std::string> have;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool r, g.step());
    if (!r) break;
    have.push_back(g.text(0));
  }
  for (auto kg : kGroups)
    for (const auto& h : have)
      if (h == kg) p.groups.emplace_back(kg);
  return p;
}

}  // namespace

std::span<const std::string_view> key_groups() {
  return kGroups;
}

bool is_key_group(std::string_view g) {
  for (auto kg : kGroups)
    if (kg == g) return true;
  return false;
}

Status set_county_key(Db& db, const Key32& key) {
  return db.run("INSERT OR REPLACE INTO settings(key, value) VALUES ('county.person_key', ?)",
                hex(key));
}

Result<Key32> county_key(Db& db) {
  auto v = db.query_text("SELECT value FROM settings WHERE key = 'county.person_key'");
  if (!v.ok() && v.status().code() == Code::kNotFound)
    return Status(Code::kFailedPrecondition, "this kiosk is not enrolled with a county yet",
                  "device.not_enrolled");
  if (!v.ok()) return v.status();
  CHZ_ASSIGN_OR_RETURN(Bytes b, unhex(*v));
  if (b.size() != 32) return Status(Code::kCorrupt, "the stored county key is not 32 bytes");
  Key32 k;
  std::copy(b.begin(), b.end(), k.begin());
  return k;
}

Result<std::string> normalize_name(std::string_view name) {
  std::vector<char32_t> cps;
  if (!decode(name, cps))
    return Status(Code::kInvalidArgument, "name is not valid UTF-8", "name.chars");
  cps = trimmed(std::move(cps));
  if (cps.empty()) return Status(Code::kInvalidArgument, "a name is required", "name.empty");
  if (cps.size() > static_cast<size_t>(kMaxNameChars))
    return Status(Code::kInvalidArgument, "a name has at most 30 characters", "name.length");
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    char32_t c = cps[i];
    if (is_dot(c)) {
      bool edge = i == 0 || i + 1 == cps.size() || is_dot(cps[i - 1]);
      if (edge)
        return Status(Code::kInvalidArgument, "'·' only stands between parts of a name",
                      "name.dot");
      c = 0xB7;
    } else if (!is_cjk(c) && !is_latin(c) && !(c == ' ' && is_latin(cps[i - 1]))) {
      return Status(Code::kInvalidArgument, "a name holds Chinese characters, letters and '·'",
                    "name.chars");
    }
    append_utf8(out, c);
  }
  return out;
}

Result<std::string> normalize_place(std::string_view s) {
  std::vector<char32_t> cps;
  if (!decode(s, cps)) return Status(Code::kInvalidArgument, "not valid UTF-8", "place.chars");
  cps = trimmed(std::move(cps));
  if (cps.empty())
    return Status(Code::kInvalidArgument, "a township and village are required", "place.empty");
  if (cps.size() > static_cast<size_t>(kMaxPlaceChars))
    return Status(Code::kInvalidArgument, "a place name has at most 30 characters", "place.length");
  std::string out;
  for (char32_t c : cps) {
    if (!is_cjk(c) && !is_latin(c) && !(c >= '0' && c <= '9'))
      return Status(Code::kInvalidArgument,
                    "a place name holds Chinese characters, letters and digits", "place.chars");
    append_utf8(out, c);
  }
  return out;
}

Result<std::string> register_person(Db& db, const Clock& clock, const Actor& actor,
                                    const PersonInput& in) {
  CHZ_ASSIGN_OR_RETURN(sync::IdCard card, sync::parse_id_number(in.id_number));
  CHZ_ASSIGN_OR_RETURN(std::string name, normalize_name(in.name));
  CHZ_ASSIGN_OR_RETURN(std::string township, normalize_place(in.township));
  CHZ_ASSIGN_OR_RETURN(std::string village, normalize_place(in.village));
  std::string phone;
  if (!in.phone.empty()) {
    CHZ_ASSIGN_OR_RETURN(phone, sync::parse_phone(in.phone));
  }
  CHZ_TRY(validate_groups(in.groups));
  std::string key;
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, actor, {Role::kTrainer, Role::kSiteAdmin}));
    CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
    int age = age_on(card.birth, china_date(now));
    if (age < kMinAge || age > kMaxAge)
      return Status(Code::kOutOfRange, "the programme enrols people aged 16 to 60", "person.age");
    CHZ_ASSIGN_OR_RETURN(Key32 ck, county_key(db));
    key = sync::person_key(ck, card.number);
    CHZ_ASSIGN_OR_RETURN(
        std::int64_t n,
        db.query_int("SELECT count(*) FROM people WHERE id = ? AND deleted = 0", key));
    if (n)
      return Status(Code::kAlreadyExists, "this person is already registered", "person.exists");
    json body = {{"entity", k::entity(k::kPerson, key)},
                 {"id_number", card.number},
                 {"name", name},
                 {"name_source", "kiosk"},
                 {"township", township},
                 {"village", village},
                 {"phone", phone},
                 {"deleted", 0}};
    for (const auto& g : in.groups) body["group:" + g] = 1;
    return write_record(db, clock, actor, k::kPerson, body, "person.register", {{"person", key}})
        .status();
  }));
  return key;
}

Status update_person(Db& db, const Clock& clock, const Actor& actor, const std::string& key,
                     const PersonChange& ch) {
  json body = {{"entity", k::entity(k::kPerson, key)}};
  if (ch.name) {
    CHZ_ASSIGN_OR_RETURN(body["name"], normalize_name(*ch.name));
    body["name_source"] = "kiosk";
  }
  if (ch.township) {
    CHZ_ASSIGN_OR_RETURN(body["township"], normalize_place(*ch.township));
  }
  if (ch.village) {
    CHZ_ASSIGN_OR_RETURN(body["village"], normalize_place(*ch.village));
  }
  if (ch.phone) {
    if (ch.phone->empty()) {
      body["phone"] = "";
    } else {
      CHZ_ASSIGN_OR_RETURN(body["phone"], sync::parse_phone(*ch.phone));
    }
  }
  return db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, actor, {Role::kTrainer, Role::kSiteAdmin}));
    CHZ_TRY(read_person(db, key).status());
    json fields = json::array();
    for (const auto& [f, v] : body.items())
      if (f != "entity") fields.push_back(f);
    return write_record(db, clock, actor, k::kPerson, body, "person.update",
                        {{"person", key}, {"fields", fields}})
        .status();
  });
}

Status change_key_groups(Db& db, const Clock& clock, const Actor& actor, const std::string& key,
                         const std::vector<std::string>& add,
                         const std::vector<std::string>& remove) {
  CHZ_TRY(validate_groups(add));
  CHZ_TRY(validate_groups(remove));
  json body = {{"entity", k::entity(k::kPerson, key)}};
  for (const auto& g : remove) body["group:" + g] = 0;
  for (const auto& g : add) body["group:" + g] = 1;
  return db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, actor, {Role::kTrainer, Role::kSiteAdmin}));
    CHZ_TRY(read_person(db, key).status());
    return write_record(db, clock, actor, k::kPerson, body, "person.groups",
                        {{"person", key}, {"add", add}, {"remove", remove}})
        .status();
  });
}

Result<Person> get_person(Db& db, const std::string& key) {
  return read_person(db, key);
}

Result<Person> find_person_by_id_number(Db& db, std::string_view id_number) {
  CHZ_ASSIGN_OR_RETURN(sync::IdCard card, sync::parse_id_number(id_number));
  CHZ_ASSIGN_OR_RETURN(Key32 ck, county_key(db));
  return read_person(db, sync::person_key(ck, card.number));
}

Result<std::vector<Person>> list_people(Db& db) {
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, db.prepare("SELECT id FROM people WHERE deleted = 0 ORDER BY township, name, id"));
  std::vector<std::string> keys;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    keys.push_back(st.text(0));
  }
  std::vector<Person> out;
  out.reserve(keys.size());
  for (const auto& kk : keys) {
    CHZ_ASSIGN_OR_RETURN(Person p, read_person(db, kk));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace chz::kiosk
