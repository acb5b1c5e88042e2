#!/usr/bin/env bash
# Load benchmark: thalamus node vs a Hardhat node and anvil, the same ERC-20 transfer script.
# Builds the CLI in Release (unless THALAMUS_CLI points at a built thalamus.dll), installs the
# npm packages if needed, then runs run.mjs with the given options (see README.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

command -v node >/dev/null || { echo "run.sh: Node.js is required" >&2; exit 2; }
if [ ! -d "$here/node_modules/hardhat" ] || [ ! -d "$here/node_modules/ethers" ] || [ ! -d "$here/node_modules/@foundry-rs/anvil" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ -z "${THALAMUS_CLI:-}" ]; then
  out="${THALAMUS_BENCH_ARTIFACTS:-${TMPDIR:-/tmp}/thalamus-load-bench}"
  echo "run.sh: building src/Thalamus.Cli (Release) into $out" >&2
  dotnet build "$root/src/Thalamus.Cli/Thalamus.Cli.csproj" -c Release --nologo -v quiet --artifacts-path "$out" >&2
  THALAMUS_CLI="$out/bin/Thalamus.Cli/release/thalamus.dll"
fi
export THALAMUS_CLI
exec node "$here/run.mjs" "$@"
