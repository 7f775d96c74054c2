#!/usr/bin/env bash
# Generates the Go (gen/go) and Python (gen/python) code of the spec with buf.gen.polyglot.yaml
# and the pinned local tools (scripts/install-polyglot-tools.sh).
#   bash scripts/gen-polyglot.sh [OUT_BASE]          writes OUT_BASE/gen/{go,python} (default .)
#   bash scripts/gen-polyglot.sh --buf-validate DIR  writes only DIR/buf/validate (see below)
# The generated trees (gen/go/curve, gen/python/curve) are replaced whole, so the file of a
# removed proto disappears; go.mod, pyproject.toml and requirements.txt are kept.
# buf/validate: the Go code imports the Go module proxy's package for it; the Python code
# imports `buf.validate.validate_pb2`, which PyPI ships in no package, so it is generated from
# .third_party/ next to the Python code — git-ignored, as all code from third-party protos.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(bash scripts/install-polyglot-tools.sh)"
[ -f .third_party/protovalidate/buf/validate/validate.proto ] || npm run --silent fetch:protos

buf_validate_python() {
  rm -rf "$1/buf"
  protoc -I .third_party/protovalidate --python_out="$1" --pyi_out="$1" buf/validate/validate.proto
}

if [ "${1:-}" = "--buf-validate" ]; then
  buf_validate_python "${2:?usage: gen-polyglot.sh --buf-validate DIR}"
  exit 0
fi
out_base="${1:-.}"
rm -rf "$out_base/gen/go/curve" "$out_base/gen/python/curve"
mkdir -p "$out_base/gen/python"
npx --no-install buf generate --template buf.gen.polyglot.yaml -o "$out_base"
buf_validate_python "$out_base/gen/python"
