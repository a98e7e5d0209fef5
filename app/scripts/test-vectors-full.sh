#!/usr/bin/env bash
# Runs the vector-consuming tests over the full seeded set (about 15 MB, never
# committed): `write-vectors --share 1` writes every case of which the committed
# test/vectors/core.json keeps a sample. First checks that the full set covers what
# test/vectors/coverage.txt lists (every function, error name and output kind, and the
# tests that read them: scripts/vector-coverage.ts) and that the sample covers as much.
# A change that covers more updates coverage.txt with the script's output.
set -euo pipefail
APP="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$APP/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/strata-target}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$ROOT" && cargo run --locked --quiet -p strata-sim --bin write-vectors -- --share 1 >"$tmp/core.json")
cd "$APP"
npx --no-install tsx scripts/vector-coverage.ts "$tmp/core.json" >"$tmp/full.txt"
npx --no-install tsx scripts/vector-coverage.ts test/vectors/core.json >"$tmp/sample.txt"
diff -u test/vectors/coverage.txt "$tmp/full.txt" || { echo "test:vectors:full: coverage changed" >&2; exit 1; }
diff -u "$tmp/full.txt" "$tmp/sample.txt" || { echo "test:vectors:full: the committed sample covers less" >&2; exit 1; }
STRATA_VECTORS="$tmp/core.json" npx --no-install vitest run "$@" \
  test/math.test.ts test/price.test.ts test/debt.test.ts test/health.test.ts test/liquidation.test.ts \
  test/tranche.test.ts test/income-flows.test.ts
