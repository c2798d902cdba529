#include "kiosk/certificate_issue.h"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>

#include "kiosk/audit.h"
#include "kiosk/exam_internal.h"
#include "kiosk/exam_practical.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/outbox.h"
#include "kiosk/people.h"
#include "sync/protocol/cert_number.h"

namespace chz::kiosk::exam {

using nlohmann::json;

std::string Certificate::document_json() const {
  json cert = json::parse(sync::canonical_certificate(data));
  json doc = {{"certificate", cert}, {"signature", signature}, {"qr", qr}, {"status", status}};
  if (!qual_number.empty()) doc["qualification"] = {{"kind", qual_kind}, {"number", qual_number}};
  if (!reason.empty()) doc["reason"] = reason;
  if (!confirmations.empty()) {
    json list = json::array();
    for (const auto& c : confirmations)
      list.push_back(json::parse(sync::signed_confirmation_json(c)));
    doc["confirmations"] = list;
  }
  return doc.dump(2, ' ', false, json::error_handler_t::replace);
}

namespace {

Status refuse(Code c, std::string key, std::string msg) {
  return Status(c, std::move(msg), std::move(key));
}

// ASCII site code for numbers: the site id if short and alphanumeric, else
// "S" + 8 hex characters of its hash.
std::string site_code(const std::string& site) {
  bool plain = !site.empty() && site.size() <= 16;
  for (unsigned char c : site) plain = plain && std::isalnum(c);
  return plain ? site : "S" + hex(sha256(site)).substr(0, 8);
}

constexpr const char* kCols =
    "number, person, attempt_id, practical, issued_ms, canonical, signature, status, qual_kind, "
    "qual_number, confirmed_ms, reason";

Result<Certificate> read(Stmt& st) {
  Certificate c;
  c.data.number = st.text(0);
  c.person = st.text(1);
  c.attempt_id = st.text(2);
  c.practical_uuid = st.text(3);
  c.issued_ms = st.int64(4);
  CHZ_ASSIGN_OR_RETURN(c.data, sync::parse_certificate_json(st.text(5)));
  Bytes sig = st.blob(6);
  c.signature = base64url(sig);
  c.qr = sync::qr_payload(c.data, sig);
  c.status = st.text(7);
  c.qual_kind = st.text(8);
  c.qual_number = st.text(9);
  c.confirmed_ms = st.int64(10);
  c.reason = st.text(11);
  return c;
}

Status load_confirmations(Db& db, Certificate& c) {
  CHZ_ASSIGN_OR_RETURN(Stmt st, db.prepare("SELECT signed_json FROM certificate_confirmations "
                                           "WHERE number = ? ORDER BY at_ms, uuid"));
  st.bind(1, c.data.number);
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    CHZ_ASSIGN_OR_RETURN(sync::SignedConfirmation one, sync::parse_signed_confirmation(st.text(0)));
    c.confirmations.push_back(std::move(one));
  }
  return OkStatus();
}

// Verifies a certificate_confirm with the county key, keeps it, and sets the
// certificate's row to the latest one kept.
Status apply_confirmation(Db& db, const sync::Record& r) {
  auto key_hex = db.query_text("SELECT value FROM settings WHERE key = 'county.content_pub'");
  auto key_bytes = key_hex.ok() ? unhex(*key_hex) : Result<Bytes>(key_hex.status());
  if (!key_bytes.ok() || key_bytes->size() != 32)
    return refuse(Code::kFailedPrecondition, "cert.confirm_no_key",
                  "certificate_confirm record " + r.meta.uuid +
                      " refused: this kiosk holds no county content key to check it with");
  Key32 key;
  std::copy(key_bytes->begin(), key_bytes->end(), key.begin());
  auto s = sync::parse_signed_confirmation(r.body);
  if (!s.ok())
    return refuse(
        s.status().code(), s.status().key(),
        "certificate_confirm record " + r.meta.uuid + " refused: " + s.status().message());
  if (Status v = sync::verify_confirmation(*s, key); !v.ok())
    return refuse(v.code(), v.key(),
                  "certificate_confirm record " + r.meta.uuid + " refused: " + v.message());
  CHZ_TRY(db.run(
      "INSERT OR IGNORE INTO certificate_confirmations(uuid, number, status, at_ms, signed_json) "
      "VALUES (?,?,?,?,?)",
      r.meta.uuid, s->c.number, s->c.status, s->c.at_ms, sync::signed_confirmation_json(*s)));
  CHZ_ASSIGN_OR_RETURN(std::string latest,
                       db.query_text("SELECT signed_json FROM certificate_confirmations WHERE "
                                     "number = ? ORDER BY at_ms DESC, uuid DESC LIMIT 1",
                                     s->c.number));
  CHZ_ASSIGN_OR_RETURN(sync::SignedConfirmation l, sync::parse_signed_confirmation(latest));
  return db.run(
      "UPDATE certificates SET status = ?, qual_kind = ?, qual_number = ?, reason = ?, "
      "confirmed_ms = ? WHERE number = ?",
      l.c.status, l.c.qual_kind, l.c.qual_number, l.c.reason, l.c.at_ms, l.c.number);
}

Result<std::vector<Certificate>> query(Db& db, const std::string& where, const std::string& arg) {
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, db.prepare(fmt::format("SELECT {} FROM certificates WHERE {} ORDER BY issued_ms",
                                      kCols, where)));
  st.bind(1, arg);
  std::vector<Certificate> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    CHZ_ASSIGN_OR_RETURN(Certificate c, read(st));
    out.push_back(std::move(c));
  }
  for (auto& c : out) CHZ_TRY(load_confirmations(db, c));
  return out;
}

