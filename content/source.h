// A course source folder (content/courses/<id>/, format in
// content/courses/README.md) read into the model, ready to package.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "content/model.h"

namespace chz::content {

struct SourceCourse {
  Course course;
  // Package path ("media/hive.png") -> bytes, PNG or JPEG only.
  std::map<std::string, std::string> media;
};

// Reads course.toml, lessons/NN-*.md (in NN order; first line "# 标题"),
// bank.toml and media/. Checks every image a lesson or question names is
// present. kInvalidArgument listing every problem found, one per line, each
// naming its file. Does not run validate_for_publish (build does).
Result<SourceCourse> read_source(const std::filesystem::path& dir);
// Image paths a Markdown text references (![..](path)), normalised to the
// package form: "../media/a.png" and "./media/a.png" become "media/a.png".
std::vector<std::string> markdown_images(std::string_view md);
// True for PNG or JPEG magic bytes.
bool is_png_or_jpeg(std::string_view bytes);

}  // namespace chz::content
