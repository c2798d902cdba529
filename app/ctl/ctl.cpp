#include "app/ctl/ctl.h"

#include <iostream>

namespace chz::ctl {

void Context::fail(const Status& st) {
  std::cerr << "error: " << st.to_string() << "\n";
  exit_code = st.code() == Code::kInvalidArgument ? 2 : 1;
}

void on_run(CLI::App* sub, Context& ctx, std::function<Status()> fn) {
  sub->callback([&ctx, fn = std::move(fn)] {
    Status st = fn();
    if (!st.ok()) ctx.fail(st);
  });
}

}  // namespace chz::ctl
