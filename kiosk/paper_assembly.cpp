#include "kiosk/paper_assembly.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

namespace chz::kiosk::exam {

using content::Question;
using content::QuestionType;
using nlohmann::json;

std::int64_t Paper::total_x100() const {
  std::int64_t t = 0;
  for (const auto& i : items) t += i.points_x100;
  return t;
}

std::uint64_t PaperRng::next() {
  std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t PaperRng::below(std::uint64_t n) {
  // Lemire's multiply-shift; the tiny bias is irrelevant for shuffling.
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
}

namespace {

template <class T>
void shuffle(std::vector<T>& v, PaperRng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

bool matches(const Question& q, const content::BlueprintItem& it) {
  return q.type == it.type && (it.chapter.empty() || q.chapter == it.chapter);
}

// Blueprint items in serving order: chapter-specific first, then "any".
std::vector<std::size_t> serving_order(const content::Blueprint& b) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < b.items.size(); ++i)
    if (!b.items[i].chapter.empty()) out.push_back(i);
  for (std::size_t i = 0; i < b.items.size(); ++i)
    if (b.items[i].chapter.empty()) out.push_back(i);
  return out;
}

std::int64_t to_x100(double points) {
  return static_cast<std::int64_t>(std::llround(points * 100));
}

}  // namespace

std::vector<Shortfall> blueprint_shortfalls(const content::Course& c) {
  std::vector<Shortfall> out;
  std::set<std::string> used;
  for (std::size_t idx : serving_order(c.blueprint)) {
    const auto& it = c.blueprint.items[idx];
    int avail = 0;
    for (const auto& q : c.bank) {
      if (!matches(q, it) || used.count(q.id)) continue;
      if (avail < it.count) used.insert(q.id);
      ++avail;
    }
    if (avail < it.count) out.push_back({it.type, it.chapter, it.count, avail});
  }
  return out;
}

Status check_blueprint(const content::Course& c) {
  std::int64_t total = 0;
  for (const auto& it : c.blueprint.items) total += it.count * to_x100(it.points_each);
  if (c.blueprint.items.empty() || total <= 0)
    return Status(
        Code::kFailedPrecondition,
        fmt::format("course {}: the exam blueprint draws no questions or is worth 0 points", c.id),
        "exam.bank_shortfall");
  auto sf = blueprint_shortfalls(c);
  if (sf.empty()) return OkStatus();
  std::string msg =
      fmt::format("题库不足 / question bank too small for the blueprint of course {}:", c.id);
  for (const auto& s : sf)
    msg +=
        fmt::format(" {}·{} 需要 {} 道, 题库只有 {} 道 (needs {}, has {});",
                    content::question_type_name(s.type), s.chapter.empty() ? "任意章节" : s.chapter,
                    s.needed, s.available, s.needed, s.available);
  return Status(Code::kFailedPrecondition, msg, "exam.bank_shortfall");
}

Result<Paper> draw_paper(const content::Course& c, std::uint64_t seed) {
  CHZ_TRY(check_blueprint(c));
  PaperRng rng(seed);
  std::vector<std::vector<PaperItem>> groups(c.blueprint.items.size());
  std::set<std::string> used;
  for (std::size_t idx : serving_order(c.blueprint)) {
    const auto& it = c.blueprint.items[idx];
    std::vector<const Question*> pool;
    for (const auto& q : c.bank)
      if (matches(q, it) && !used.count(q.id)) pool.push_back(&q);
    // Partial Fisher-Yates: the first `count` entries are the draw.
    for (int i = 0; i < it.count; ++i) {
      std::size_t j = i + rng.below(pool.size() - i);
      std::swap(pool[i], pool[j]);
      const Question& q = *pool[i];
      used.insert(q.id);
      PaperItem pi;
      pi.q = q;
      pi.points_x100 = it.points_each > 0 ? to_x100(it.points_each) : to_x100(q.points);
      if (q.type == QuestionType::kSingle || q.type == QuestionType::kMultiple) {
        pi.order.resize(q.options.size());
        for (std::size_t k = 0; k < pi.order.size(); ++k) pi.order[k] = static_cast<int>(k);
        shuffle(pi.order, rng);
      }
      groups[idx].push_back(std::move(pi));
    }
  }
  Paper p;
  p.course_id = c.id;
  p.content_version = c.version;
  for (auto& g : groups)
    for (auto& pi : g) p.items.push_back(std::move(pi));
  return p;
}

std::string question_json(const Question& q) {
  json j = {{"id", q.id},
            {"type", std::string(content::question_type_name(q.type))},
            {"chapter", q.chapter},
            {"stem", q.stem},
            {"options", q.options},
            {"correct", q.correct},
            {"truth", q.truth ? 1 : 0},
            {"blanks", q.blanks},
            {"points_x100", to_x100(q.points)},
            {"explanation", q.explanation},
            {"image", q.image}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Question> parse_question_json(std::string_view text) {
  try {
    json j = json::parse(text);
    Question q;
    q.id = j.at("id").get<std::string>();
    std::string t = j.at("type").get<std::string>();
    if (t == "单选")
      q.type = QuestionType::kSingle;
    else if (t == "多选")
      q.type = QuestionType::kMultiple;
    else if (t == "判断")
      q.type = QuestionType::kTrueFalse;
    else if (t == "填空")
      q.type = QuestionType::kFill;
    else
      return Status(Code::kCorrupt, "stored question has an unknown type");
    q.chapter = j.at("chapter").get<std::string>();
    q.stem = j.at("stem").get<std::string>();
    q.options = j.at("options").get<std::vector<std::string>>();
    q.correct = j.at("correct").get<std::vector<int>>();
    q.truth = j.at("truth").get<int>() != 0;
    q.blanks = j.at("blanks").get<std::vector<std::vector<std::string>>>();
    q.points = j.at("points_x100").get<std::int64_t>() / 100.0;
    q.explanation = j.at("explanation").get<std::string>();
    q.image = j.at("image").get<std::string>();
    return q;
  } catch (const std::exception& e) {
    return Status(Code::kCorrupt, std::string("stored question is damaged: ") + e.what());
  }
}

std::string order_text(const std::vector<int>& order) {
  std::string s;
  for (std::size_t i = 0; i < order.size(); ++i) s += (i ? "," : "") + std::to_string(order[i]);
  return s;
}

Result<std::vector<int>> parse_order_text(std::string_view s, std::size_t option_count) {
  std::vector<int> out;
  std::vector<bool> seen(option_count, false);
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = s.find(',', i);
    if (j == std::string_view::npos) j = s.size();
    int v = 0;
    if (j == i) return Status(Code::kCorrupt, "stored option order is damaged");
    for (std::size_t k = i; k < j; ++k) {
      if (s[k] < '0' || s[k] > '9') return Status(Code::kCorrupt, "stored option order is damaged");
      v = v * 10 + (s[k] - '0');
    }
    if (static_cast<std::size_t>(v) >= option_count || seen[v])
      return Status(Code::kCorrupt, "stored option order does not fit the question");
    seen[v] = true;
    out.push_back(v);
    i = j + 1;
  }
  if (out.size() != option_count && !(out.empty() && s.empty()))
    return Status(Code::kCorrupt, "stored option order does not fit the question");
  return out;
}

}  // namespace chz::kiosk::exam
