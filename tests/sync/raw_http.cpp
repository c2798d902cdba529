#include "tests/sync/raw_http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

namespace chz::synctest {
namespace {
using Clock = std::chrono::steady_clock;
int ms_left(Clock::time_point end) {
  auto d = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
  return d < 0 ? 0 : static_cast<int>(d);
}
std::size_t status_field(const char* name) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(name, 0) == 0) return std::stoull(line.substr(std::strlen(name))) * 1024;
  return 0;
}
// Parses "HTTP/1.1 NNN ..." and Content-Length from a complete head.
int parse_head(const std::string& head, std::size_t* length) {
  *length = 0;
  if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return 0;
  int status = std::atoi(head.c_str() + 9);
  std::string lower = head;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto p = lower.find("\r\ncontent-length:");
  if (p != std::string::npos) *length = std::stoull(lower.substr(p + 17));
  return status;
}
}  // namespace

void raise_nofile_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

int connect_from(const std::string& source, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in src{};
  src.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &src.sin_addr);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::vector<int> open_idle(int port, int n, int addresses) {
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    int fd = connect_from("127.0.0." + std::to_string(2 + i % addresses), port);
    if (fd >= 0) fds.push_back(fd);
  }
  return fds;
}

FdSet::~FdSet() {
  for (int fd : fds) ::close(fd);
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EAGAIN) {  // a non-blocking socket: wait for room
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 5000) <= 0) return false;
      continue;
    }
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool closed_within(int fd, int timeout_ms) {
  auto end = Clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms_left(end)) <= 0) return false;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
}

RawResponse read_response(int fd, int timeout_ms) {
  auto end = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string data;
  char buf[16384];
  RawResponse r;
  std::size_t length = 0;
  for (;;) {
    auto eoh = data.find("\r\n\r\n");
    if (eoh != std::string::npos && r.status == 0) {
      r.head = data.substr(0, eoh + 4);
      r.status = parse_head(r.head, &length);
      data.erase(0, eoh + 4);
      if (r.status == 100) {  // an interim answer: read on
        r = {};
        continue;
      }
    }
    if (r.status != 0 && data.size() >= length) {
      r.body = data.substr(0, length);
      return r;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms_left(end)) <= 0) return {};
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return r.status != 0 ? r : RawResponse{};
    data.append(buf, static_cast<std::size_t>(n));
  }
}

RawResponse exchange(int port, std::string_view request, int timeout_ms,
                     const std::string& source) {
  int fd = connect_from(source, port);
  if (fd < 0) return {};
  RawResponse r = send_all(fd, request) ? read_response(fd, timeout_ms) : RawResponse{};
  ::close(fd);
  return r;
}

Streamed stream_chunked(int fd, std::string_view head, std::size_t total, int timeout_ms) {
  auto end = Clock::now() + std::chrono::milliseconds(timeout_ms);
  Streamed s;
  if (!send_all(fd, head)) return s;
  const std::size_t chunk = 64 << 10;
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk);
  std::string piece = size_line + std::string(chunk, 'z') + "\r\n";
  std::size_t off = 0;  // within `piece`
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  while (ms_left(end) > 0) {
    bool more = s.sent < total;
    pollfd p{fd, static_cast<short>(POLLIN | (more ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, ms_left(end)) <= 0) break;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) break;  // the server answered or closed
    ssize_t n = ::send(fd, piece.data() + off, piece.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EAGAIN) continue;
    if (n <= 0) break;
    off += static_cast<std::size_t>(n);
    if (off == piece.size()) {
      off = 0;
      s.sent += chunk;
      if (s.sent >= total) send_all(fd, "0\r\n\r\n");
    }
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  RawResponse r = read_response(fd, std::max(ms_left(end), 1000));
  s.status = r.status;
  s.body = r.body;
  return s;
}

std::size_t rss_bytes() {
  return status_field("VmRSS:");
}
std::size_t peak_rss_bytes() {
  return status_field("VmHWM:");
}

}  // namespace chz::synctest
