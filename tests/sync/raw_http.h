// Raw TCP clients for the HTTP front's tests: idle and slow connections from
// chosen loopback source addresses, hand-written requests, streamed bodies,
// and the test process's own memory figures.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chz::synctest {

// Raises this process's open-files soft limit to the hard limit.
void raise_nofile_limit();

// A TCP connection to 127.0.0.1:`port` from `source` (any 127.x.y.z: all
// of 127.0.0.0/8 is loopback on Linux). -1 on failure.
int connect_from(const std::string& source, int port);
// Opens `n` connections spread over 127.0.0.2 .. 127.0.0.(1+addresses).
// REQUIRES: the fds are closed by the caller (FdSet).
std::vector<int> open_idle(int port, int n, int addresses = 49);

struct FdSet {
  std::vector<int> fds;
  ~FdSet();
};

bool send_all(int fd, std::string_view data);
// True iff the peer closes (or resets) within `timeout_ms`; data read meanwhile is dropped.
bool closed_within(int fd, int timeout_ms);

struct RawResponse {
  int status = 0;  // 0: no answer
  std::string head, body;
};
// Reads one response (body by Content-Length) within `timeout_ms`.
RawResponse read_response(int fd, int timeout_ms);
// Connects from `source`, sends `request` as is, and reads the answer.
RawResponse exchange(int port, std::string_view request, int timeout_ms,
                     const std::string& source = "127.0.0.1");

struct Streamed {
  int status = 0;        // the server's answer, 0 if none
  std::size_t sent = 0;  // body bytes sent before it answered
  std::string body;
};
// Sends `head` (ending in a blank line, with Transfer-Encoding: chunked),
// then a chunked body of `total` bytes from one small buffer, until the
// server answers or closes, or `timeout_ms` passes.
Streamed stream_chunked(int fd, std::string_view head, std::size_t total, int timeout_ms);

// This process's resident memory now and at its peak (VmRSS, VmHWM) in bytes.
std::size_t rss_bytes();
std::size_t peak_rss_bytes();

}  // namespace chz::synctest
