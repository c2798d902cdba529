// Grading of objective questions. Pure functions; points are integers in
// hundredths ("x100") so sums and records stay exact.
//
// Rules (decided here, shown to trainers in the course help):
//  * 单选/判断: full points iff the answer is right.
//  * 多选 all-or-nothing: full points iff exactly the right set is chosen.
//    多选 partial credit: any wrong choice scores 0; a non-empty subset of the
//    right choices scores points x chosen/right (rounded down).
//  * 填空: each blank carries an equal share; a blank is right if its
//    normalised text equals a normalised accepted answer (normalise_fill).
//  * A blank (unanswered) question scores 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "content/model.h"

namespace chz::kiosk::exam {

// A trainee's answer, in ORIGINAL option indices (independent of shuffling).
struct Answer {
  std::vector<int> choices;         // 单选: one; 多选: sorted, distinct
  std::optional<bool> truth;        // 判断
  std::vector<std::string> blanks;  // 填空: one per blank ("" = left empty)
  bool empty() const;
  bool operator==(const Answer&) const = default;
};

// Stored form: {"c":[..]} / {"t":1} / {"b":[..]}; "" for an empty answer.
std::string answer_json(const Answer& a);
Result<Answer> parse_answer_json(std::string_view s);

// Full-width ASCII (ＡＢＣ１２３) to half-width, every kind of space removed
// (ASCII, U+3000 ideographic, NBSP), ASCII letters lower-cased.
std::string normalise_fill(std::string_view s);

// Points earned on one question worth `points_x100`.
std::int64_t grade(const content::Question& q, std::int64_t points_x100, const Answer& a,
                   bool multiple_partial_credit);

// earned / total scaled to 100, in hundredths, rounded half up. 0 if total is 0.
std::int64_t score_x100(std::int64_t earned_x100, std::int64_t total_x100);
// "86.5", "72", "66.67".
std::string format_score(std::int64_t x100);
// Parses "86.5" / "72" / "66.67" (0..100); kInvalidArgument otherwise.
Result<std::int64_t> parse_score(std::string_view s);

}  // namespace chz::kiosk::exam
