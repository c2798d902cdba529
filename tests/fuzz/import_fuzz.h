// The question-bank importers (content/import.h) as a bureau's file meets
// them: import_bytes, strict and with skip_bad. Shared by gift_fuzz,
// aiken_fuzz, csv_fuzz and xlsx_fuzz (one format each, so each keeps a
// corpus of its own). Every imported bank must survive the package's bank
// encoding (bank_to_json, bank_from_json) unchanged, as `chizheng-content
// build` will put it there.
#pragma once

#include <string>

#include "content/import.h"
#include "content/json_codec.h"
#include "tests/fuzz/fuzz_util.h"

namespace chz::fuzz {

inline void check_import(std::string_view bytes, content::ImportFormat format,
                         std::string_view file_name) {
  for (bool skip : {false, true}) {
    content::ImportOptions o;
    o.skip_bad = skip;
    o.default_chapter = "未分章";
    auto r = content::import_bytes(bytes, file_name, format, o);
    if (!r.ok()) {
      FUZZ_CHECK(r.questions.empty());
      for (const auto& e : r.errors) (void)content::to_string(e);
      continue;
    }
    std::string json = content::bank_to_json(r.questions);
    auto back = content::bank_from_json(json);
    FUZZ_CHECK(back.ok());
    FUZZ_CHECK(content::bank_to_json(*back) == json);
    for (const auto& q : r.questions) FUZZ_CHECK(!q.id.empty());
  }
}

}  // namespace chz::fuzz
