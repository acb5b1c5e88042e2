#!/usr/bin/env bash
# Builds and runs every test project (Release, as the conformance suites are CPU-bound),
# then closes with one line: 'tests: N passed, M failed, K skipped'.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet build Thalamus.slnx -c Release --nologo -v quiet 2>&1 | tail -n 30
build=${PIPESTATUS[0]}
if [ "$build" != 0 ]; then echo "tests: 0 passed, 1 failed, 0 skipped (build failed)"; exit 1; fi
dotnet test Thalamus.slnx -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# dotnet test prints one 'Failed: a, Passed: b, Skipped: c, Total: d' line per project.
read -r passed failed skipped < <(grep -Eo 'Failed: *[0-9]+, Passed: *[0-9]+, Skipped: *[0-9]+' "$log" \
  | awk -F'[:,] *' '{f+=$2; p+=$4; s+=$6} END {print p+0, f+0, s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$rc" = 0 ] && [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
