#!/usr/bin/env bash
# Memory soak of the embedded local cluster: the RSS of the real `strata-localnet`
# process idle for ten minutes, then after 20,000 transactions, then with a history of
# 10,000 transactions taking 20,000 (where memory levels off). Prints figures; asserts
# nothing. About 14 minutes. Options go to the example:
# `./scripts/bench-localnet.sh --idle-minutes 2 --transactions 5000`.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUST_LOG="${RUST_LOG:-error}"
target="${CARGO_TARGET_DIR:-target}"

cargo build --locked --quiet -p strata-localnet --bin strata-localnet --example soak
"$target/debug/examples/soak" "$@"
