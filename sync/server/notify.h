// systemd's readiness protocol for `chizheng-server serve` under
// chizheng-server.service (Type=notify): READY=1 once the port accepts
// connections, STOPPING=1 when a stop signal arrives. One datagram to
// $NOTIFY_SOCKET through libsystemd's sd_notify; when the server was not
// started by systemd (no NOTIFY_SOCKET) nothing is sent.
#pragma once

#include <string>

namespace chz::server {

// Sends `state` (e.g. "READY=1\nSTATUS=...") and returns true if it went out.
// False without NOTIFY_SOCKET; a failed send is logged (warn) and otherwise
// ignored: serving matters more than telling.
bool notify_systemd(const std::string& state);

}  // namespace chz::server
