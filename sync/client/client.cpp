#include "sync/client/client.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>

#include "sync/client/capped_body.h"
#include "sync/protocol/signing.h"
#include "sync/protocol/wire.h"

namespace chz::sync_client {
namespace api = sync::api;
using nlohmann::json;

namespace {
// encode_batch of `recs` on a helper thread, started at construction;
// done on the caller's thread if no thread can be started.
class NextBody {
 public:
  explicit NextBody(const std::vector<sync::Record>& recs) : recs_(recs) {
    if (recs_.empty()) return;
    try {
      thread_ = std::thread([this] { body_ = sync::encode_batch(recs_); });
    } catch (const std::system_error&) {
      body_ = sync::encode_batch(recs_);
    }
  }
  NextBody(const NextBody&) = delete;
  NextBody& operator=(const NextBody&) = delete;
  ~NextBody() {
    if (thread_.joinable()) thread_.join();
  }
  std::string get() {
    if (thread_.joinable()) thread_.join();
    return std::move(body_);
  }

 private:
  const std::vector<sync::Record>& recs_;
  std::thread thread_;
  std::string body_;
};

std::size_t on_header(char* p, std::size_t sz, std::size_t n, void* ud) {
  std::string_view line(p, sz * n);
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string k(line.substr(0, colon));
    std::transform(k.begin(), k.end(), k.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view v = line.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
      v.remove_suffix(1);
    static_cast<std::vector<std::pair<std::string, std::string>>*>(ud)->emplace_back(
        k, std::string(v));
  }
  return sz * n;
}
bool transient(long status) {
  return status == 0 || status >= 500 || status == 429 || status == 408;
}
std::int64_t to_i64(std::string_view s, std::int64_t dflt) {
  std::int64_t v = dflt;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() ? v : dflt;
}
struct CurlInit {
  CurlInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};
void ensure_curl() {
  static CurlInit once;
}
}  // namespace

std::string_view state_name(Progress::State s) {
  switch (s) {
    case Progress::State::kIdle:
      return "idle";
    case Progress::State::kConnecting:
      return "connecting";
    case Progress::State::kUploading:
      return "uploading";
    case Progress::State::kDownloading:
      return "downloading";
    case Progress::State::kDone:
      return "done";
    case Progress::State::kFailed:
      return "failed";
  }
  return "?";
}

std::string Client::Reply::header(std::string_view name) const {
  std::string k(name);
  std::transform(k.begin(), k.end(), k.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [hk, hv] : headers)
    if (hk == k) return hv;
  return {};
}

Client::Client(Credentials c, ClientOptions o, const Clock& clock)
    : cred_(std::move(c)), opt_(o), clock_(clock), rng_(std::random_device{}()) {
  ensure_curl();
  curl_ = curl_easy_init();
  // The counter only has to grow: start from corrected microseconds, and
  // jump above the server's value if it says we replayed (clock went back).
  counter_ = clock_.now_ms() * 1000;
}
Client::~Client() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Client::Reply Client::request(const std::string& method, const std::string& path,
                              const std::string& body, bool sign) {
  CURL* c = static_cast<CURL*>(curl_);
  Reply r;
  curl_easy_reset(c);
  std::string url = cred_.server_url + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, opt_.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, opt_.timeout_ms);
  CappedBody sink{&r.body, opt_.max_response_bytes};
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_capped);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  if (!cred_.ca_pem.empty()) {
    // Pin the county CA: only it is trusted, whatever the system store says.
    // Host names add nothing for a private CA that signs only the county server.
    curl_blob blob{const_cast<char*>(cred_.ca_pem.data()), cred_.ca_pem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
    curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_slist* hdrs = nullptr;
  hdrs = curl_slist_append(hdrs, "Expect:");
  if (sign) {
    std::int64_t t = clock_.now_ms() + offset_ms_;
    auto a = sync::sign_request(cred_.secret, cred_.device_id, method, path, t, ++counter_, body);
    if (!a.ok()) {
      r.error = a.status().to_string();
      curl_slist_free_all(hdrs);
      return r;
    }
    hdrs = curl_slist_append(hdrs, (std::string(sync::kHdrDevice) + ": " + a->device).c_str());
    hdrs = curl_slist_append(
        hdrs, (std::string(sync::kHdrTime) + ": " + std::to_string(a->time_ms)).c_str());
    hdrs = curl_slist_append(
        hdrs, (std::string(sync::kHdrCounter) + ": " + std::to_string(a->counter)).c_str());
    hdrs =
        curl_slist_append(hdrs, (std::string(sync::kHdrSignature) + ": " + a->signature).c_str());
  }
  if (method == "POST") {
    hdrs = curl_slist_append(hdrs, "Content-Type: application/octet-stream");
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(hdrs);
  if (sink.over) {  // not transient: the same answer would come again
    r.status = -1;
    r.error = "the server's answer is larger than " + std::to_string(opt_.max_response_bytes) +
              " bytes; refused";
    r.body.clear();
    return r;
  }
  if (rc != CURLE_OK) {
    r.status = 0;
    r.error = curl_easy_strerror(rc);
    r.body.clear();
    return r;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

void Client::backoff(int attempt) {
  long cap = std::min(opt_.backoff_max_ms, opt_.backoff_base_ms << std::min(attempt, 20));
  std::uniform_int_distribution<long> d(0, std::max(1L, cap));  // full jitter
  std::this_thread::sleep_for(std::chrono::milliseconds(d(rng_)));
}

Result<Client::Reply> Client::call(const std::string& method, const std::string& path,
                                   const std::string& body) {
  std::string last;
  bool resynced = false;
  int replays = 0;
  for (int attempt = 0; attempt < opt_.max_attempts; ++attempt) {
    Reply r = request(method, path, body);
    if (r.status == 200) return r;
    if (transient(r.status)) {
      last = r.status ? "HTTP " + std::to_string(r.status) : r.error;
      backoff(attempt);
      continue;
    }
    if (r.status < 0) return Status(Code::kTooLarge, r.error, "sync.too_large");
    Status st = api::status_from_error(static_cast<int>(r.status), r.body);
    if (st.key() == "sync.replayed" && replays < 8) {
      // Our counter fell behind: a restart with the clock set back, or
      // another client of the same identity (a county's timed forward and
      // an operator's `forward` at once) took counters meanwhile. Continue
      // above the server's value, as long as it is ahead of ours.
      std::int64_t theirs = to_i64(r.header(api::kHdrLastCounter), -1);
      if (theirs >= counter_) {
        counter_ = theirs;
        ++replays;
        --attempt;
        continue;
      }
    }
    if (st.key() == "sync.stale_timestamp" && !resynced) {
      CHZ_TRY(refresh_offset().status());
      resynced = true;
      --attempt;
      continue;
    }
    return st;
  }
  return Status(Code::kUnavailable, "server unreachable: " + last, "sync.unavailable");
}

Result<std::int64_t> Client::refresh_offset() {
  for (int attempt = 0; attempt < opt_.max_attempts; ++attempt) {
    std::int64_t t0 = clock_.now_ms();
    Reply r = request("GET", std::string(api::kTime), "", false);
    std::int64_t t1 = clock_.now_ms();
    if (r.status == 200) {
      auto j = json::parse(r.body, nullptr, false);
      if (j.is_object() && j.contains("now_ms") && j["now_ms"].is_number_integer()) {
        offset_ms_ = j["now_ms"].get<std::int64_t>() - (t0 + t1) / 2;
        return offset_ms_;
      }
      return Status(Code::kInvalidArgument, "bad server time answer", "sync.malformed");
    }
    backoff(attempt);
  }
  return Status(Code::kUnavailable, "server unreachable", "sync.unavailable");
}

Result<std::int64_t> Client::server_cursor() {
  CHZ_ASSIGN_OR_RETURN(Reply r, call("GET", std::string(api::kCursor), ""));
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("cursor") || !j["cursor"].is_number_integer())
    return Status(Code::kInvalidArgument, "bad cursor answer", "sync.malformed");
  return j["cursor"].get<std::int64_t>();
}

Status Client::upload(sync::RecordSource& src, Progress& p,
                      const std::function<void(const Progress&)>& cb) {
  p.state = Progress::State::kUploading;
  for (int round = 0; round < opt_.max_attempts; ++round) {
    CHZ_ASSIGN_OR_RETURN(std::int64_t cursor, server_cursor());
    CHZ_TRY(src.set_acknowledged(cursor));
    p.acknowledged = cursor;
    CHZ_ASSIGN_OR_RETURN(p.last_seq, src.last_seq());
    if (cb) cb(p);
    bool restart = false;
    CHZ_ASSIGN_OR_RETURN(auto recs, src.records_after(cursor, opt_.batch));
    std::string body = recs.empty() ? std::string() : sync::encode_batch(recs);
    while (!restart) {
      if (recs.empty()) return OkStatus();
      // Pipelining: the next batch is read now and encoded while this one
      // is on the wire; it is used only if the server's answer is the
      // cursor this batch leads to.
      std::int64_t expect = recs.back().meta.seq;
      CHZ_ASSIGN_OR_RETURN(auto next_recs, src.records_after(expect, opt_.batch));
      NextBody next_body(next_recs);
      auto r = call("POST", std::string(api::kUpload), body);
      if (!r.ok()) {
        // A gap means our idea of the cursor is stale: re-read it.
        if (r.status().key() == "sync.gap") {
          restart = true;
          break;
        }
        return r.status();
      }
      auto j = json::parse(r->body, nullptr, false);
      if (!j.is_object() || !j.contains("cursor") || !j["cursor"].is_number_integer())
        return Status(Code::kInvalidArgument, "bad upload answer", "sync.malformed");
      std::int64_t next = j["cursor"].get<std::int64_t>();
      if (next <= cursor) {
        restart = true;  // should not happen; resume from the server's view
        break;
      }
      cursor = next;
      CHZ_TRY(src.set_acknowledged(cursor));
      p.acknowledged = cursor;
      if (cb) cb(p);
      if (next == expect) {
        body = next_body.get();  // joins the helper before its records move
        recs = std::move(next_recs);
      } else {
        CHZ_ASSIGN_OR_RETURN(recs, src.records_after(cursor, opt_.batch));
        body = recs.empty() ? std::string() : sync::encode_batch(recs);
      }
    }
  }
  return Status(Code::kUnavailable, "upload did not converge", "sync.unavailable");
}

Status Client::download(sync::RecordSink& sink, Progress& p,
                        const std::function<void(const Progress&)>& cb) {
  p.state = Progress::State::kDownloading;
  CHZ_ASSIGN_OR_RETURN(std::string cursor, sink.feed_cursor());
  for (;;) {
    std::string path = std::string(api::kFeed) + "?after=" + (cursor.empty() ? "0" : cursor) +
                       "&limit=" + std::to_string(opt_.feed_page);
    CHZ_ASSIGN_OR_RETURN(Reply r, call("GET", path, ""));
    CHZ_ASSIGN_OR_RETURN(auto recs, sync::decode_batch(r.body));
    std::string next = r.header(api::kHdrNextCursor);
    if (next.empty())
      return Status(Code::kInvalidArgument, "feed page without a cursor", "sync.malformed");
    CHZ_TRY(sink.apply(recs, next).status());
    p.downloaded += static_cast<std::int64_t>(recs.size());
    if (cb) cb(p);
    cursor = next;
    if (r.header(api::kHdrMore) != "1") return OkStatus();
  }
}

Status Client::sync_once(sync::RecordSource& src, sync::RecordSink& sink,
                         const std::function<void(const Progress&)>& cb) {
  Progress p;
  p.state = Progress::State::kConnecting;
  if (cb) cb(p);
  Status st = refresh_offset().status();
  p.offset_ms = offset_ms_;
  if (st.ok()) st = upload(src, p, cb);
  if (st.ok()) st = download(sink, p, cb);
  if (st.ok()) {
    p.state = Progress::State::kDone;
    p.last_success_ms = clock_.now_ms() + offset_ms_;
  } else {
    p.state = Progress::State::kFailed;
    p.last_error = st.to_string();
  }
  if (cb) cb(p);
  return st;
}

Result<std::string> Client::fetch_content(const std::string& id) {
  CHZ_ASSIGN_OR_RETURN(Reply r, call("GET", std::string(api::kContent) + id, ""));
  return std::move(r.body);
}

}  // namespace chz::sync_client
