#!/usr/bin/env bash
# Every test: the accounting core's unit and property tests, the program's native
# integration tests (solana-program-test, real SPL programs) and the tools' tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# solana-program-test logs every instruction at debug level unless told otherwise.
export RUST_LOG="${RUST_LOG:-error}"
cargo test --workspace --locked
