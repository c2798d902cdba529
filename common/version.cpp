#include "common/version.h"

#include <fmt/format.h>

#include "common/build_commit.h"
#include "common/build_info.h"

namespace chz {

std::string version_text(std::string_view program) {
  return fmt::format("{} {} (commit {}, built {:04}-{:02}-{:02})", program, kVersion, kBuildCommit,
                     kBuildYear, kBuildMonth, kBuildDay);
}

}  // namespace chz
