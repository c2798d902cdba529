// chizheng-kiosk: the kiosk UI. Thin: options, then app/ui/run.h.
#include "app/ui/run.h"

int main(int argc, char** argv) {
  return chz::app::kiosk_main(argc, argv);
}
