// Schema fragments of the kiosk store, one per area, applied in this order
// by kiosk_migrations() (kiosk/schema.cpp). Before the first release each
// fragment may still change; after it, changes become new migrations.
#pragma once

#include "common/db.h"

namespace chz::kiosk::schema {

Status core(Db& db);    // v1: settings, device identity (kiosk/store.cpp)
Status domain(Db& db);  // v2: people, staff, classes, attendance, audit, outbox
Status exams(Db& db);   // v3: attempts, answers, scores, certificates
// v4 changes nothing: the installed course index it was meant to hold lives
// in files (content/install.h) and the course rows in v2's `courses`. The
// step stays so that version numbers keep their meaning: stores in use are
// at v5, and migrate() wants 1, 2, 3... without gaps (dropping v4 would
// renumber v5 and make those stores look newer than the code).
Status content(Db& db);        // v4: nothing (see above)
Status confirmations(Db& db);  // v5: county-signed certificate decisions

}  // namespace chz::kiosk::schema
