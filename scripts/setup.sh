#!/usr/bin/env bash
# Installs what Thalamus needs beyond the .NET SDK, idempotently: Debian's libsecp256k1
# (signature recovery through P/Invoke) and, where present, the npm packages of the
# contracts toolchain and the client tests. apt is retried once, as mirrors flake.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

apt_install() {
  local attempt
  for attempt in 1 2; do
    if as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; then return 0; fi
    echo "setup: apt-get failed (attempt $attempt), retrying once" >&2
    sleep 3
  done
  echo "setup: could not install $* with apt-get" >&2
  return 1
}

# grep reads all of ldconfig's output (no -q): with pipefail, an early exit would SIGPIPE ldconfig
# and make the check fail, running apt-get for nothing.
if ! ldconfig -p 2>/dev/null | grep 'libsecp256k1\.so\.1' >/dev/null; then
  echo "setup: installing libsecp256k1-1" >&2
  apt_install libsecp256k1-1
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2
  exit 1
fi

# npm packages: each folder with a package.json is installed once per lock change.
for dir in "$here/contracts" "$here/tests/Thalamus.Integration.Tests/js" "$here/bench/load"; do
  [ -f "$dir/package.json" ] || continue
  stamp="$dir/node_modules/.thalamus-installed"
  if [ ! -f "$stamp" ] || [ "$dir/package.json" -nt "$stamp" ] || { [ -f "$dir/package-lock.json" ] && [ "$dir/package-lock.json" -nt "$stamp" ]; }; then
    command -v npm >/dev/null || { echo "setup: npm is required for $dir" >&2; exit 1; }
    echo "setup: npm install in ${dir#$here/}" >&2
    (cd "$dir" && { npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; })
    touch "$stamp"
  fi
done
