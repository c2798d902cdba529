// demo-seed: a fictional county (示范县) with realistic shape. All people are
// invented; ID numbers use the fictional region 149901 and valid check
// characters. Deterministic for a seed.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <random>

#include "sync/protocol/idcard.h"
#include "sync/protocol/person_key.h"
#include "sync/protocol/record_kinds.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_data.h"

namespace chz::server {
namespace {
using nlohmann::json;

const char* kTownships[] = {"城关镇", "东岭乡", "西河镇", "南沟乡", "北坪镇", "石门乡"};
const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "郭", "吉", "段", "阎", "贾", "卫", "程"};
const char* kGiven[] = {"建国", "秀英", "桂兰", "志强", "红梅", "喆", "堃", "䶮", "𠮷祥", "玉珍", "国栋",
                        "海燕", "春生", "丽娟", "宝山", "凤英", "晓东", "金花"};
const char* kMinority[] = {"阿依古丽·买买提", "热依拉·吐尔逊", "巴特尔·其木格"};
const char* kGroups[] = {"rural_labour", "poverty_alleviated", "unemployed", "graduate", "veteran"};

std::string id_number(std::mt19937& rng, int birth_year) {
  std::uniform_int_distribution<int> m(1, 12), d(1, 28), s(0, 999);
  std::string first17 = fmt::format("149901{:04}{:02}{:02}{:03}", birth_year, m(rng), d(rng), s(rng));
  return first17 + sync::id_check_char(first17);
}
}  // namespace

Status demo_seed(ServerStore& s, const CountyKeys& k, const std::string& courses_dir, std::int64_t now,
                 unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> courses;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(courses_dir, ec))
    if (std::filesystem::exists(e.path() / "course.toml")) courses.push_back(e.path().filename().string());
  std::sort(courses.begin(), courses.end());
  if (courses.empty()) return Status(Code::kNotFound, "no demo courses under " + courses_dir);
  for (const auto& c : courses) {
    auto id = publish_course(s, k, (std::filesystem::path(courses_dir) / c).string(), now);
    if (!id.ok()) return id.status();
  }
  const std::int64_t day = 24LL * 3600 * 1000;
  const std::int64_t start = now - 120 * day;
  int person_no = 0;
  for (int t = 0; t < 6; ++t) {
    for (int j = 0; j < 2; ++j) {
      std::string site = fmt::format("site-{}{}", t + 1, j + 1);
      std::string site_name = fmt::format("{}{}", kTownships[t], j == 0 ? "农民夜校" : "村级服务站");
      CHZ_TRY(s.add_site(site, site_name, kTownships[t]));
      std::vector<std::string> trainers;
      for (int i = 0; i < 2; ++i) {
        std::string id = fmt::format("staff-{}-{}", site, i + 1);
        trainers.push_back(id);
        CHZ_TRY(add_staff(s, {id, std::string(kSurnames[(t * 2 + j + i) % 14]) + "老师", i == 0 ? "trainer" : "assessor",
                              site, ""},
                          start));
      }
      std::string course = courses[static_cast<std::size_t>(t * 2 + j) % courses.size()];
      std::string cls = fmt::format("class-{}-1", site);
      CHZ_TRY(add_class(s, {cls, course, site, site_name + "·" + course + "培训班", 40, trainers}, start));
      std::vector<std::string> sessions;
      for (int w = 0; w < 16; ++w) {
        std::int64_t at = start + w * 7 * day;
        std::string sid = fmt::format("session-{}-{:02}", site, w + 1);
        sessions.push_back(sid);
        CHZ_TRY(add_session(s, {sid, cls, format_date(china_date(at)), "19:00", "21:00", w % 3 == 2 ? "practical" : "theory"},
                            start));
      }
      // 25 trainees per site: 300 in the county.
      std::vector<std::string> keys;
      for (int p = 0; p < 25; ++p, ++person_no) {
        std::uniform_int_distribution<int> year(1966, 2006), gi(0, 17), si(0, 13), gr(0, 4);
        PersonInput in;
        in.id_number = id_number(rng, year(rng));
        in.name = person_no % 40 == 7 ? kMinority[person_no % 3] : std::string(kSurnames[si(rng)]) + kGiven[gi(rng)];
        in.township = kTownships[t];
        in.village = fmt::format("{}村", kSurnames[(p + t) % 14]);
        in.groups = {kGroups[gr(rng)]};
        CHZ_TRY(enrol_person(s, k, cls, in, start));
        keys.push_back(sync::person_key(k.person_key, in.id_number));
      }
      // History: a demo kiosk at the site checked people in and out.
      std::string dev = fmt::format("kiosk-demo{:02}{}", t + 1, j + 1);
      auto code = issue_code(s, site, day, now);
      if (!code.ok()) return code.status();
      std::string norm = sync::api::normalize_code(*code);
      auto kp = ed25519_generate();
      CHZ_TRY(s.enroll_device(sync::api::code_id(norm), now, {dev, site, kp.pub, kp.pub, false, 0, now}));
      std::vector<sync::Record> recs;
      std::int64_t seq = 0;
      for (std::size_t w = 0; w < sessions.size(); ++w) {
        std::int64_t t0 = start + static_cast<std::int64_t>(w) * 7 * day + 11 * 3600 * 1000;  // 19:00 China
        for (const auto& key : keys) {
          if (rng() % 5 == 0) continue;  // absent
          for (const char* ev : {"in", "out"}) {
            std::int64_t at = t0 + (ev[0] == 'o' ? 2 * 3600 * 1000 : 0) + static_cast<std::int64_t>(rng() % 600000);
            sync::Record r;
            r.meta = {sync::record_uuid(dev, ++seq, at), dev, seq, {at, 0}, at, 0};
            r.kind = sync::kinds::kAttendance;
            r.body = json{{"session", sessions[w]}, {"person", key}, {"event", ev}, {"at_ms", at}, {"by", "self"}}.dump();
            recs.push_back(std::move(r));
          }
        }
      }
      auto d = s.device(dev);
      if (!d.ok()) return d.status();
      auto cur = s.ingest(*d, recs, now);
      if (!cur.ok()) return cur.status();
    }
  }
  return OkStatus();
}

}  // namespace chz::server
