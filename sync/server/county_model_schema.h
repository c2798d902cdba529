// The read model's DDL (county_model.h); internal to the model.
#pragma once

#include "sync/server/county_model.h"

namespace chz::server::model {

// Creates every cm_ table and index that is missing.
Status create_tables(Sql& sql);
// Drops every cm_ table (cm_meta too).
Status drop_tables(Sql& sql);

}  // namespace chz::server::model
