// Internal to sync/server: what the HTTP front's connections share (options,
// the service, the worker pool, the TLS context, the connection caps), and
// the life of one connection (connection.cpp). server.cpp accepts.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "sync/server/server.h"
#include "sync/server/worker_pool.h"

namespace chz::server {

struct FrontCore {
  FrontCore(Service& s, ServerOptions o)
      : service(s), opt(std::move(o)), pool(opt.threads, opt.queue) {}

  // Counts a new connection from `peer`; false (nothing counted) if it
  // would pass the per-address or the global cap.
  bool admit(const std::string& peer);
  void release(const std::string& peer);

  Service& service;
  ServerOptions opt;
  WorkerPool pool;
  std::unique_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
  std::atomic<bool> stopping{false};

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::size_t> per_peer_;
  std::size_t total_ = 0;
};

// Fills method, target, the decoded path, the query's params and the
// header lookup of `r` from a parsed request header (%XX decoded, '+' a
// space in the query; a malformed escape stays as sent). The fuzz target
// tests/fuzz/server_request_fuzz.cpp calls it as the front does.
void fill_request(HttpRequest& r, const boost::beast::http::request_header<>& h);

// Serves one accepted (and admitted) connection until it closes; releases
// its count in `core` then. REQUIRES: the socket's executor is a strand.
void serve_connection(FrontCore& core, boost::asio::ip::tcp::socket socket, std::string peer);

}  // namespace chz::server
