// The HTTP(S) front of the county server, event-driven (Boost.Beast on
// Boost.Asio): a few I/O threads do all socket I/O asynchronously, so an idle
// or slow connection costs a few KB of memory and no thread; the blocking
// handlers (service.cpp, durable DB writes) run on a separate bounded worker
// pool, and their responses are written back asynchronously.
//
// TLS is terminated in this process (asio::ssl on OpenSSL 3) with the
// county's server certificate; without cert_file/key_file it serves plain
// HTTP (tests, or a TLS proxy in front). TLS sent to a plain port, or plain
// HTTP sent to the TLS port, fails the parse or the handshake and is closed
// at once. The client address is the socket's peer; no forwarding header is
// trusted, so the per-address cap counts real peers (a proxy in front would
// count as one address). A future dashboard on the same HTTPS port can set
// its cookies Secure.
//
// Every connection runs against total deadlines, not per-byte idle timers, so
// a byte a second cannot hold it: TLS handshake, request header (from the
// first byte of a request; a new connection must send its first byte within
// the same time), body, response write, keep-alive idle. The header is read
// first (at most max_header_bytes); the route table (routes.cpp) then says
// whether the route is signed and how large its body may be: a signed
// request with a body has its headers pre-checked (Service::precheck) before
// any body byte is read, and the body is read with a hard cap (chunked or
// Content-Length alike; over it: 413 at once). Connections are capped per
// peer address and in total; over a cap a new connection is closed at once.
// start() raises the process's open-files soft limit to the hard limit
// (the systemd unit should set LimitNOFILE high enough for max_connections).
// Tests use port 0.
#pragma once

#include <cstddef>
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
using FaultHook = std::function<FaultAction(const HttpRequest&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                          // 0 = any free port
  int threads = 8;                       // worker threads for the handlers
  int io_threads = 2;                    // threads doing the socket I/O
  std::size_t queue = 256;               // handler jobs waiting; beyond: 503
  std::string cert_file, key_file;       // both set = HTTPS
  std::size_t max_connections = 10'000;  // in total (also kept below the open-files limit)
  std::size_t max_per_address = 256;     // per peer address: above one NAT of kiosks
  std::size_t max_header_bytes = 16 << 10;
  int handshake_timeout_ms = 10'000;
  int header_timeout_ms = 10'000;  // first byte to the end of the header
  int body_timeout_ms = 60'000;    // the whole body (8 MiB over a slow rural link)
  int write_timeout_ms = 60'000;   // the whole response
  int idle_timeout_ms = 30'000;    // keep-alive: between requests
  FaultHook fault;
};

class HttpServer {
 public:
  // Binds and starts serving on background threads. kUnavailable if the
  // port cannot be bound; kInvalidArgument if the certificate or key cannot
  // be loaded.
  static Result<std::unique_ptr<HttpServer>> start(Service& service, ServerOptions o);
  ~HttpServer();
  int port() const { return port_; }
  std::string url() const;
  // Stops accepting, lets running handlers finish, closes every connection
  // and joins the threads. Idempotent.
  void stop();
  // Blocks until stop() is called (from another thread).
  void wait();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// Raises this process's open-files soft limit to its hard limit; returns the
// soft limit now in force.
std::size_t raise_open_files_limit();

}  // namespace chz::server
