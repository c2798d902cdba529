#include "tests/bench/sync_upload/bench_county.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include "common/clock.h"
#include "sync/protocol/api.h"
#include "sync/protocol/idcard.h"
#include "sync/protocol/person_key.h"
#include "sync/protocol/proof.h"
#include "sync/protocol/signing.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_model.h"

namespace chz::bench {
namespace {
using Clk = std::chrono::steady_clock;
using nlohmann::json;
}  // namespace

Result<Generated> generate_county(server::ServerStore& s, const server::CountyKeys& k,
                                  const CountySpec& spec) {
  std::mt19937 rng(42);
  const std::int64_t day = 86'400'000;
  const std::int64_t year_start = china_midnight_ms({2026, 1, 1});
  const std::int64_t now = year_start + 365 * day;
  const bool first = spec.batch_tag.empty();
  Generated g;
  if (first)
    for (int t = 0; t < 20; ++t)
      for (int i = 0; i < 10; ++i)
        CHZ_TRY(s.add_site(fmt::format("site-{:03}", t * 10 + i),
                           fmt::format("培训点{}", t * 10 + i), fmt::format("乡镇{:02}", t)));
  // The registry: person keys from generated ID numbers (the area's region).
  std::vector<std::string> people;
  std::vector<server::CountyWrite> reg;
  static const char* kGroups[] = {"农村转移就业劳动者", "退役军人", "就业困难人员", "两后生"};
  for (int i = 0; i < spec.registry_people; ++i) {
    std::string first17 = fmt::format("{}{:04}{:02}{:02}{:03}", spec.area, 1966 + i % 40,
                                      1 + i % 12, 1 + i % 28, i % 1000);
    std::string id = first17 + sync::id_check_char(first17);
    std::string key = sync::person_key(k.person_key, id + std::to_string(i / 1000));
    people.push_back(key);
    if (!first) continue;
    json groups = json::array();
    if (i % 3 == 0) groups.push_back(kGroups[i % 4]);
    reg.push_back({std::string(server::model::kRegistryFeed),
                   std::string(server::model::kRegistryEntry),
                   json{{"person", key},
                        {"id_number", id},
                        {"name", "测试"},
                        {"township", fmt::format("乡镇{:02}", i % 20)},
                        {"village", "村"},
                        {"employment", i % 2 ? "employed" : ""},
                        {"groups", groups},
                        {"from", "2025-01-01"}}
                       .dump()});
    if (i % 3 == 1)
      reg.push_back({std::string(server::model::kRegistryFeed),
                     std::string(server::model::kHeldCertificate),
                     json{{"person", key},
                          {"kind", "等级"},
                          {"level", 5 - i % 4},
                          {"number", fmt::format("H{}", i)},
                          {"date", "2024-06-01"}}
                         .dump()});
    if (reg.size() >= 20'000) {
      CHZ_TRY(s.append_county(reg, now));
      reg.clear();
    }
  }
  if (!reg.empty()) CHZ_TRY(s.append_county(reg, now));
  auto session_day = [&](int n) {
    return spec.first_day + n * spec.days / std::max(1, spec.sessions);
  };
  std::vector<server::CountyWrite> w;
  for (int site = 0; site < 200; ++site) {
    std::string sid = fmt::format("site-{:03}", site), cls = fmt::format("class-{:03}", site);
    if (first) {
      for (int c = 0; c < 4; ++c)
        w.push_back({sid, "course",
                     json{{"entity", fmt::format("course:c{}", c)},
                          {"name", "课程"},
                          {"occupation", fmt::format("职业{}", c)},
                          {"level", c == 0 ? 0 : 5},
                          {"practical_pass", 60}}
                         .dump()});
      w.push_back({sid, "class",
                   json{{"entity", "class:" + cls},
                        {"course", fmt::format("c{}", site % 4)},
                        {"site", sid},
                        {"name", "班"}}
                       .dump()});
    }
    for (int n = 0; n < spec.sessions; ++n)
      w.push_back({sid, "session",
                   json{{"entity", fmt::format("session:{}-{}{}", cls, spec.batch_tag, n)},
                        {"class", cls},
                        {"date", format_date(china_date(year_start + session_day(n) * day))},
                        {"start", "19:00"},
                        {"end", "21:00"},
                        {"kind", "theory"}}
                       .dump()});
  }
  CHZ_TRY(s.append_county(w, now));
  for (int site = 0; site < 200; ++site) {
    std::string dev = fmt::format("kiosk-{}-{}{:03}", spec.area, spec.batch_tag, site);
    std::string sid = fmt::format("site-{:03}", site), cls = fmt::format("class-{:03}", site);
    CHZ_TRY(s.add_code({"code-" + dev, Key32{}, sid, now + day, false}));
    auto kp = ed25519_generate();
    CHZ_TRY(
        s.enroll_device("code-" + dev, now, {dev, sid, kp.pub, kp.pub, false, 0, now}).status());
    std::vector<sync::Record> recs;
    std::int64_t seq = 0;
    auto fact = [&](const char* kind, std::int64_t at, json body) {
      sync::Record r;
      r.meta = {sync::record_uuid(dev, ++seq, at), dev, seq, {at, 0}, at, 0};
      r.kind = kind;
      r.body = body.dump();
      recs.push_back(std::move(r));
    };
    std::vector<std::string> mine;
    for (int p = 0; p < 40; ++p)
      mine.push_back(people[static_cast<std::size_t>(site * 40 + p) % people.size()]);
    for (int n = 0; n < spec.sessions; ++n) {
      std::string ses = fmt::format("{}-{}{}", cls, spec.batch_tag, n);
      std::int64_t t0 = year_start + session_day(n) * day + 19 * 3'600'000LL;
      json present = json::array();
      for (const auto& p : mine) {
        if (rng() % 100 >= 85) continue;
        present.push_back(p);
        fact("attendance", t0,
             {{"session", ses}, {"person", p}, {"event", "in"}, {"at_ms", t0}, {"by", "self"}});
        std::int64_t out = t0 + 7'200'000 - static_cast<std::int64_t>(rng() % 600'000);
        fact("attendance", out,
             {{"session", ses}, {"person", p}, {"event", "out"}, {"at_ms", out}, {"by", "self"}});
      }
      fact("roster_confirm", t0 + 7'500'000,
           {{"session", ses}, {"by", "staff"}, {"at_ms", t0 + 7'500'000}, {"present", present}});
    }
    if (first)
      for (const auto& p : mine) {
        std::int64_t at = year_start + 340 * day;
        fact("exam_attempt", at,
             {{"attempt", p.substr(0, 8) + dev},
              {"class", cls},
              {"course", fmt::format("c{}", site % 4)},
              {"person", p},
              {"submitted_ms", at},
              {"theory_x100", 7000},
              {"passed", 1}});
      }
    auto d = s.device(dev);
    if (!d.ok()) return d.status();
    std::int64_t counter = 0;
    for (std::size_t i = 0; i < recs.size(); i += 5000) {
      std::vector<sync::Record> part(
          recs.begin() + static_cast<long>(i),
          recs.begin() + static_cast<long>(std::min(recs.size(), i + 5000)));
      // Kept as the kiosk's signed upload, as a real one is: the county can
      // forward it and the city check it.
      std::string wire = sync::encode_batch(part);
      CHZ_ASSIGN_OR_RETURN(auto auth, sync::sign_request(kp.secret, dev, "POST", sync::api::kUpload,
                                                         now, ++counter, wire));
      sync::Proof proof = sync::request_proof(auth, "POST", sync::api::kUpload, wire);
      auto t0 = Clk::now();  // the server's work only, not the kiosk's signing
      auto cur = s.ingest(*d, part, now, wire, &proof);
      g.ingest_s += std::chrono::duration<double>(Clk::now() - t0).count();
      if (!cur.ok()) return cur.status();
    }
    g.records += static_cast<std::int64_t>(recs.size());
  }
  return g;
}

}  // namespace chz::bench
