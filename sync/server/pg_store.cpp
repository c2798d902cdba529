#include "sync/server/store.h"

namespace chz::server {

Result<std::unique_ptr<ServerStore>> open_pg_store(const std::string&) {
  return Status(Code::kUnavailable, "PostgreSQL backend not built yet");
}

}  // namespace chz::server
