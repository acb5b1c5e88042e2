#!/usr/bin/env bash
# eth_call speed: the evm-benchmarks programs through JSON-RPC on thalamus node and anvil, one run.
# Builds the CLI and installs bench/load's npm packages (anvil among them) if needed, then runs run.mjs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../load/cli.sh"
exec node "$here/run.mjs" "$@"
