// Lesson Markdown as a course package carries it: the kiosk's reader
// (app/ui/markdown.h, md4c; compiled in from app/ui/markdown.cpp, which
// needs no UI) and content's image scan (markdown_images), which decides
// which media a lesson needs. Neither may crash, hang or read out of
// bounds on any text; the scan never reports an empty path.
#include <algorithm>
#include <string>

#include "app/ui/markdown.h"
#include "content/source.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  auto blocks = app::parse_markdown(in);
  (void)app::speakable_text(blocks);
  auto images = content::markdown_images(in);
  for (const auto& p : images) FUZZ_CHECK(!p.empty());
  return 0;
}
