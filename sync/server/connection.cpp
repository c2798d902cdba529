// One connection of the HTTP front: TLS handshake, then requests, each under
// total deadlines: first byte (connection or keep-alive idle), header, the
// route's pre-check on a worker, body with the route's cap, the handler on a
// worker, the response. Everything here runs on the connection's strand
// except the jobs posted to the worker pool.
#include "sync/server/connection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <limits>
#include <optional>

#include "sync/server/routes.h"

namespace chz::server {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Millis = std::chrono::milliseconds;

bool FrontCore::admit(const std::string& peer) {
  std::lock_guard lk(mu_);
  auto& n = per_peer_[peer];
  if (n >= opt.max_per_address || total_ >= opt.max_connections) {
    if (n == 0) per_peer_.erase(peer);
    return false;
  }
  ++n;
  ++total_;
  return true;
}

void FrontCore::release(const std::string& peer) {
  std::lock_guard lk(mu_);
  auto it = per_peer_.find(peer);
  if (it != per_peer_.end() && --it->second == 0) per_peer_.erase(it);
  --total_;
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
// %XX decoding (and '+' as a space in a query); a malformed escape stays.
std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    int hi = 0, lo = 0;
    if (s[i] == '%' && i + 2 < s.size() && (hi = hex_digit(s[i + 1])) >= 0 &&
        (lo = hex_digit(s[i + 2])) >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

}  // namespace

void fill_request(HttpRequest& r, const http::request_header<>& h) {
  r.method = std::string(h.method_string());
  r.target = std::string(h.target());
  auto q = r.target.find('?');
  r.path = url_decode(std::string_view(r.target).substr(0, q), false);
  if (q != std::string::npos) {
    std::string_view rest = std::string_view(r.target).substr(q + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      auto pair = rest.substr(0, amp);
      auto eq = pair.find('=');
      if (!pair.empty())
        r.params[url_decode(pair.substr(0, eq), true)] =
            eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1), true);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
  }
  auto fields = std::make_shared<http::fields>(h);
  r.header = [fields](std::string_view name) {
    auto it = fields->find(beast::string_view(name.data(), name.size()));
    return it == fields->end() ? std::string() : std::string(it->value());
  };
}

namespace {

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  Session(FrontCore& core, Stream stream, std::string peer)
      : core_(core), stream_(std::move(stream)), peer_(std::move(peer)) {}
  ~Session() { core_.release(peer_); }