// The QR code's text for `c` on this kiosk (its county's /verify URL).
void set_qr_text(Store& s, Certificate& c) {
  auto url = s.setting("server.url");
  c.qr_text = sync::verify_url(url.ok() ? *url : std::string(), c.qr);
}
Result<std::vector<Certificate>> query(Store& s, const std::string& where, const std::string& arg) {
  CHZ_ASSIGN_OR_RETURN(auto v, query(s.db(), where, arg));
  for (auto& c : v) set_qr_text(s, c);
  return v;
}

}  // namespace

Result<Certificate> get_certificate(Store& s, const std::string& typed) {
  std::string number = sync::normalize_cert_number(typed);
  CHZ_ASSIGN_OR_RETURN(auto v, query(s, "number = ?", number));
  if (v.empty()) return refuse(Code::kNotFound, "cert.unknown", "no such certificate");
  return v.front();
}

Result<std::vector<Certificate>> certificates_of(Store& s, const std::string& person) {
  return query(s, "person = ?", person);
}

Result<Certificate> issue_certificate(Store& s, const Clock& clock, const content::Course& course,
                                      const std::string& person) {
  Db& db = s.db();
  {
    CHZ_ASSIGN_OR_RETURN(
        Stmt st, db.prepare("SELECT number FROM certificates WHERE person = ? AND course_id = ?"));
    st.bind_all(person, course.id);
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (row) return get_certificate(s, st.text(0));
  }
  auto attempt = db.query_text(
      "SELECT id FROM exam_attempts WHERE person = ? AND course_id = ? AND passed = 1 "
      "ORDER BY theory_x100 DESC, id DESC LIMIT 1",
      person, course.id);
  if (!attempt.ok()) {
    if (attempt.status().code() == Code::kNotFound)
      return refuse(Code::kFailedPrecondition, "cert.theory_not_passed",
                    "the theory exam has not been passed");
    return attempt.status();
  }
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t theory,
      db.query_int("SELECT theory_x100 FROM exam_attempts WHERE id = ?", *attempt));
  CHZ_ASSIGN_OR_RETURN(auto practical, practical_score(s, person, course.id));
  if (!practical)
    return refuse(Code::kFailedPrecondition, "cert.practical_missing",
                  "no practical score has been entered");
  if (practical->score_x100 < static_cast<std::int64_t>(course.practical_pass * 100 + 0.5))
    return refuse(Code::kFailedPrecondition, "cert.practical_not_passed",
                  "the practical score is below the pass mark");
  auto site = s.setting("enroll.site_id");
  if (!site.ok())
    return refuse(Code::kFailedPrecondition, "device.not_enrolled",
                  "this kiosk is not enrolled to a site");
  auto site_name = s.setting("enroll.site_name");
  // The short number's parts, when the county gave them at enrollment.
  auto area = s.setting("county.area_code");
  std::optional<int> device_number;
  if (auto n = s.setting("enroll.device_number"); n.ok()) {
    try {
      device_number = std::stoi(*n);
    } catch (const std::exception&) {
    }
  }
  bool short_number = area.ok() && sync::is_area_code(*area) && device_number &&
                      *device_number >= 1 && *device_number <= sync::kMaxDeviceNumber;
  CHZ_ASSIGN_OR_RETURN(Person p, get_person(db, person));
  CHZ_ASSIGN_OR_RETURN(DeviceIdentity id, s.identity());
  CHZ_ASSIGN_OR_RETURN(detail::HoursFact hours, detail::hours_for(db, person, course));
  std::int64_t per_hour = hours.minutes_per_hour;
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  Certificate c;
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(
        std::int64_t seq,
        db.query_int("SELECT coalesce(max(device_seq), 0) + 1 FROM certificates WHERE device = ?",
                     id.device_id));
    auto& d = c.data;
    if (short_number) {
      int year = china_date(now).year;
      std::string prefix = sync::cert_number_prefix(*area, year, *device_number);
      CHZ_ASSIGN_OR_RETURN(
          std::int64_t serial,
          db.query_int("SELECT coalesce(max(CAST(substr(number, 15) AS INTEGER)), 0) + 1 FROM "
                       "certificates WHERE device = ? AND length(number) = 18 AND "
                       "substr(number, 1, 14) = ?",
                       id.device_id, prefix));
      CHZ_ASSIGN_OR_RETURN(d.number, sync::format_cert_number(*area, year, *device_number,
                                                              static_cast<int>(serial)));
    } else {  // enrolled before the county gave numbers
      d.number = fmt::format("{}-{}-{:06}", site_code(*site),
                             id.device_id.substr(id.device_id.rfind('-') + 1), seq);
    }
    d.name = p.name;
    d.id_masked = p.masked_id();
    d.occupation = course.occupation;
    d.level = std::string(content::level_name(course.level));
    d.course_id = course.id;
    d.hours = per_hour > 0 ? hours.done_minutes / per_hour : 0;
    d.theory_score = format_score(theory);
    d.practical_score = format_score(practical->score_x100);
    d.date = format_date(china_date(now));
    d.site_id = *site;
    d.site_name = site_name.ok() ? *site_name : "";
    d.device_id = id.device_id;
    d.key_id = sync::key_id(id.public_key);
    CHZ_ASSIGN_OR_RETURN(auto sig, sync::sign_certificate(d, id.secret_key));
    Bytes sigb(sig.begin(), sig.end());
    c.signature = base64url(sigb);
    c.qr = sync::qr_payload(d, sigb);
    c.status = std::string(sync::kCertStatusPending);
    c.person = person;
    c.attempt_id = *attempt;
    c.practical_uuid = practical->uuid;
    c.issued_ms = now;
    std::string canonical = sync::canonical_certificate(d);
    CHZ_TRY(
        db.run("INSERT INTO certificates(number, device_seq, device, person, course_id, "
               "attempt_id, practical, "
               "issued_ms, canonical, signature, status) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
               d.number, seq, id.device_id, person, course.id, *attempt, practical->uuid, now,
               canonical, sigb, c.status));
    CHZ_ASSIGN_OR_RETURN(sync::RecordMeta meta, append_record(db, clock, sync::kinds::kCertificate,
                                                              json{{"number", d.number},
                                                                   {"person", person},
                                                                   {"course", course.id},
                                                                   {"attempt", *attempt},
                                                                   {"practical", practical->uuid},
                                                                   {"canonical", canonical},
                                                                   {"signature", c.signature},
                                                                   {"device", id.device_id}}));
    return append_audit(db, clock, "system", "cert.issue",
                        json{{"number", d.number}, {"person", person}, {"record", meta.uuid}});
  }));
  set_qr_text(s, c);
  return c;
}

