#!/usr/bin/env bash
# Regenerates everything in app/ that is derived from the Rust sources:
#   idl/strata.json        the Anchor IDL (program built with `idl-build`, no Solana toolchain)
#   src/generated/         the Codama client for @solana/kit, rendered from that IDL, and
#                          events.ts, the event decoders (scripts/render-events.ts)
#   test/vectors/core.json the test vectors the real strata-core functions write
#   test/vectors/pyth.json Pyth accounts and what the program's reader makes of them
#
# Usage: scripts/generate.sh [OUT]   (OUT defaults to app/; check-generated.sh passes a
# temporary directory and compares). Needs `npm ci` to have run in app/.
set -euo pipefail
APP="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$APP/.." && pwd)"
OUT="$(mkdir -p "${1:-$APP}" && cd "${1:-$APP}" && pwd)"

# The shared, warm target directory; solana-program-test logs at debug level otherwise.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/strata-target}"
export RUST_LOG="${RUST_LOG:-error}"

if [ ! -d "$APP/node_modules/@codama/renderers-js" ]; then
  echo "generate: run 'npm ci' in app/ first" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$OUT/idl" "$OUT/test/vectors"

cd "$ROOT"
echo "generate: IDL (cargo test -p strata --features idl-build)" >&2
cargo test --locked -p strata --features idl-build --lib __anchor_private_print_idl \
  -- --show-output --quiet >"$tmp/idl-build.txt"
cargo run --locked --quiet -p strata-sim --bin idl -- "$tmp/idl-build.txt" >"$tmp/strata.json"
mv "$tmp/strata.json" "$OUT/idl/strata.json"

echo "generate: test vectors (cargo run -p strata-sim --bin write-vectors)" >&2
cargo run --locked --quiet -p strata-sim --bin write-vectors >"$tmp/core.json"
mv "$tmp/core.json" "$OUT/test/vectors/core.json"

echo "generate: Pyth vectors (cargo run -p strata-sim --bin write-pyth-vectors)" >&2
cargo run --locked --quiet -p strata-sim --bin write-pyth-vectors >"$tmp/pyth.json"
mv "$tmp/pyth.json" "$OUT/test/vectors/pyth.json"

echo "generate: Codama client" >&2
cd "$APP"
npx --no-install tsx scripts/render-client.ts "$OUT/idl/strata.json" "$OUT/src/generated"
npx --no-install tsx scripts/render-events.ts "$OUT/idl/strata.json" "$OUT/src/generated/events.ts"
