#!/usr/bin/env bash
# The compatibility suite: the clients people already use, unchanged, against the real
# `strata-localnet` binary. The TypeScript clients (installed with `npm ci` on first run
# or when package-lock.json changed), then Python `solana` + `solders`, installed with
# pip into a virtual environment kept outside the checkout (one per requirements file
# and Python version, so repeated runs skip the install).
set -euo pipefail
compat="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$compat/../../.." && pwd)"
cd "$root"
export RUST_LOG="${RUST_LOG:-error}"

cargo build --locked --quiet -p strata-localnet --bin strata-localnet

source scripts/app-deps.sh
app_deps "$compat"
(cd "$compat" && npm run --silent typecheck && npm test)

python="${PYTHON:-python3}"
key="$( (cat "$compat/python/requirements.txt"; "$python" --version) | sha256sum | cut -c1-16)"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/strata-localnet-compat/venv-$key"
# The marker is written last: an install cut short is started again, not trusted.
if [ ! -f "$venv/.installed" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$compat/python/requirements.txt"
  touch "$venv/.installed"
fi
(cd "$compat/python" && "$venv/bin/python" -m unittest -v test_clients)
