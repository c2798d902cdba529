#include "sync/server/notify.h"

#include <systemd/sd-daemon.h>

#include <cstring>

#include "common/log.h"

namespace chz::server {

bool notify_systemd(const std::string& state) {
  int rc = sd_notify(0, state.c_str());
  if (rc < 0) spdlog::warn("systemd notify failed: {}", std::strerror(-rc));
  return rc > 0;
}

}  // namespace chz::server
