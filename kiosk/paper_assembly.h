// Exam papers: drawing a paper from a course's bank by its blueprint, and
// the stored form of a drawn paper. A paper keeps a full snapshot of every
// drawn question and its option order, so the same paper shows (and is
// graded) the same way after a restart or a content update.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "content/model.h"

namespace chz::kiosk::exam {

struct PaperItem {
  content::Question q;     // the question as drawn (snapshot)
  std::vector<int> order;  // display position -> original option index (单选/多选); else empty
  std::int64_t points_x100 = 0;  // points of this item on this paper, in hundredths
};

struct Paper {
  std::string course_id;
  std::int64_t content_version = 0;
  std::vector<PaperItem> items;  // in the order shown
  std::int64_t total_x100() const;
};

// A blueprint item the bank cannot fill.
struct Shortfall {
  content::QuestionType type;
  std::string chapter;  // "" = any chapter
  int needed = 0;
  int available = 0;
};
// Every shortfall of `c`'s bank against its blueprint. Items naming a chapter
// are served first; "any chapter" items draw from what remains.
std::vector<Shortfall> blueprint_shortfalls(const content::Course& c);
// kFailedPrecondition (key "exam.bank_shortfall") listing each shortfall in
// Chinese and English; also refuses an empty blueprint or zero total points.
Status check_blueprint(const content::Course& c);

// Draws a paper: per blueprint item, `count` distinct questions of its type
// (and chapter), shuffled within the item; options of 单选/多选 shuffled.
// Deterministic for a given (course, seed). Refuses a shortfall (above).
Result<Paper> draw_paper(const content::Course& c, std::uint64_t seed);

// A question as stored with an attempt (JSON object) and back.
std::string question_json(const content::Question& q);
Result<content::Question> parse_question_json(std::string_view json);
// Option order as stored: "2,0,3,1" ("" when none).
std::string order_text(const std::vector<int>& order);
Result<std::vector<int>> parse_order_text(std::string_view s, std::size_t option_count);

// A small seeded generator (SplitMix64), portable across libraries so the
// same seed draws the same paper everywhere.
class PaperRng {
 public:
  explicit PaperRng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next();
  // Uniform in [0, n), n > 0.
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t s_;
};

}  // namespace chz::kiosk::exam
