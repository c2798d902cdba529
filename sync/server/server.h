// The HTTP(S) front of the county server: cpp-httplib with TCP_NODELAY, a
// bounded task queue (accepting blocks while it is full), a payload limit,
// the one route table (routes.cpp), one error handler and one log line per
// request (no personal data). Runs on its own thread; tests use port 0.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "sync/server/service.h"

namespace chz::server {

// Test seam: what to do to a request (fault tests).
struct FaultAction {
  int delay_ms = 0;
  int status_before = 0;     // answer this status without handling (e.g. 500)
  bool drop_before = false;  // close the connection without handling
  bool drop_after = false;   // handle, then cut the response half-way
  bool duplicate = false;    // handle the same request twice (a duplicate delivery)
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = any free port
  int threads = 8;
  std::size_t queue = 256;
  std::string cert_file, key_file;  // both set = HTTPS
  std::function<FaultAction(const HttpRequest&)> fault;
};

class HttpServer {
 public:
  // Binds and starts serving on a background thread. kUnavailable if the
  // port cannot be bound.
  static Result<std::unique_ptr<HttpServer>> start(Service& service, ServerOptions o);
  ~HttpServer();
  int port() const { return port_; }
  std::string url() const;
  void stop();
  // Blocks until stop() (for `serve`).
  void wait();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace chz::server
