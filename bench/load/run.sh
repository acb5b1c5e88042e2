#!/usr/bin/env bash
# Load benchmark: thalamus node vs a Hardhat node and anvil, the same ERC-20 transfer script.
# Builds the CLI and installs the npm packages if needed (cli.sh), then runs run.mjs with the
# given options (see README.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/cli.sh"
exec node "$here/run.mjs" "$@"
