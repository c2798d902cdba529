// Key files for the county content key: one line of hex, '#' comments
// allowed. NAME.key holds the 32-byte Ed25519 seed (0600), NAME.pub the
// public key.
#pragma once

#include <filesystem>
#include <string_view>

#include "common/crypto.h"

namespace chz::content {

// kNotFound if missing; kInvalidArgument unless it holds 32 bytes of hex.
Result<Key32> read_key_file(const std::filesystem::path& file);
Result<Key32> parse_key_hex(std::string_view text);
// Writes atomically with `mode`; refuses (kAlreadyExists) to overwrite.
Status write_key_file(const std::filesystem::path& file, const Key32& key, std::string_view comment,
                      unsigned mode);

}  // namespace chz::content
