#!/usr/bin/env bash
# Every test: the accounting core's unit and property tests, the program's native
# integration tests (solana-program-test, real SPL programs), the tools' tests, the
# TypeScript client's type-check and tests (installed with `npm ci` on first run
# or when package-lock.json changed), and the local cluster's compatibility suite
# (web3.js, spl-token, Anchor and Python clients against the real cluster binary).
set -euo pipefail
cd "$(dirname "$0")/.."
# solana-program-test logs every instruction at debug level unless told otherwise.
export RUST_LOG="${RUST_LOG:-error}"
cargo test --workspace --locked
# The app's end-to-end tests start the local cluster's binary, built alone (its own
# features, not the workspace's): built here, where its time shows, not inside the
# first test that starts a cluster (in a fresh checkout that recompiles the
# workspace's crates, a minute or more).
cargo build --locked -p strata-localnet

source scripts/app-deps.sh
app_deps app
(cd app && npm run typecheck && npm test)

crates/strata-localnet/compat/run.sh
