// chizheng-server's command line: init, serve, site, staff, class, session,
// enrol, code, revoke, publish, demo-seed, import-bundle,
// export-site-bundle, cert, registry, report, stats, reproject, faults.
// `--help`
// lists them.
#pragma once

namespace chz::server {

// Runs the command line; returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace chz::server
