#include "app/ctl/ctl.h"

namespace chz::ctl {

void add_sync_commands(CLI::App& app, Context& ctx) {
  (void)app;
  (void)ctx;
}

}  // namespace chz::ctl
