#include "sync/protocol/record_kinds.h"

namespace chz::sync::kinds {

bool is_fact(std::string_view k) { return !is_mutable(k) && k != kTombstone; }

bool is_mutable(std::string_view k) {
  return k == kPerson || k == kStaff || k == kCourse || k == kClass || k == kSession ||
         k == kEnrolment;
}

std::string_view entity_kind(std::string_view e) {
  auto c = e.find(':');
  return c == std::string_view::npos ? std::string_view{} : e.substr(0, c);
}

std::string_view entity_id(std::string_view e) {
  auto c = e.find(':');
  return c == std::string_view::npos ? std::string_view{} : e.substr(c + 1);
}

std::string entity(std::string_view kind, std::string_view id) {
  std::string s(kind);
  s += ':';
  s += id;
  return s;
}

}  // namespace chz::sync::kinds
