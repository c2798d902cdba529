#include "sync/server/server.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "sync/protocol/api.h"
#include "sync/server/routes.h"

namespace chz::server {
namespace {

// A fixed pool whose queue holds at most `max` jobs: the accepting thread
// waits while it is full, so a flood of connections cannot grow memory.
class BoundedPool final : public httplib::TaskQueue {
 public:
  BoundedPool(int threads, std::size_t max) : max_(max) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { run(); });
  }
  ~BoundedPool() override = default;
  void enqueue(std::function<void()> fn) override {
    std::unique_lock lk(mu_);
    space_.wait(lk, [&] { return jobs_.size() < max_ || stop_; });
    jobs_.push_back(std::move(fn));
    ready_.notify_one();
  }
  void shutdown() override {
    {
      std::lock_guard lk(mu_);
      stop_ = true;
    }
    ready_.notify_all();
    space_.notify_all();
    for (auto& t : workers_) t.join();
  }

 private:
  void run() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock lk(mu_);
        ready_.wait(lk, [&] { return stop_ || !jobs_.empty(); });
        if (stop_ && jobs_.empty()) return;
        fn = std::move(jobs_.front());
        jobs_.pop_front();
        space_.notify_one();
      }
      fn();
    }
  }
  std::size_t max_;
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  bool stop_ = false;
};

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<httplib::Server> srv;
  std::thread thread;
  bool tls = false;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() {
  stop();
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(Service& service, ServerOptions o) {
  auto impl = std::make_unique<Impl>();
  if (!o.cert_file.empty() && !o.key_file.empty()) {
    auto s = std::make_unique<httplib::SSLServer>(o.cert_file.c_str(), o.key_file.c_str());
    if (!s->is_valid())
      return Status(Code::kInvalidArgument, "cannot load the server certificate or key");
    impl->srv = std::move(s);
    impl->tls = true;
  } else {
    impl->srv = std::make_unique<httplib::Server>();
  }
  auto& srv = *impl->srv;
  srv.set_tcp_nodelay(true);
  srv.set_payload_max_length(sync::api::kMaxUploadBytes + 4096);
  srv.set_read_timeout(30, 0);
  srv.set_write_timeout(30, 0);
  srv.set_keep_alive_max_count(10000);
  int threads = o.threads;
  std::size_t queue = o.queue;
  srv.new_task_queue = [threads, queue] { return new BoundedPool(threads, queue); };
  install_routes(srv, service, o.fault);
  int port =
      o.port == 0 ? srv.bind_to_any_port(o.host) : (srv.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port <= 0)
    return Status(Code::kUnavailable, "cannot listen on " + o.host + ":" + std::to_string(o.port));
  impl->thread = std::thread([s = impl->srv.get()] { s->listen_after_bind(); });
  std::unique_ptr<HttpServer> out(new HttpServer(std::move(impl)));
  out->port_ = port;
  return out;
}

std::string HttpServer::url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void HttpServer::stop() {
  if (!impl_ || !impl_->srv) return;
  impl_->srv->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void HttpServer::wait() {
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace chz::server
