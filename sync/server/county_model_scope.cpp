#include "sync/server/county_model_scope.h"

#include <nlohmann/json.hpp>

#include <cctype>

#include "sync/protocol/record_kinds.h"

namespace chz::server::model {
namespace k = sync::kinds;
using nlohmann::json;

namespace {

// The length of the leading run of "<6 digits>/" segments of `s` (a city
// holds "140521/site-a"; a province "140500/140521/site-a").
std::size_t area_prefix(std::string_view s) {
  std::size_t n = 0;
  while (s.size() >= n + 7 && s[n + 6] == '/') {
    for (std::size_t i = n; i < n + 6; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return n;
    n += 7;
  }
  return n;
}

void prefix_field(json& body, const char* field, const std::string& scope) {
  auto it = body.find(field);
  if (it != body.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
    *it = scope + it->get<std::string>();
}

void prefix_list(json& body, const char* field, const std::string& scope) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_array()) return;
  for (auto& x : *it)
    if (x.is_string()) x = scope + x.get<std::string>();
}

// "kind:id" with id scoped; an enrolment's id is "<class>:<person>", both
// county-local.
std::string scoped_entity(const std::string& entity, const std::string& scope) {
  std::string_view kind = k::entity_kind(entity), id = k::entity_id(entity);
  if (kind.empty()) return entity;
  if (kind == k::kEnrolment) {
    auto c = id.find(':');
    if (c != std::string_view::npos)
      return k::entity(
          kind, scope + std::string(id.substr(0, c)) + ":" + scope + std::string(id.substr(c + 1)));
  }
  return k::entity(kind, scope + std::string(id));
}

}  // namespace

std::string record_scope(std::string_view site, std::string_view origin) {
  constexpr std::string_view kCounty = "county-";
  if (origin.substr(0, kCounty.size()) == kCounty) {
    std::string area(origin.substr(kCounty.size()));
    return area + "/";
  }
  return std::string(site.substr(0, area_prefix(site)));
}

void scope_ids(std::string_view kind, json& body, const std::string& scope) {
  if (auto e = body.find("entity"); e != body.end() && e->is_string())
    *e = scoped_entity(e->get<std::string>(), scope);
  for (const char* f : {"person", "class", "course", "session", "site"})
    prefix_field(body, f, scope);
  if (kind == k::kRosterConfirm)
    for (const char* f : {"present", "credit_to_close", "no_checkout"}) prefix_list(body, f, scope);
}

std::string scoped_uuid(const std::string& uuid, std::string_view origin,
                        const std::string& scope) {
  if (scope.empty() || origin.substr(0, 7) != "county-") return uuid;
  return scope + uuid;
}

}  // namespace chz::server::model
