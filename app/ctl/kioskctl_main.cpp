// chizheng-kioskctl: thin main; the commands live in app/ctl/ctl_*.cpp.
#include "app/ctl/ctl.h"
#include "common/version.h"

int main(int argc, char** argv) {
  CLI::App app{"chizheng-kioskctl: administer a Chizheng (持证) kiosk's encrypted store"};
  app.set_version_flag("--version", chz::version_text("chizheng-kioskctl"));
  app.require_subcommand(1);
  app.fallthrough();  // global options after the subcommand too
  chz::ctl::Context ctx;
  app.add_option("--data", ctx.data, "kiosk data folder (store, key, content)")
      ->capture_default_str();
  chz::ctl::add_store_commands(app, ctx);
  chz::ctl::add_domain_commands(app, ctx);
  chz::ctl::add_exam_commands(app, ctx);
  chz::ctl::add_sync_commands(app, ctx);
  chz::ctl::add_content_commands(app, ctx);
  CLI11_PARSE(app, argc, argv);
  return ctx.exit_code;
}
