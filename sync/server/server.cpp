#include "sync/server/server.h"

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <condition_variable>
#include <thread>

#include "common/log.h"
#include "sync/server/connection.h"

namespace chz::server {
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::size_t raise_open_files_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit want = rl;
    want.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) rl = want;
  }
  return rl.rlim_cur == RLIM_INFINITY ? std::size_t{1} << 20
                                      : static_cast<std::size_t>(rl.rlim_cur);
}

struct HttpServer::Impl {
  std::unique_ptr<FrontCore> core;
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<net::steady_timer> retry;
  std::vector<std::thread> threads;
  bool tls = false;
  std::mutex mu;
  std::condition_variable cv;
  bool stopped = false;

  void accept() {
    acceptor->async_accept(
        net::make_strand(*ioc), [this](boost::system::error_code ec, tcp::socket s) {
          if (!acceptor->is_open() || ec == net::error::operation_aborted) return;
          if (ec) {  // e.g. out of file descriptors: wait a little instead of spinning
            spdlog::warn("http accept failed: {}", ec.message());
            retry->expires_after(std::chrono::milliseconds(50));
            retry->async_wait([this](boost::system::error_code e) {
              if (!e && acceptor->is_open()) accept();
            });
            return;
          }
          boost::system::error_code pe;
          auto ep = s.remote_endpoint(pe);
          std::string peer = pe ? std::string("?") : ep.address().to_string();
          if (core->admit(peer)) {
            serve_connection(*core, std::move(s), std::move(peer));
          } else {
            spdlog::debug("http peer={} refused: connection cap", peer);
            s.close(pe);
          }
          accept();
        });
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() {
  stop();
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(Service& service, ServerOptions o) {
  // Leave room below the open-files limit for the store, logs and TLS files.
  std::size_t files = raise_open_files_limit();
  o.max_connections = std::min(o.max_connections, files > 128 ? files - 64 : files / 2);
  auto impl = std::make_unique<Impl>();
  impl->core = std::make_unique<FrontCore>(service, o);
  if (!o.cert_file.empty() && !o.key_file.empty()) {
    try {
      auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
      ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                       net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                       net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
      ctx->use_certificate_chain_file(o.cert_file);
      ctx->use_private_key_file(o.key_file, net::ssl::context::pem);
      impl->core->tls = std::move(ctx);
      impl->tls = true;
    } catch (const boost::system::system_error&) {
      return Status(Code::kInvalidArgument, "cannot load the server certificate or key");
    }
  }
  impl->ioc = std::make_unique<net::io_context>(std::max(o.io_threads, 1));
  impl->retry = std::make_unique<net::steady_timer>(*impl->ioc);
  auto cannot = [&] {
    return Status(Code::kUnavailable, "cannot listen on " + o.host + ":" + std::to_string(o.port));
  };
  boost::system::error_code ec;
  tcp::endpoint ep;
  auto addr = net::ip::make_address(o.host, ec);
  if (ec) {
    tcp::resolver res(*impl->ioc);
    auto found = res.resolve(o.host, std::to_string(o.port), ec);
    if (ec || found.empty()) return cannot();
    ep = found.begin()->endpoint();
  } else {
    ep = tcp::endpoint(addr, static_cast<unsigned short>(o.port));
  }
  auto& acc = *(impl->acceptor = std::make_unique<tcp::acceptor>(*impl->ioc));
  if (acc.open(ep.protocol(), ec) || acc.set_option(net::socket_base::reuse_address(true), ec) ||
      acc.bind(ep, ec) || acc.listen(net::socket_base::max_listen_connections, ec))
    return cannot();
  int port = acc.local_endpoint(ec).port();
  if (ec) return cannot();
  impl->accept();
  for (int i = 0; i < std::max(o.io_threads, 1); ++i)
    impl->threads.emplace_back([io = impl->ioc.get()] { io->run(); });
  std::unique_ptr<HttpServer> out(new HttpServer(std::move(impl)));
  out->port_ = port;
  return out;
}

std::string HttpServer::url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void HttpServer::stop() {
  if (!impl_ || !impl_->ioc) return;
  auto& m = *impl_;
  m.core->stopping = true;
  // 1. No new connections.
  net::post(m.acceptor->get_executor(), [&m] {
    boost::system::error_code ignored;
    m.acceptor->close(ignored);
    m.retry->cancel();
  });
  // 2. Handlers already queued or running finish (their answers are posted
  //    to the connections while the I/O threads still run).
  m.core->pool.stop();
  // 3. Every connection closes: stopping the loop and destroying it destroys
  //    the pending operations, and with them the connections they hold.
  m.ioc->stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
  m.acceptor.reset();
  m.retry.reset();
  m.ioc.reset();
  {
    std::lock_guard lk(m.mu);
    m.stopped = true;
  }
  m.cv.notify_all();
}

void HttpServer::wait() {
  std::unique_lock lk(impl_->mu);
  impl_->cv.wait(lk, [&] { return impl_->stopped; });
}

}  // namespace chz::server
