#!/usr/bin/env bash
# Fails when the committed IDL, generated client or test vectors differ from freshly
# generated ones (CI runs this). Regenerates into a temporary directory; the working
# tree is left alone. Fix a failure with `npm run generate` and commit the result.
set -euo pipefail
APP="$(cd "$(dirname "$0")/.." && pwd)"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT

"$APP/scripts/generate.sh" "$fresh"

status=0
for path in idl/strata.json src/generated test/vectors/core.json test/vectors/pyth.json; do
  if ! diff -ru "$APP/$path" "$fresh/$path" >"$fresh/diff.txt"; then
    echo "check-generated: app/$path is stale:" >&2
    head -n 40 "$fresh/diff.txt" >&2
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  echo "check-generated: FAILED — run 'npm run generate' in app/ and commit the result" >&2
  exit 1
fi
echo "check-generated: app/idl, app/src/generated and app/test/vectors are up to date" >&2
