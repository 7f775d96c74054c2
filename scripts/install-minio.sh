#!/usr/bin/env bash
# Builds the MinIO server that the tests use into a cache folder under $HOME, unless it is already
# there. MinIO ships only as source since 2025, so this is a `go install` (about 2.5 minutes on
# 2 cores, Go >= 1.24). The version and folder come from conformance/providers/minio-binary.ts, the
# one place that pins them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pins="$root/conformance/providers/minio-binary.ts"
module="$(sed -n 's/^export const MINIO_MODULE = "\(.*\)";$/\1/p' "$pins")"
version="$(sed -n 's/^export const MINIO_VERSION = "\(.*\)";$/\1/p' "$pins")"
if [[ -z "$module" || -z "$version" ]]; then
  echo "install-minio: cannot read MINIO_MODULE / MINIO_VERSION from $pins" >&2
  exit 1
fi

dir="$HOME/.cache/curve-rpc/minio-$version"
if [[ -x "$dir/minio" ]]; then
  echo "install-minio: $dir/minio is already built ($module@$version)"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "install-minio: Go is required (https://go.dev/dl/, Go >= 1.24) to build $module@$version" >&2
  exit 1
fi

mkdir -p "$dir"
echo "install-minio: building $module@$version into $dir (takes a few minutes)"
# CGO off: a static binary that does not depend on the build machine's libc.
GOBIN="$dir" CGO_ENABLED=0 go install "$module@$version"
echo "install-minio: $dir/minio"
