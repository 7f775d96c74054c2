#!/usr/bin/env bash
# Installs the real backing services the tests use, when they are missing:
#   etcd  — Debian's etcd-server package (apt-get; root or sudo);
#   MinIO — built from source with Go into $HOME/.cache/curve-rpc (scripts/install-minio.sh).
# Machines with a Docker engine, or with CURVE_TEST_ETCD / CURVE_TEST_S3_ENDPOINT set, need
# neither: the test providers use those first.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v etcd >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq etcd-server >/dev/null
fi
echo "etcd: $(etcd --version | head -1)"
bash scripts/install-minio.sh
