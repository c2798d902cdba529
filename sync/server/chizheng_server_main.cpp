// chizheng-server: the county server. Commands live in commands.cpp.
#include "sync/server/commands.h"

int main(int argc, char** argv) {
  return chz::server::run_cli(argc, argv);
}
