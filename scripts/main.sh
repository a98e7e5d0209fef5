#!/usr/bin/env bash
# The main job: an end-to-end scenario on the embedded bank (Strata running natively
# with the real SPL Token, Token-2022 and Associated Token programs). Builds what it
# needs on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
# solana-program-test logs every instruction at debug level unless told otherwise.
export RUST_LOG="${RUST_LOG:-error}"
exec cargo run --locked --quiet -p strata-sim --bin scenario
