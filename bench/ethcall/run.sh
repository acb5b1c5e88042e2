#!/usr/bin/env bash
# eth_call speed: the evm-benchmarks programs through JSON-RPC on thalamus node and anvil, one run.
# Builds the CLI in Release (unless THALAMUS_CLI points at a built thalamus.dll), installs
# bench/load's npm packages (anvil comes from @foundry-rs/anvil there) if needed, then runs run.mjs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
load="$root/bench/load"

command -v node >/dev/null || { echo "run.sh: Node.js is required" >&2; exit 2; }
if [ ! -d "$load/node_modules/@foundry-rs/anvil" ]; then
  (cd "$load" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ -z "${THALAMUS_CLI:-}" ]; then
  out="${THALAMUS_BENCH_ARTIFACTS:-${TMPDIR:-/tmp}/thalamus-load-bench}"
  echo "run.sh: building src/Thalamus.Cli (Release) into $out" >&2
  dotnet build "$root/src/Thalamus.Cli/Thalamus.Cli.csproj" -c Release --nologo -v quiet --artifacts-path "$out" >&2
  THALAMUS_CLI="$out/bin/Thalamus.Cli/release/thalamus.dll"
fi
export THALAMUS_CLI
exec node "$here/run.mjs" "$@"
