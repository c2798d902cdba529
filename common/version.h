// What every Chizheng binary's --version prints.
#pragma once

#include <string>
#include <string_view>

namespace chz {

// "<program> 0.1.0 (commit 789ed11a2b, built 2026-12-01)": the project
// version, the git commit it was built from ("unknown" outside a checkout)
// and the UTC build day.
std::string version_text(std::string_view program);

}  // namespace chz
