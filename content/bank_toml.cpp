#include "content/bank_toml.h"

#include <toml++/toml.h>

#include <cstdio>
#include <sstream>

#include "content/text_util.h"

namespace chz::content {

std::string toml_quote(std::string_view s) {
  std::string o = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        o += "\\\"";
        break;
      case '\\':
        o += "\\\\";
        break;
      case '\n':
        o += "\\n";
        break;
      case '\t':
        o += "\\t";
        break;
      case '\r':
        o += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          o += buf;
        } else {
          o.push_back(ch);
        }
    }
  }
  return o + "\"";
}

static std::string fmt_number(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return buf;
}

std::string write_bank_toml(const std::vector<Question>& bank) {
  std::ostringstream o;
  bool first = true;
  for (const auto& q : bank) {
    if (!first) o << "\n";
    first = false;
    o << "[[question]]\n";
    o << "id = " << toml_quote(q.id) << "\n";
    o << "type = " << toml_quote(question_type_name(q.type)) << "\n";
    o << "chapter = " << toml_quote(q.chapter) << "\n";
    o << "stem = " << toml_quote(q.stem) << "\n";
    switch (q.type) {
      case QuestionType::kSingle:
      case QuestionType::kMultiple: {
        o << "options = [";
        for (std::size_t i = 0; i < q.options.size(); ++i)
          o << (i ? ", " : "") << toml_quote(q.options[i]);
        o << "]\nanswer = " << toml_quote(answer_letters(q.correct)) << "\n";
        break;
      }
      case QuestionType::kTrueFalse:
        o << "answer = " << toml_quote(q.truth ? "对" : "错") << "\n";
        break;
      case QuestionType::kFill: {
        o << "blanks = [";
        for (std::size_t i = 0; i < q.blanks.size(); ++i) {
          o << (i ? ", " : "") << "[";
          for (std::size_t k = 0; k < q.blanks[i].size(); ++k)
            o << (k ? ", " : "") << toml_quote(q.blanks[i][k]);
          o << "]";
        }
        o << "]\n";
        break;
      }
    }
    o << "points = " << fmt_number(q.points) << "\n";
    if (!q.explanation.empty()) o << "explanation = " << toml_quote(q.explanation) << "\n";
    if (!q.image.empty()) o << "image = " << toml_quote(q.image) << "\n";
  }
  return o.str();
}

static Status question_from_table(const toml::table& t, Question* q) {
  auto str = [&](const char* k) { return t[k].value_or(std::string()); };
  q->id = str("id");
  if (q->id.empty()) return Error(Code::kInvalidArgument, "missing id");
  CHZ_ASSIGN_OR_RETURN(q->type, parse_question_type(str("type")));
  q->chapter = str("chapter");
  q->stem = str("stem");
  q->explanation = str("explanation");
  q->image = str("image");
  if (auto p = t["points"].value<double>()) q->points = *p;
  if (const auto* opts = t["options"].as_array()) {
    for (const auto& o : *opts) {
      auto v = o.value<std::string>();
      if (!v) return Error(Code::kInvalidArgument, "options must be strings");
      q->options.push_back(*v);
    }
  }
  std::string answer = str("answer");
  switch (q->type) {
    case QuestionType::kSingle:
    case QuestionType::kMultiple: {
      CHZ_ASSIGN_OR_RETURN(q->correct, parse_answer_letters(answer));
      break;
    }
    case QuestionType::kTrueFalse: {
      CHZ_ASSIGN_OR_RETURN(q->truth, parse_truth(answer));
      break;
    }
    case QuestionType::kFill: {
      const auto* blanks = t["blanks"].as_array();
      if (!blanks) return Error(Code::kInvalidArgument, "填空 needs blanks = [[...]]");
      for (const auto& b : *blanks) {
        const auto* alts = b.as_array();
        if (!alts)
          return Error(Code::kInvalidArgument, "each blank must be a list of accepted answers");
        std::vector<std::string> accepted;
        for (const auto& a : *alts) {
          auto v = a.value<std::string>();
          if (!v) return Error(Code::kInvalidArgument, "accepted answers must be strings");
          accepted.push_back(*v);
        }
        q->blanks.push_back(std::move(accepted));
      }
      break;
    }
  }
  return validate_question(*q);
}

Result<std::vector<Question>> parse_bank_toml(std::string_view text, std::string_view file_name) {
  toml::table root;
  try {
    root = toml::parse(text, std::string(file_name));
  } catch (const toml::parse_error& e) {
    std::ostringstream m;
    m << file_name << ":" << e.source().begin.line << ": " << e.description();
    return Error(Code::kInvalidArgument, m.str(), "content.source");
  }
  std::vector<Question> bank;
  std::string problems;
  const auto* arr = root["question"].as_array();
  if (!arr)
    return Error(Code::kInvalidArgument, std::string(file_name) + ": no [[question]] tables",
                 "content.source");
  std::size_t n = 0;
  for (const auto& node : *arr) {
    ++n;
    const auto* t = node.as_table();
    if (!t) continue;
    Question q;
    Status st = question_from_table(*t, &q);
    if (!st.ok()) {
      int line = static_cast<int>(t->source().begin.line);
      problems += std::string(file_name) + ":" + std::to_string(line) + ": question " +
                  (q.id.empty() ? "#" + std::to_string(n) : q.id) + ": " + st.message() + "\n";
      continue;
    }
    bank.push_back(std::move(q));
  }
  if (!problems.empty()) return Error(Code::kInvalidArgument, problems, "content.source");
  return bank;
}

}  // namespace chz::content
