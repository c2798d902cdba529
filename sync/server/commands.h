// chizheng-server's command line: init, serve, site, staff, class, session,
// enrol, code, revoke, upstream, forward, verify-certificate, publish, demo-seed,
// import-bundle, export-site-bundle, cert, registry, report, roster, stats,
// reproject, user, audit, routes, faults. `--help` lists them; global
// options (--data, --db, --log-level) go on either side of the subcommand.
#pragma once

namespace chz::server {

// Runs the command line; returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace chz::server
