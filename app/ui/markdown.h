// Lesson Markdown (CommonMark via md4c) flattened into blocks the lesson
// reader draws in large type: headings, paragraphs, list items, images.
// Pure code, no ImGui.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chz::app {

struct MdBlock {
  enum Kind { kHeading, kParagraph, kListItem, kImage, kQuote } kind = kParagraph;
  int level = 0;     // heading level
  std::string text;  // plain text (inline marks dropped); image: its path
};

// Never fails: text md4c cannot parse comes back as paragraphs.
std::vector<MdBlock> parse_markdown(std::string_view md);
// The text to read aloud (headings and paragraphs, no image paths).
std::string speakable_text(const std::vector<MdBlock>& blocks);

}  // namespace chz::app
