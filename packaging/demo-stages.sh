# Later stages of packaging/demo, each run only when its parts exist.
# Sourced by packaging/demo (variables: root build demo kdata port, helpers
# say/have, the binaries' paths, pids for cleanup).
run_demo_stages() {
  :
}
