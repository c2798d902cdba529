// chizheng-server serve under systemd's readiness protocol (Type=notify in
// packaging/server/chizheng-server.service), for real and without systemd:
// the test owns the unix datagram socket NOTIFY_SOCKET names, starts the
// binary, and checks that READY=1 arrives only once the port answers, that
// SIGTERM brings STOPPING=1 and a clean exit, and that without a listener
// (or without NOTIFY_SOCKET) the server serves just the same.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include "common/testing/temp_dir.h"

namespace fs = std::filesystem;

namespace {

std::string server_bin() {
  return std::string(std::getenv("CHZ_BINARY_DIR")) + "/sync/server/chizheng-server";
}

// A port free a moment ago (the server binds it again at once).
int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

// One try, no retry: true if 127.0.0.1:port answers GET /api/v1/health
// with an HTTP status line.
bool answers_http(int port) {
  int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  if (ok) {
    std::string req = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    ok = ::send(s, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size());
    char buf[16] = {};
    pollfd p{s, POLLIN, 0};
    ok = ok && ::poll(&p, 1, 5000) == 1 && ::recv(s, buf, 8, 0) == 8 &&
         std::string(buf, 5) == "HTTP/";
  }
  ::close(s);
  return ok;
}

// The socket systemd would own.
struct NotifySocket {
  int fd = -1;
  std::string path;
  explicit NotifySocket(const fs::path& p) : path(p.string()) {
    fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    REQUIRE(path.size() < sizeof a.sun_path);
    std::strcpy(a.sun_path, path.c_str());
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  }
  ~NotifySocket() { ::close(fd); }
  // The next datagram, or nothing within `ms`.
  std::optional<std::string> next(int ms) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms) != 1) return std::nullopt;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
  }
};

// `chizheng-server serve` on 127.0.0.1:port, NOTIFY_SOCKET = `notify`
// (unset when empty), its output into `log`.
pid_t start_serve(const fs::path& data, int port, const std::string& notify, const fs::path& log) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (notify.empty())
      ::unsetenv("NOTIFY_SOCKET");
    else
      ::setenv("NOTIFY_SOCKET", notify.c_str(), 1);
    FILE* f = std::freopen(log.c_str(), "w", stdout);
    if (f) ::dup2(::fileno(stdout), 2);
    std::string bin = server_bin(), p = std::to_string(port);
    ::execl(bin.c_str(), bin.c_str(), "--data", data.c_str(), "serve", "--listen", "127.0.0.1",
            "--port", p.c_str(), "--plain-http", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// Waits up to `ms` for the child; its exit code, or -1 (killed) / -2 (still running).
int wait_exit(pid_t pid, int ms) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until) {
    int st = 0;
    if (::waitpid(pid, &st, WNOHANG) == pid) return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    ::usleep(20'000);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -2;
}

fs::path init_county(const chz::testing::TempDir& dir) {
  fs::path data = dir / "county";
  std::string cmd = server_bin() + " --data " + data.string() + " init --host 127.0.0.1 >" +
                    (dir / "init.log").string() + " 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  return data;
}

}  // namespace

TEST_CASE("notify: READY=1 comes once the port answers, STOPPING=1 on SIGTERM, then exit 0") {
  REQUIRE(std::getenv("CHZ_BINARY_DIR"));
  chz::testing::TempDir dir("chz-notify");
  fs::path data = init_county(dir);
  NotifySocket sock(dir / "notify.sock");
  int port = free_port();
  pid_t pid = start_serve(data, port, sock.path, dir / "serve.log");
  auto ready = sock.next(30'000);
  REQUIRE_MESSAGE(ready, "no READY=1 within 30 s");
  // Straight after READY, one try: the port must already answer.
  bool answered = answers_http(port);
  CHECK(ready->find("READY=1") != std::string::npos);
  CHECK(ready->find("STATUS=serving http on 127.0.0.1:" + std::to_string(port)) !=
        std::string::npos);
  CHECK_MESSAGE(answered, "READY=1 came before 127.0.0.1:", port, " answered");
  CHECK_FALSE(sock.next(200));  // nothing else while serving
  ::kill(pid, SIGTERM);
  auto stopping = sock.next(10'000);
  REQUIRE_MESSAGE(stopping, "no STOPPING=1 within 10 s of SIGTERM");
  CHECK(*stopping == "STOPPING=1");
  CHECK(wait_exit(pid, 15'000) == 0);
}

TEST_CASE("notify: a NOTIFY_SOCKET nobody listens on, or none, does not stop the server") {
  REQUIRE(std::getenv("CHZ_BINARY_DIR"));
  chz::testing::TempDir dir("chz-notify");
  fs::path data = init_county(dir);
  for (std::string notify : {(dir / "nobody.sock").string(), std::string()}) {
    INFO("NOTIFY_SOCKET=" << notify);
    int port = free_port();
    pid_t pid = start_serve(data, port, notify, dir / "serve.log");
    bool answered = false;
    for (int i = 0; i < 300 && !answered; ++i) {
      answered = answers_http(port);
      if (!answered) ::usleep(100'000);
    }
    CHECK(answered);
    ::kill(pid, SIGTERM);
    CHECK(wait_exit(pid, 15'000) == 0);
  }
}
