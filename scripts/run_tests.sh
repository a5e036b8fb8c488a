#!/usr/bin/env bash
# Run the whole suite. pytest exits 5 when it collected nothing: that is a failure here,
# never a pass, so a broken test layout cannot look green.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "run_tests: pytest collected no tests; treating that as a failure" >&2
  exit 1
fi
exit "$status"
