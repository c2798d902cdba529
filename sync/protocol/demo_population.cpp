#include "sync/protocol/demo_population.h"

#include <fmt/format.h>

#include <array>
#include <set>

#include "sync/protocol/idcard.h"
#include "sync/protocol/record_kinds.h"

namespace chz::sync::demo {

namespace {

constexpr std::array<std::string_view, 14> kTownships = {
    "龙港镇", "嘉峰镇", "端氏镇", "郑庄镇", "中村镇",   "郑村镇", "柿庄镇",
    "土沃乡", "胡底乡", "固县乡", "十里乡", "樊村河乡", "张村乡", "苏庄乡"};

// Common surnames of southeastern Shanxi first, so they come up most.
constexpr std::array<std::string_view, 32> kSurnames = {
    "王", "李", "张", "刘", "赵", "郭", "杨", "陈", "武", "贾", "田", "郝", "牛", "常", "韩", "史",
    "宋", "孙", "卫", "薛", "程", "段", "原", "柴", "秦", "申", "吕", "冯", "靳", "茹", "酒", "𠮷"};
constexpr std::array<std::string_view, 48> kGivenMale = {
    "建国", "建军", "国强", "志强", "海军", "军",   "伟",   "强", "明",   "亮",   "俊杰", "涛",
    "斌",   "鹏",   "浩",   "宇",   "晨阳", "子轩", "浩然", "瑞", "鑫",   "峰",   "晋生", "晋华",
    "太平", "保平", "二虎", "小龙", "红兵", "卫东", "堃",   "喆", "䶮",   "犇",   "垚",   "天佑",
    "文博", "永胜", "满仓", "富贵", "兵",   "磊",   "刚",   "勇", "晓东", "金龙", "𠮷庆", "昇"};
constexpr std::array<std::string_view, 44> kGivenFemale = {
    "丽",   "娟",   "芳",   "红霞", "秀英", "玉兰", "桂花", "静",   "敏",   "婷",   "慧",
    "佳欣", "欣怡", "雪",   "梓涵", "晓红", "丽娟", "美玲", "春梅", "冬梅", "翠萍", "凤英",
    "淑芬", "金凤", "彩霞", "晋芳", "润娥", "改娥", "俊英", "海燕", "喆",   "堃",   "淼",
    "燕",   "小芳", "思琪", "雨桐", "婉清", "月娥", "巧云", "爱琴", "艳",   "霞",   "丹"};
constexpr std::array<std::string_view, 8> kMinority = {
    "阿依古丽·买买提", "木合塔尔·艾力", "古丽娜尔·吐尔逊", "努尔兰·哈森",
    "热依拉·阿不都",   "巴特尔·其木格", "扎西·次仁",       "阿卜杜拉·艾山"};
constexpr std::array<std::string_view, 20> kVillageHeads = {
    "东", "西", "南", "北", "上", "下", "前", "后", "王", "李",
    "张", "赵", "杏", "柳", "石", "龙", "马", "青", "桃", "柏"};
constexpr std::array<std::string_view, 10> kVillageTails = {
    "庄村", "河村", "坪村", "沟村", "岭村", "峪村", "头村", "圪坨村", "窑村", "家岭村"};
constexpr std::array<std::string_view, 14> kSiteKinds = {
    "农民夜校", "乡镇党校", "培训点", "农民夜校",   "培训点",   "村级服务站", "农民夜校",
    "培训点",   "农民夜校", "培训点", "村级服务站", "农民夜校", "培训点",     "农民夜校"};

template <class A>
std::string_view pick(DemoRng& r, const A& a) {
  return a[r.below(a.size())];
}

std::string village(DemoRng& r) {
  return std::string(pick(r, kVillageHeads)) + std::string(pick(r, kVillageTails));
}

std::string phone(DemoRng& r) {
  constexpr std::array<std::string_view, 8> kPrefixes = {"135", "136", "138", "139",
                                                         "150", "152", "158", "187"};
  std::string p(pick(r, kPrefixes));
  for (int i = 0; i < 8; ++i) p += static_cast<char>('0' + r.below(10));
  return p;
}

std::vector<std::string> groups_for(DemoRng& r, int age, bool male) {
  std::vector<std::string> g;
  auto add = [&](int idx, int pct) {
    if (r.chance(pct)) g.emplace_back(kinds::kKeyGroups[idx]);
  };
  add(5, 35);                 // 农村转移就业劳动者
  add(1, 12);                 // 贫困劳动力
  if (age <= 22) add(4, 30);  // 两后生
  if (age <= 24) add(0, 10);  // 贫困家庭子女
  if (age >= 21 && age <= 25) add(3, 15), add(2, 10);
  if (male && age >= 22) add(8, 8);  // 退役军人
  if (age >= 35) add(6, 8), add(7, 5);
  add(9, 5);  // 就业困难人员
  return g;
}

}  // namespace

std::uint64_t DemoRng::next() {
  std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::span<const std::string_view> townships() {
  return kTownships;
}

std::vector<DemoPerson> people(std::uint64_t seed, std::size_t n, const CivilDate& on) {
  DemoRng r(seed);
  std::vector<DemoPerson> out;
  std::set<std::string> ids;
  std::int64_t today = days_from_civil(on);
  // Born between 60 years + 364 days ago and exactly 16 years ago.
  std::int64_t youngest =
      days_from_civil({on.year - 16, on.month, on.month == 2 && on.day == 29 ? 28 : on.day});
  std::int64_t oldest =
      days_from_civil({on.year - 61, on.month, on.month == 2 && on.day == 29 ? 28 : on.day}) + 1;
  while (out.size() < n) {
    CivilDate birth =
        civil_from_days(oldest + static_cast<std::int64_t>(r.below(youngest - oldest + 1)));
    bool male = r.chance(52);
    int seq = static_cast<int>(r.below(500)) * 2 + (male ? 1 : 0);
    std::string first17 =
        fmt::format("{}{:04}{:02}{:02}{:03}", kRegionCode, birth.year, birth.month, birth.day, seq);
    std::string id = first17 + id_check_char(first17);
    if (!ids.insert(id).second) continue;
    DemoPerson p;
    p.id_number = id;
    if (r.chance(2)) {
      p.name = std::string(pick(r, kMinority));
    } else {
      p.name = std::string(pick(r, kSurnames)) +
               std::string(male ? pick(r, kGivenMale) : pick(r, kGivenFemale));
    }
    p.township = std::string(pick(r, kTownships));
    p.village = village(r);
    if (r.chance(85)) p.phone = phone(r);
    int age = age_on(birth, civil_from_days(today));
    p.groups = groups_for(r, age, male);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<DemoSite> sites() {
  std::vector<DemoSite> out;
  for (std::size_t i = 0; i < kTownships.size(); ++i)
    out.push_back({fmt::format("site-{:02}", i + 1),
                   std::string(kTownships[i]) + std::string(kSiteKinds[i]),
                   std::string(kTownships[i])});
  return out;
}

std::vector<DemoStaff> staff(std::uint64_t seed) {
  DemoRng r(seed ^ 0x5157A1FULL);
  std::vector<DemoStaff> out;
  int n = 0;
  for (const auto& s : sites()) {
    for (std::string_view role : {"site_admin", "trainer", "trainer", "assessor"}) {
      bool male = r.chance(50);
      std::string name = std::string(pick(r, kSurnames)) +
                         std::string(male ? pick(r, kGivenMale) : pick(r, kGivenFemale));
      out.push_back({fmt::format("demo-staff-{:03}", ++n), name, std::string(role), s.id});
    }
  }
  return out;
}

}  // namespace chz::sync::demo
