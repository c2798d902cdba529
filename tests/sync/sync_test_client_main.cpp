// chz-sync-test-client --dir D: runs sync passes for the fake device stored
// in D (credentials in its kv table) until one succeeds. The kill -9 test
// starts it and kills it at random moments.
#include <cstdio>
#include <cstring>

#include "sync/client/client.h"
#include "tests/sync/fake_device.h"

using namespace chz;

int main(int argc, char** argv) {
  if (argc != 3 || std::strcmp(argv[1], "--dir") != 0) {
    std::fprintf(stderr, "usage: chz-sync-test-client --dir DIR\n");
    return 2;
  }
  std::string id;
  {
    FILE* f = std::fopen((std::string(argv[2]) + "/device-id").c_str(), "r");
    if (!f) return 3;
    char buf[128] = {};
    if (!std::fgets(buf, sizeof buf, f)) return 3;
    std::fclose(f);
    id = buf;
  }
  auto dev = synctest::FakeDevice::open(argv[2], id);
  if (!dev.ok()) return 4;
  auto url = (*dev)->get("url");
  auto secret = (*dev)->get("secret");
  if (!url.ok() || !secret.ok()) return 5;
  Key32 sk{};
  auto b = unhex(*secret);
  std::copy(b->begin(), b->end(), sk.begin());
  sync_client::ClientOptions o;
  o.batch = 200;
  o.feed_page = 150;
  o.backoff_base_ms = 5;
  SystemClock clock;
  sync_client::Client c({*url, "", id, sk}, o, clock);
  for (int i = 0; i < 20; ++i) {
    Status st = c.sync_once(**dev, **dev);
    if (st.ok()) return 0;
    std::fprintf(stderr, "pass failed: %s\n", st.to_string().c_str());
  }
  return 1;
}