  // Starts on the connection's strand.
  void begin() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->start(); });
  }

 private:
  void start() {
    if constexpr (kTls) {
      tcp().expires_after(Millis(core_.opt.handshake_timeout_ms));
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->close_now();
                                self->wait_request(true);
                              });
    } else {
      wait_request(true);
    }
  }

  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

  // Until the first byte of a request: the header deadline on a new
  // connection, the idle timeout between keep-alive requests.
  void wait_request(bool first) {
    if (buffer_.size() > 0) return read_header();  // pipelined
    tcp().expires_after(Millis(first ? core_.opt.header_timeout_ms : core_.opt.idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(2048),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close_now();
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    t0_ = std::chrono::steady_clock::now();
    req_ = HttpRequest{};
    req_.peer = peer_;
    bytes_in_ = 0;
    body_unread_ = false;
    head_.emplace();
    head_->header_limit(static_cast<std::uint32_t>(core_.opt.max_header_bytes));
    // Each route's cap is checked in on_header. (Not boost::none: Beast 1.74
    // compares a Content-Length against it as if none were below any value.)
    head_->body_limit(std::numeric_limits<std::uint64_t>::max());
    tcp().expires_after(Millis(core_.opt.header_timeout_ms));
    http::async_read_header(stream_, buffer_, *head_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      body_unread_ = true;
      return respond(refusal(431, "request header too large"));
    }
    if (is_parse_error(ec)) {
      body_unread_ = true;
      return respond(refusal(400, "malformed request: " + ec.message()));
    }
    if (ec) return close_now();  // deadline, peer gone, or stopping
    const auto& h = head_->get();
    fill_request(req_, h);
    keep_alive_ = h.keep_alive();
    auto length = head_->content_length();
    body_unread_ = head_->chunked() || (length && *length > 0);
    route_ = find_route(req_.method, req_.path);
    if (!route_) return respond(refusal(404, "no such route"));
    if (body_unread_ && route_->body_cap == 0)
      return respond(refusal(400, "this request takes no body"));
    if (length && *length > route_->body_cap) return respond(refusal(413, "body too large"));
    if (!body_unread_) return run_handler();
    if (route_->is_signed) return precheck();
    read_body();
  }

  // A signed request with a body: its headers are checked (device, time,
  // counter) on a worker before one byte of the body is read.
  void precheck() {
    auto ex = stream_.get_executor();
    HttpRequest headers_only = req_;
    bool queued =
        core_.pool.try_post([self = this->shared_from_this(), ex, r = std::move(headers_only)] {
          HttpResponse refused;
          Status st = self->core_.service.precheck(r, &refused);
          net::post(ex, [self, ok = st.ok(), refused = std::move(refused)]() mutable {
            if (!ok) return self->respond(std::move(refused));
            self->read_body();
          });
        });
    if (!queued) respond(refusal(503, "server busy"));
  }

  void read_body() {
    const auto& h = head_->get();
    auto expect = h[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      tcp().expires_after(Millis(core_.opt.write_timeout_ms));
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return self->close_now();
                         self->read_body_now();
                       });
      return;
    }
    read_body_now();
  }

  void read_body_now() {
    body_.emplace(std::move(*head_));
    body_->body_limit(route_->body_cap);  // chunked or not, refused once passed
    tcp().expires_after(Millis(core_.opt.body_timeout_ms));
    http::async_read(stream_, buffer_, *body_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_body(ec);
                     });
  }

  void on_body(beast::error_code ec) {
    if (ec == http::error::body_limit) return respond(refusal(413, "body too large"));
    if (is_parse_error(ec)) return respond(refusal(400, "malformed body"));
    if (ec) return close_now();
    body_unread_ = false;
    req_.body = std::move(body_->get().body());
    bytes_in_ = req_.body.size();
    body_.reset();
    run_handler();
  }

  void run_handler() {
    auto ex = stream_.get_executor();
    bool queued = core_.pool.try_post([self = this->shared_from_this(), ex] {
      Outcome o = dispatch(*self->route_, self->core_.service, self->req_, self->core_.opt.fault);
      net::post(
          ex, [self, o = std::move(o)]() mutable { self->respond(std::move(o.response), o.cut); });
    });
    if (!queued) respond(refusal(503, "server busy"));
  }

  void respond(HttpResponse out, bool cut = false) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - t0_)
                  .count();
    log_request(req_, out, bytes_in_, us);
    bool close = cut || body_unread_ || !keep_alive_ || core_.stopping;
    tcp().expires_after(Millis(core_.opt.write_timeout_ms));
    auto self = this->shared_from_this();
    if (cut) {  // the fault seam: announce more than is sent, then close
      raw_ = "HTTP/1.1 " + std::to_string(out.status) +
             " OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
             std::to_string(out.body.size() + 64) + "\r\n\r\n" +
             out.body.substr(0, out.body.size() / 2);
      net::async_write(stream_, net::buffer(raw_),
                       [self](beast::error_code, std::size_t) { self->close_now(); });
      return;
    }
    res_.emplace();
    res_->version(11);
    res_->result(static_cast<unsigned>(out.status));
    res_->set(http::field::content_type, out.content_type);
    for (const auto& [k, v] : out.headers) res_->set(k, v);
    res_->body() = std::move(out.body);
    res_->keep_alive(!close);
    res_->prepare_payload();
    http::async_write(stream_, *res_, [self, close](beast::error_code ec, std::size_t) {
      self->res_.reset();
      if (ec) return self->close_now();
      if (close) return self->close_gracefully();
      self->wait_request(false);
    });
  }

  // After the last response: TLS close_notify, or a half-close; when the
  // request's body was left unread, what the peer still sends is read and
  // dropped for a moment, so the refusal reaches it before the socket closes.
  void close_gracefully() {
    auto self = this->shared_from_this();
    tcp().expires_after(Millis(1000));
    if constexpr (kTls) {
      stream_.async_shutdown([self](beast::error_code) { self->close_now(); });
    } else {
      beast::error_code ignored;
      tcp().socket().shutdown(net::socket_base::shutdown_send, ignored);
      if (!body_unread_) return close_now();
      drain();
    }
  }

  void drain() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(16 << 10),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close_now();
                              self->drain();
                            });
  }

  void close_now() { tcp().close(); }

  FrontCore& core_;
  Stream stream_;
  std::string peer_;
  beast::flat_buffer buffer_{64 << 10};  // at most: a header plus one read
  std::optional<http::request_parser<http::empty_body>> head_;
  std::optional<http::request_parser<http::string_body>> body_;
  std::optional<http::response<http::string_body>> res_;
  std::string raw_;
  const Route* route_ = nullptr;
  HttpRequest req_;
  std::size_t bytes_in_ = 0;
  bool body_unread_ = false;  // some of the body is still on the wire: close after answering
  bool keep_alive_ = false;
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace

void serve_connection(FrontCore& core, net::ip::tcp::socket socket, std::string peer) {
  beast::error_code ignored;
  socket.set_option(net::ip::tcp::no_delay(true), ignored);
  if (core.tls) {
    using S = Session<beast::ssl_stream<beast::tcp_stream>>;
    auto s = std::make_shared<S>(
        core, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *core.tls),
        std::move(peer));
    s->begin();
  } else {
    auto s = std::make_shared<Session<beast::tcp_stream>>(
        core, beast::tcp_stream(std::move(socket)), std::move(peer));
    s->begin();
  }
}

}  // namespace chz::server
