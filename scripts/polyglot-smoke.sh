#!/usr/bin/env bash
# The polyglot proof: clients generated from the protos in other languages, and a generic gRPC
# tool, work against the reference server.
#   bash scripts/polyglot-smoke.sh                    starts `curve-rpc up` in a temp data dir,
#                                                     runs the checks, stops it (SIGTERM)
#   bash scripts/polyglot-smoke.sh ENDPOINTS_JSON     runs the checks against a running cluster
# Checks, each one test: examples/go-client, examples/python-client (the same file-system
# scenario over gRPC), and grpcurl through server reflection: list (MDS, metaserver), describe
# MdsService, describe every listed service, call MdsService/ListFs, call grpc.health.v1.Health.
# Ends with one line "polyglot: N passed, N failed"; exits non-zero when any check failed.
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

CHECKS=8
passed=0
failed=0
work="$(mktemp -d)"
server_pid=""

summary() {
  echo "polyglot: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "curve-rpc up did not stop within 20 s of SIGTERM; killing it" >&2
    kill -KILL "$server_pid" 2>/dev/null
  fi
  wait "$server_pid" 2>/dev/null
  server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT

# A failed setup fails every check, so the summed counts of CI still show them.
setup_failed() {
  echo "polyglot setup failed: $*" >&2
  failed=$CHECKS
  summary
  exit 1
}

# check NAME COMMAND...: runs one check, output indented, and counts it.
check() {
  local name="$1" log="$work/check.log"
  shift
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    sed 's/^/     /' "$log"
  fi
}

tools="$(bash scripts/install-polyglot-tools.sh)" || setup_failed "installing the Go and Python tools"
eval "$tools"

# The Python package is installed from a copy of gen/python with buf/validate generated beside
# it (never committed), so the working tree stays untouched.
cp -r gen/python "$work/python" && rm -rf "$work/python/buf" "$work/python/build" "$work"/python/*.egg-info &&
  bash scripts/gen-polyglot.sh --buf-validate "$work/python" &&
  pip install --quiet --no-input --disable-pip-version-check --no-deps --no-build-isolation \
    --force-reinstall "$work/python" ||
  setup_failed "installing gen/python"
(cd examples/go-client && go build -o "$work/go-client" .) || setup_failed "building examples/go-client"

endpoints="${1:-}"
if [ -z "$endpoints" ]; then
  data="$work/data"
  node bin/curve-rpc.js up --data-dir "$data" --base-port 0 >"$work/up.log" 2>&1 &
  server_pid=$!
  endpoints="$data/endpoints.json"
  for _ in $(seq 300); do
    [ -s "$endpoints" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  if [ ! -s "$endpoints" ]; then
    tail -n 40 "$work/up.log" >&2
    setup_failed "curve-rpc up wrote no $endpoints within 60 s"
  fi
fi
endpoints="$(cd "$(dirname "$endpoints")" && pwd)/$(basename "$endpoints")"

# The first address of a role in endpoints.json, as host:port.
first_address() {
  node -e 'const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]];
    if (!a?.length) process.exit(1); console.log(a[0].replace(/^[a-z]+:\/\//, "").replace(/\/$/, ""))' \
    "$endpoints" "$1"
}
mds="$(first_address mds)" || setup_failed "no mds address in $endpoints"
metaserver="$(first_address metaservers)" || setup_failed "no metaserver address in $endpoints"

check "examples/go-client" "$work/go-client" -endpoints "$endpoints"
check "examples/python-client" python "$root/examples/python-client/main.py" --endpoints "$endpoints"

# expect_output PATTERN COMMAND...: runs the command; its output must match the extended regex.
expect_output() {
  local pattern="$1" output
  shift
  output="$("$@")" || return 1
  echo "$output"
  grep -qE "$pattern" <<<"$output"
}

describe_all() {
  local address service
  for address in "$mds" "$metaserver"; do
    for service in $(grpcurl -plaintext "$address" list); do
      grpcurl -plaintext "$address" describe "$service" >/dev/null || {
        echo "describe $service at $address failed"
        return 1
      }
      echo "described $service at $address"
    done
  done
}

check "grpcurl list (MDS)" expect_output '^curve\.mds\.v1\.MdsService$' grpcurl -plaintext "$mds" list
check "grpcurl list (metaserver)" expect_output '^curve\.metaserver\.v1\.MetaServerService$' \
  grpcurl -plaintext "$metaserver" list
check "grpcurl describe curve.mds.v1.MdsService" expect_output 'rpc CreateFs' \
  grpcurl -plaintext "$mds" describe curve.mds.v1.MdsService
check "grpcurl describe every service" describe_all
check "grpcurl call curve.mds.v1.MdsService/ListFs" expect_output '^\{' \
  grpcurl -plaintext -d '{}' "$mds" curve.mds.v1.MdsService/ListFs
check "grpcurl call grpc.health.v1.Health/Check" expect_output '"status": "SERVING"' \
  grpcurl -plaintext -d '{}' "$mds" grpc.health.v1.Health/Check

stop_server
summary
