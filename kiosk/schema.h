// Schema fragments of the kiosk store, one per area, applied in this order
// by kiosk_migrations() (kiosk/schema.cpp). Before the first release each
// fragment may still change; after it, changes become new migrations.
#pragma once

#include "common/db.h"

namespace chz::kiosk::schema {

Status core(Db& db);           // v1: settings, device identity (kiosk/store.cpp)
Status domain(Db& db);         // v2: people, staff, classes, attendance, audit, outbox
Status exams(Db& db);          // v3: attempts, answers, scores, certificates
Status content(Db& db);        // v4: installed course index
Status confirmations(Db& db);  // v5: county-signed certificate decisions

}  // namespace chz::kiosk::schema
