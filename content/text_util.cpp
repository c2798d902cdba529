#include "content/text_util.h"

#include <iconv.h>

#include <cerrno>

namespace chz::content {

static bool is_ws_at(std::string_view s, std::size_t i, std::size_t* len) {
  char c = s[i];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return *len = 1, true;
  if (s.substr(i, 3) == "\xE3\x80\x80") return *len = 3, true;  // U+3000
  return false;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, len = 0;
  while (b < s.size() && is_ws_at(s, b, &len)) b += len;
  std::size_t e = s.size();
  while (e > b) {
    if (is_ws_at(s, e - 1, &len) && len == 1) {
      --e;
      continue;
    }
    if (e >= b + 3 && s.substr(e - 3, 3) == "\xE3\x80\x80") {
      e -= 3;
      continue;
    }
    break;
  }
  return std::string(s.substr(b, e - b));
}

std::string fold_fullwidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xEF && i + 2 < s.size()) {
      // U+FF01..U+FF5E: EF BC 81..BF, EF BD 80..9E
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      auto c2 = static_cast<unsigned char>(s[i + 2]);
      unsigned cp = ((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        out.push_back(static_cast<char>(cp - 0xFF01 + 0x21));
        i += 3;
        continue;
      }
    }
    if (s.substr(i, 3) == "\xE3\x80\x80") {  // ideographic space
      out.push_back(' ');
      i += 3;
      continue;
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

static Result<std::string> convert(std::string_view s, const char* to, const char* from) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1))
    return Error(Code::kInternal, std::string("iconv cannot convert ") + from + " to " + to);
  std::string out(s.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(s.data());
  std::size_t in_left = s.size();
  char* op = out.data();
  std::size_t out_left = out.size();
  Status st;
  while (in_left > 0) {
    std::size_t rc = iconv(cd, &in, &in_left, &op, &out_left);
    if (rc != static_cast<std::size_t>(-1)) continue;
    if (errno == E2BIG) {
      std::size_t used = static_cast<std::size_t>(op - out.data());
      out.resize(out.size() * 2);
      op = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    st = Error(Code::kInvalidArgument,
               "not valid " + std::string(from) + " at byte " + std::to_string(s.size() - in_left));
    break;
  }
  iconv_close(cd);
  if (!st.ok()) return st;
  out.resize(static_cast<std::size_t>(op - out.data()));
  return out;
}

Result<std::string> gb18030_to_utf8(std::string_view s) {
  return convert(s, "UTF-8", "GB18030");
}

std::string utf8_to_gb18030_or_empty(std::string_view s) {
  auto r = convert(s, "GB18030", "UTF-8");
  return r.ok() ? *r : std::string();
}

std::vector<std::string> split_any(std::string_view s, const std::vector<std::string_view>& seps) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < s.size();) {
    bool hit = false;
    for (auto sep : seps) {
      if (!sep.empty() && s.substr(i, sep.size()) == sep) {
        out.push_back(cur);
        cur.clear();
        i += sep.size();
        hit = true;
        break;
      }
    }
    if (!hit) cur.push_back(s[i++]);
  }
  out.push_back(cur);
  return out;
}

Result<std::vector<int>> parse_answer_letters(std::string_view in) {
  std::string s = fold_fullwidth(in);
  std::vector<int> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c >= 'A' && c <= 'F') {
      out.push_back(c - 'A');
    } else if (c == ',' || c == ' ' || c == ';' || c == '\t') {
      continue;
    } else if (s.substr(i, 3) == "、") {
      i += 2;
    } else {
      return Error(Code::kInvalidArgument, "answer \"" + std::string(in) + "\" is not letters A-F");
    }
  }
  if (out.empty()) return Error(Code::kInvalidArgument, "answer is empty");
  return out;
}

std::string answer_letters(const std::vector<int>& idx) {
  std::string s;
  for (int i : idx) s.push_back(static_cast<char>('A' + i));
  return s;
}

Result<bool> parse_truth(std::string_view in) {
  std::string s = trim(fold_fullwidth(in));
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (std::string_view t : {"对", "正确", "√", "✓", "✔", "t", "true", "是", "y", "yes"})
    if (s == t) return true;
  for (std::string_view f : {"错", "错误", "×", "✗", "✘", "x", "f", "false", "否", "n", "no"})
    if (s == f) return false;
  return Error(Code::kInvalidArgument, "answer \"" + std::string(in) + "\" is not 对/错");
}

std::string normalise_blanks(std::string_view stem) {
  std::string out;
  for (std::size_t i = 0; i < stem.size();) {
    if (stem[i] == '_') {
      std::size_t j = i;
      while (j < stem.size() && stem[j] == '_') ++j;
      if (j - i >= 3) {
        out += "____";
        i = j;
        continue;
      }
    }
    // （ ） or ( ) holding only spaces: a blank in bureau spreadsheets.
    for (auto [open, close] :
         {std::pair<std::string_view, std::string_view>{"（", "）"}, {"(", ")"}}) {
      if (stem.substr(i, open.size()) == open) {
        std::size_t j = i + open.size(), len = 0;
        std::size_t spaces = 0;
        while (j < stem.size() && is_ws_at(stem, j, &len)) j += len, ++spaces;
        if (spaces > 0 && stem.substr(j, close.size()) == close) {
          out += "____";
          i = j + close.size();
          goto next;
        }
      }
    }
    out.push_back(stem[i++]);
  next:;
  }
  return out;
}

std::size_t count_blanks(std::string_view stem) {
  std::size_t n = 0;
  for (std::size_t p = stem.find("____"); p != std::string_view::npos; p = stem.find("____", p)) {
    ++n;
    while (p < stem.size() && stem[p] == '_') ++p;
  }
  return n;
}

}  // namespace chz::content
