# Sourced by the node benchmarks' run.sh: needs Node.js, installs bench/load's npm packages (ethers,
# Hardhat, and anvil from @foundry-rs/anvil) when missing, and builds the CLI in Release unless
# THALAMUS_CLI already points at a built thalamus.dll; exports THALAMUS_CLI.
load="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$load/../.." && pwd)"
command -v node >/dev/null || { echo "run.sh: Node.js is required" >&2; exit 2; }
if [ ! -d "$load/node_modules/hardhat" ] || [ ! -d "$load/node_modules/ethers" ] || [ ! -d "$load/node_modules/@foundry-rs/anvil" ]; then
  (cd "$load" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ -z "${THALAMUS_CLI:-}" ]; then
  out="${THALAMUS_BENCH_ARTIFACTS:-${TMPDIR:-/tmp}/thalamus-load-bench}"
  echo "run.sh: building src/Thalamus.Cli (Release) into $out" >&2
  dotnet build "$root/src/Thalamus.Cli/Thalamus.Cli.csproj" -c Release --nologo -v quiet --artifacts-path "$out" >&2
  THALAMUS_CLI="$out/bin/Thalamus.Cli/release/thalamus.dll"
fi
export THALAMUS_CLI
