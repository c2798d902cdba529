// The keys of the kiosk store's settings table (Store::setting /
// set_setting), in one place. A key is part of the store's format: never
// rename one without a migration.
#pragma once

#include <string_view>

namespace chz::kiosk::settings {

// Spoken prompts on trainee screens: "on" (default when unset) or "off".
inline constexpr std::string_view kVoicePrompts = "voice.prompts";
// Speech volume, "0".."100" (default 80).
inline constexpr std::string_view kVoiceVolume = "voice.volume";

}  // namespace chz::kiosk::settings
