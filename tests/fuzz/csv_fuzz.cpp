// Question banks in CSV (UTF-8 or GB18030) (content/import.h); see import_fuzz.h.
#include "tests/fuzz/import_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chz::fuzz::check_import(chz::fuzz::as_view(data, size), chz::content::ImportFormat::kCsv,
                          "bank.csv");
  return 0;
}
