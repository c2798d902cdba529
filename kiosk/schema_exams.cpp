// Schema of exams and certificates (v3). Sittings and open attempts are
// local working state; what others must know leaves as facts through the
// outbox (sync/protocol/certificate.h lists the kinds). An attempt stores its
// drawn paper in full (question snapshots, option order, content version),
// never just a seed, so it shows and grades the same after any restart or
// content update. Scores are integers in hundredths (x100).
#include "kiosk/schema.h"

namespace chz::kiosk::schema {

Status exams(Db& db) {
  return db.exec(R"sql(
    CREATE TABLE exam_sittings(
      id              TEXT PRIMARY KEY,
      class_id        TEXT NOT NULL,
      course_id       TEXT NOT NULL,
      course_version  INTEGER NOT NULL,
      opened_by       TEXT NOT NULL,
      opened_ms       INTEGER NOT NULL,            -- corrected time
      closed_ms       INTEGER NOT NULL DEFAULT 0,  -- 0 = open
      proctor_code    TEXT NOT NULL,               -- single use: replaced at each start
      max_downtime_ms INTEGER NOT NULL,            -- downtime not charged up to this
      time_limit_ms   INTEGER NOT NULL,
      pass_x100       INTEGER NOT NULL,
      partial_credit  INTEGER NOT NULL,
      max_attempts    INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE exam_attempts(
      id              TEXT PRIMARY KEY,            -- UUIDv7
      sitting_id      TEXT NOT NULL REFERENCES exam_sittings(id),
      person          TEXT NOT NULL,               -- person key
      course_id       TEXT NOT NULL,
      content_version INTEGER NOT NULL,
      attempt_no      INTEGER NOT NULL,            -- 1 = first sitting, 2.. = retakes
      seed            TEXT NOT NULL,               -- for the record only; the paper is stored
      started_ms      INTEGER NOT NULL,            -- corrected time
      time_limit_ms   INTEGER NOT NULL,
      charged_ms      INTEGER NOT NULL DEFAULT 0,  -- exam time used as of checkpoint_ms
      checkpoint_ms   INTEGER NOT NULL,            -- device clock at the last checkpoint
      boot_id         TEXT NOT NULL,               -- kiosk run that holds the attempt
      current_pos     INTEGER NOT NULL DEFAULT 0,
      downtime_ms     INTEGER NOT NULL DEFAULT 0,  -- downtime forgiven (not charged)
      status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted')),
      submitted_ms    INTEGER NOT NULL DEFAULT 0,
      reason          TEXT NOT NULL DEFAULT '',    -- 'manual' | 'timeout'
      earned_x100     INTEGER NOT NULL DEFAULT 0,
      total_x100      INTEGER NOT NULL DEFAULT 0,
      theory_x100     INTEGER NOT NULL DEFAULT 0,
      pass_x100       INTEGER NOT NULL,
      passed          INTEGER NOT NULL DEFAULT 0,
      record_uuid     TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID;
    CREATE INDEX exam_attempts_person ON exam_attempts(person, course_id);
    CREATE INDEX exam_attempts_sitting ON exam_attempts(sitting_id);

    CREATE TABLE exam_items(
      attempt_id   TEXT NOT NULL REFERENCES exam_attempts(id),
      pos          INTEGER NOT NULL,
      question_id  TEXT NOT NULL,
      option_order TEXT NOT NULL,                  -- display -> original index, "2,0,3,1"
      points_x100  INTEGER NOT NULL,
      snapshot     TEXT NOT NULL,                  -- the question as drawn (JSON)
      PRIMARY KEY (attempt_id, pos)
    ) WITHOUT ROWID;

    -- The current answer per item; every change is one durable transaction.
    CREATE TABLE exam_answers(
      attempt_id  TEXT NOT NULL REFERENCES exam_attempts(id),
      pos         INTEGER NOT NULL,
      answer      TEXT NOT NULL DEFAULT '',        -- grading_rules.h answer_json, original indices
      flagged     INTEGER NOT NULL DEFAULT 0,
      elapsed_ms  INTEGER NOT NULL DEFAULT 0,      -- exam time used when saved
      saved_ms    INTEGER NOT NULL DEFAULT 0,      -- corrected time
      changes     INTEGER NOT NULL DEFAULT 0,
      earned_x100 INTEGER NOT NULL DEFAULT 0,      -- set at submit
      PRIMARY KEY (attempt_id, pos)
    ) WITHOUT ROWID;

    -- Times the kiosk was down during an attempt (shown to the trainer).
    CREATE TABLE exam_gaps(
      attempt_id TEXT NOT NULL REFERENCES exam_attempts(id),
      from_ms    INTEGER NOT NULL,                 -- device clock, last checkpoint
      to_ms      INTEGER NOT NULL,                 -- device clock, resume
      charged_ms INTEGER NOT NULL,                 -- part beyond the sitting's limit
      PRIMARY KEY (attempt_id, from_ms)
    ) WITHOUT ROWID;

    -- Submitted attempts of other kiosks of the site (from the feed), so
    -- retake limits count them.
    CREATE TABLE exam_remote_attempts(
      uuid        TEXT PRIMARY KEY,
      attempt_id  TEXT NOT NULL,
      device      TEXT NOT NULL,
      person      TEXT NOT NULL,
      course_id   TEXT NOT NULL,
      theory_x100 INTEGER NOT NULL,
      passed      INTEGER NOT NULL,
      at_ms       INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX exam_remote_person ON exam_remote_attempts(person, course_id);

    -- Practical (实操) scores, local and from the feed; the newest counts.
    CREATE TABLE practical_scores(
      uuid            TEXT PRIMARY KEY,            -- record uuid
      person          TEXT NOT NULL,
      course_id       TEXT NOT NULL,
      class_id        TEXT NOT NULL,
      score_x100      INTEGER NOT NULL CHECK (score_x100 BETWEEN 0 AND 10000),
      assessor        TEXT NOT NULL,
      second_assessor TEXT NOT NULL DEFAULT '',
      at_ms           INTEGER NOT NULL,
      corrects        TEXT NOT NULL DEFAULT '',
      device          TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX practical_person ON practical_scores(person, course_id);

    CREATE TABLE certificates(
      number       TEXT PRIMARY KEY,
      device_seq   INTEGER NOT NULL,               -- sequence within the issuing device
      device       TEXT NOT NULL,
      person       TEXT NOT NULL,
      course_id    TEXT NOT NULL,
      attempt_id   TEXT NOT NULL,
      practical    TEXT NOT NULL,
      issued_ms    INTEGER NOT NULL,
      canonical    TEXT NOT NULL,                  -- signed canonical encoding
      signature    BLOB NOT NULL CHECK (length(signature) = 64),
      status       TEXT NOT NULL DEFAULT '待确认',
      qual_kind    TEXT NOT NULL DEFAULT '',        -- 职业技能等级证书 / 专项职业能力证书
      qual_number  TEXT NOT NULL DEFAULT '',
      confirmed_ms INTEGER NOT NULL DEFAULT 0,
      UNIQUE (device, device_seq)
    ) WITHOUT ROWID;
    CREATE INDEX certificates_person ON certificates(person, course_id);
  )sql");
}

// v5: the county's signed decisions, each kept as received so a document
// can carry them and anyone can check them again; the certificate row holds
// the latest valid one (status, qualification number, reason).
Status confirmations(Db& db) {
  return db.exec(R"sql(
    ALTER TABLE certificates ADD COLUMN reason TEXT NOT NULL DEFAULT '';
    CREATE TABLE certificate_confirmations(
      uuid        TEXT PRIMARY KEY,                 -- the certificate_confirm record
      number      TEXT NOT NULL,
      status      TEXT NOT NULL,                    -- 已确认 | 驳回 | 注销
      at_ms       INTEGER NOT NULL,
      signed_json TEXT NOT NULL                     -- fields + county signature, verified
    ) WITHOUT ROWID;
    CREATE INDEX certificate_confirmations_number ON certificate_confirmations(number, at_ms);
  )sql");
}

}  // namespace chz::kiosk::schema
