#!/usr/bin/env bash
# Fails when the committed Go and Python code (gen/go/curve, gen/python/curve) is not exactly
# what scripts/gen-polyglot.sh produces from the committed protos: a proto edited without
# regenerating, a hand-edited generated file, or a stale file of a removed proto. Generates into
# a temporary directory, so the working tree is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bash scripts/gen-polyglot.sh "$tmp" >/dev/null

status=0
for tree in gen/go/curve gen/python/curve; do
  if ! diff -r --exclude=__pycache__ "$tree" "$tmp/$tree"; then
    echo "$tree is out of date; run \`bash scripts/gen-polyglot.sh\` and commit" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "gen/go and gen/python match the protos"
exit "$status"
