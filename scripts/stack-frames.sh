#!/usr/bin/env bash
# Stack frames of the on-chain crates (the program and strata-core), measured on
# x86_64 as a proxy for SBF (see crates/strata-sim/src/bin/stack-frames.rs): a release
# build with LTO off and `-Z emit-stack-sizes` (RUSTC_BOOTSTRAP=1: the flag is
# unstable), then the 20 largest frames. Exits 1 when any frame exceeds SBF's 4,096
# bytes, so CI fails on a frame that would not fit.
#   scripts/stack-frames.sh [--top N]
set -euo pipefail
cd "$(dirname "$0")/.."
base="${CARGO_TARGET_DIR:-target}"
# Its own target directory: RUSTC_BOOTSTRAP and the profile override would otherwise
# invalidate the test build's artifacts.
out="$base/stack-frames"
objects=()
for crate in strata-core strata; do
  RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$out" cargo rustc --quiet --release --locked \
    --config 'profile.release.lto="off"' -p "$crate" --lib --crate-type rlib -- \
    -Z emit-stack-sizes --emit=obj -C embed-bitcode=no
  lib="${crate//-/_}"
  newest="$(ls -t "$out"/release/deps/"$lib"-*.o | head -n 1)"
  objects+=("$newest")
done
cargo build --quiet --locked -p strata-sim --bin stack-frames
"$base/debug/stack-frames" --limit 4096 "$@" "${objects[@]}"
