#!/usr/bin/env bash
# The main job: the whole system on the embedded local cluster (strata-localnet: a
# JSON-RPC Solana cluster running Strata natively next to the real SPL programs).
# Deploys a pool with two collaterals and two tranches, opens a book of positions,
# distributes a month of fees, starts the keeper and crashes wSOL through the oracle
# until the keeper has cleared the book; prints a report. Builds the cluster and
# installs the app's dependencies on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUST_LOG="${RUST_LOG:-error}"
source scripts/app-deps.sh
app_deps app
cd app
exec npx --no-install tsx sim/main-job.ts
