// The subsidy roster of one class (培训补贴申领花名册): each enrolled
// trainee with the ID number masked, confirmed 学时 (theory / practical),
// the best theory score, the effective practical score, 合格 or not, the
// certificate number and the county's decision; a totals row; signature
// lines. From the read model; written by the report writers.
#pragma once

#include <string>

#include "sync/server/report_table.h"
#include "sync/server/sql.h"

namespace chz::server {

// 学时 at `minutes_per_hour`, 0 for the county's own (model::minutes_per_hour).
// kNotFound ("roster.unknown_class") for a class the model does not hold.
Result<ReportTable> class_roster(Sql& sql, const std::string& class_id, int minutes_per_hour,
                                 const std::string& unit_name, const std::string& filled_on);

}  // namespace chz::server