Status apply_exam_record(Db& db, const sync::Record& r) {
  try {
    if (r.kind == sync::kinds::kExamAttempt) {
      json b = json::parse(r.body);
      return db.run(
          "INSERT OR IGNORE INTO exam_remote_attempts(uuid, attempt_id, device, person, course_id, "
          "theory_x100, passed, at_ms) VALUES (?,?,?,?,?,?,?,?)",
          r.meta.uuid, b.at("attempt").get<std::string>(), r.meta.origin_device,
          b.at("person").get<std::string>(), b.at("course").get<std::string>(),
          b.at("theory_x100").get<std::int64_t>(), b.at("passed").get<std::int64_t>(),
          b.at("submitted_ms").get<std::int64_t>());
    }
    if (r.kind == sync::kinds::kPracticalScore) {
      json b = json::parse(r.body);
      return db.run(
          "INSERT OR IGNORE INTO practical_scores(uuid, person, course_id, class_id, score_x100, "
          "assessor, "
          "second_assessor, at_ms, corrects, device) VALUES (?,?,?,?,?,?,?,?,?,?)",
          r.meta.uuid, b.at("person").get<std::string>(), b.at("course").get<std::string>(),
          b.at("class").get<std::string>(), b.at("score_x100").get<std::int64_t>(),
          b.at("assessor").get<std::string>(), b.value("second_assessor", std::string()),
          b.at("at_ms").get<std::int64_t>(), b.value("corrects", std::string()),
          r.meta.origin_device);
    }
    if (r.kind == sync::kinds::kCertificateConfirm) return apply_confirmation(db, r);
  } catch (const std::exception& e) {
    return Status(Code::kInvalidArgument,
                  std::string("malformed ") + r.kind + " record: " + e.what());
  }
  return OkStatus();
}

}  // namespace chz::kiosk::exam
