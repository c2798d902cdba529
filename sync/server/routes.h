// Installs the route table (routes.cpp) on a cpp-httplib server.
#pragma once

#include <httplib.h>

#include "sync/server/server.h"

namespace chz::server {

void install_routes(httplib::Server& srv, Service& service,
                    const std::function<FaultAction(const HttpRequest&)>& fault);

}  // namespace chz::server
