// Schema of the training domain (v2): sync metadata (outbox, inbox, field
// clocks), audit chain, people, staff, courses, classes, sessions,
// enrolments, attendance facts. Mutable tables share one shape: `id` TEXT
// primary key, columns with defaults (a field may arrive before the others),
// and `deleted` for tombstones. Facts are keyed by their record's uuid.
#include "kiosk/schema.h"

namespace chz::kiosk::schema {

Status domain(Db& db) {
  return db.exec(R"sql(
    CREATE TABLE sync_state(
      one          INTEGER PRIMARY KEY CHECK (one = 1),
      hlc          TEXT NOT NULL DEFAULT '',   -- last HLC stamp issued or observed
      local_high_ms INTEGER NOT NULL DEFAULT 0, -- latest corrected time a local record was stamped at
      offset_ms    INTEGER NOT NULL DEFAULT 0, -- server time - device clock
      acknowledged INTEGER NOT NULL DEFAULT 0, -- the server holds seq <= this
      feed_cursor  TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO sync_state(one) VALUES (1);
    -- This device's records, gap-free seq assigned in the writing transaction.
    CREATE TABLE outbox(
      seq       INTEGER PRIMARY KEY,
      uuid      TEXT NOT NULL UNIQUE,
      kind      TEXT NOT NULL,
      body      TEXT NOT NULL,
      hlc       TEXT NOT NULL,
      wall_ms   INTEGER NOT NULL,
      offset_ms INTEGER NOT NULL
    );
    -- Records applied from the county feed (other devices, the county).
    CREATE TABLE inbox(
      uuid          TEXT PRIMARY KEY,
      origin_device TEXT NOT NULL,
      seq           INTEGER NOT NULL,
      kind          TEXT NOT NULL,
      body          TEXT NOT NULL,
      hlc           TEXT NOT NULL,
      wall_ms       INTEGER NOT NULL,
      offset_ms     INTEGER NOT NULL
    ) WITHOUT ROWID;
    -- Per-field HLC of mutable records (last writer wins per field).
    CREATE TABLE field_clock(
      entity TEXT NOT NULL,
      field  TEXT NOT NULL,
      hlc    TEXT NOT NULL,
      PRIMARY KEY (entity, field)
    ) WITHOUT ROWID;

    CREATE TABLE audit(
      id        INTEGER PRIMARY KEY,
      at_ms     INTEGER NOT NULL,
      actor     TEXT NOT NULL,
      action    TEXT NOT NULL,
      detail    TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash      TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

    CREATE TABLE people(
      id          TEXT PRIMARY KEY,            -- person key
      id_number   TEXT NOT NULL DEFAULT '',
      name        TEXT NOT NULL DEFAULT '',
      name_source TEXT NOT NULL DEFAULT 'kiosk',
      township    TEXT NOT NULL DEFAULT '',
      village     TEXT NOT NULL DEFAULT '',
      phone       TEXT NOT NULL DEFAULT '',
      deleted     INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE person_groups(
      person TEXT NOT NULL,
      grp    TEXT NOT NULL,
      member INTEGER NOT NULL,
      PRIMARY KEY (person, grp)
    ) WITHOUT ROWID;
    CREATE TABLE staff(
      id         TEXT PRIMARY KEY,
      name       TEXT NOT NULL DEFAULT '',
      role       TEXT NOT NULL DEFAULT '',
      site       TEXT NOT NULL DEFAULT '',
      active     INTEGER NOT NULL DEFAULT 1,
      pin        TEXT NOT NULL DEFAULT '',
      setup_code TEXT NOT NULL DEFAULT '',
      deleted    INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    -- Local only: failed PIN attempts and lockouts of this kiosk.
    CREATE TABLE staff_lock(
      staff        TEXT PRIMARY KEY,
      failures     INTEGER NOT NULL DEFAULT 0,
      locked_until INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE courses(
      id              TEXT PRIMARY KEY,
      name            TEXT NOT NULL DEFAULT '',
      occupation      TEXT NOT NULL DEFAULT '',
      occupation_code TEXT NOT NULL DEFAULT '',
      level           INTEGER NOT NULL DEFAULT 5,
      theory_hours    INTEGER NOT NULL DEFAULT 0,
      practical_hours INTEGER NOT NULL DEFAULT 0,
      theory_pass     INTEGER NOT NULL DEFAULT 60,
      practical_pass  INTEGER NOT NULL DEFAULT 60,
      version         INTEGER NOT NULL DEFAULT 0,
      deleted         INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE classes(
      id       TEXT PRIMARY KEY,
      course   TEXT NOT NULL DEFAULT '',
      site     TEXT NOT NULL DEFAULT '',
      name     TEXT NOT NULL DEFAULT '',
      capacity INTEGER NOT NULL DEFAULT 0,
      trainers TEXT NOT NULL DEFAULT '',
      deleted  INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE sessions(
      id      TEXT PRIMARY KEY,
      class   TEXT NOT NULL DEFAULT '',
      date    TEXT NOT NULL DEFAULT '',
      start   TEXT NOT NULL DEFAULT '',
      "end"   TEXT NOT NULL DEFAULT '',
      kind    TEXT NOT NULL DEFAULT 'theory',
      deleted INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_class ON sessions(class, date);
    CREATE TABLE enrolments(
      id      TEXT PRIMARY KEY,               -- "<class>:<person>"
      class   TEXT NOT NULL DEFAULT '',
      person  TEXT NOT NULL DEFAULT '',
      active  INTEGER NOT NULL DEFAULT 1,
      deleted INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE INDEX enrolments_by_person ON enrolments(person);
    CREATE INDEX enrolments_by_class ON enrolments(class);

    CREATE TABLE session_opens(
      uuid    TEXT PRIMARY KEY,
      session TEXT NOT NULL,
      by_staff TEXT NOT NULL,
      at_ms   INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX session_opens_by_session ON session_opens(session);
    CREATE TABLE attendance(
      uuid     TEXT PRIMARY KEY,
      session  TEXT NOT NULL,
      person   TEXT NOT NULL,
      event    TEXT NOT NULL CHECK (event IN ('in', 'out')),
      at_ms    INTEGER NOT NULL,
      by_actor TEXT NOT NULL,
      hlc      TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX attendance_by_session ON attendance(session, person);
    CREATE INDEX attendance_by_person ON attendance(person);
    CREATE TABLE attendance_corrections(
      uuid     TEXT PRIMARY KEY,
      corrects TEXT NOT NULL,
      at_ms    INTEGER,                       -- NULL when void
      void     INTEGER NOT NULL DEFAULT 0,
      by_staff TEXT NOT NULL,
      reason   TEXT NOT NULL,
      hlc      TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX corrections_by_target ON attendance_corrections(corrects);
    CREATE TABLE roster_confirms(
      uuid     TEXT PRIMARY KEY,
      session  TEXT NOT NULL,
      by_staff TEXT NOT NULL,
      at_ms    INTEGER NOT NULL,
      hlc      TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX roster_confirms_by_session ON roster_confirms(session);
    CREATE TABLE roster_lines(
      confirm    TEXT NOT NULL,
      person     TEXT NOT NULL,
      resolution TEXT NOT NULL CHECK (resolution IN ('present', 'credit_to_close', 'no_checkout')),
      PRIMARY KEY (confirm, person)
    ) WITHOUT ROWID;
  )sql");
}

}  // namespace chz::kiosk::schema
