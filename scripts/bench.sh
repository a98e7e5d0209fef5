#!/usr/bin/env bash
# Liquidation benchmark: transaction bytes, accounts and liquidations per legacy
# transaction, then deterministic instruction counts (valgrind callgrind) of the
# native handlers, then the keeper's decode rate and time to clear a crash on the local
# cluster, then the keeper fleet at 1,000 and 10,000 positions (sim/bench-fleet.ts), at
# 10,000 again with every keeper pinned to one core (one keeper and three get the same
# share of the machine; needs taskset and 2 cores) and with every keeper at nice 10 (the
# cluster first), then the local cluster's memory soak (scripts/bench-localnet.sh).
# Prints figures; asserts nothing about time.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUST_LOG="${RUST_LOG:-error}"
target="${CARGO_TARGET_DIR:-target}"

cargo build --locked --quiet -p strata-sim --bin bench-liquidation --bin handler-workload
echo "== transactions"
"$target/debug/bench-liquidation"

echo
echo "== instruction counts of the native handlers (valgrind callgrind, debug profile)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$work/full.out" "$target/debug/handler-workload" >/dev/null 2>&1
valgrind --tool=callgrind --callgrind-out-file="$work/cpi.out" \
  --toggle-collect='*SyscallStubs>::sol_invoke_signed' "$target/debug/handler-workload" >/dev/null 2>&1
python3 scripts/callgrind_calls.py "$work/full.out" "$work/cpi.out" deposit,mint,refresh_oracle,liquidate,liquidate_batch
echo "(liquidate_batch liquidates 20 positions per call; Ir = instructions executed natively on x86_64,"
echo " including Anchor's account parsing and, for CPIs, the SPL Token program interpreted in the VM)"

echo
echo "== keeper: scan-and-decode rate and time to clear a crash (1,000 positions, local cluster)"
source scripts/app-deps.sh
app_deps app
(cd app && npx --no-install tsx sim/bench-keeper.ts)

echo
echo "== keeper fleet: the cluster's ceiling, positions per transaction (legacy, v0), 1,000 and 10,000 positions cleared by one and three keepers"
(cd app && npx --no-install tsx sim/bench-fleet.ts)

echo
echo "== keeper fleet, every keeper pinned to core 1 (the cluster on any core): 10,000 positions cleared by one and three keepers"
(cd app && STRATA_FLEET_SIZES=10000 STRATA_FLEET_KEEPER_CORES=1 npx --no-install tsx sim/bench-fleet.ts)

echo
echo "== keeper fleet, every keeper at nice 10 (the cluster first, every process on any core): 10,000 positions cleared by one and three keepers"
(cd app && STRATA_FLEET_SIZES=10000 STRATA_FLEET_KEEPER_NICE=10 npx --no-install tsx sim/bench-fleet.ts)

echo
echo "== local cluster: memory idle for 10 minutes and after 20,000 transactions"
./scripts/bench-localnet.sh
