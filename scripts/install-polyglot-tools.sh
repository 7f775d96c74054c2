#!/usr/bin/env bash
# Installs the pinned tools that generate and exercise the Go and Python clients, into
# ${CURVE_RPC_CACHE:-$HOME/.cache/curve-rpc} (idempotent: a tool already at its pinned version is
# kept, so a warm run takes well under a second):
#   gobin/                 protoc-gen-go, protoc-gen-connect-go, grpcurl (go install);
#   polyglot-venv/         a Python virtualenv with gen/python/requirements.txt (exact pins);
#   polyglot-bin/protoc    grpcio-tools' bundled compiler, which buf runs for `protoc_builtin`;
#   polyglot-bin/protoc-gen-grpc_python
#                          a protoc plugin around grpcio-tools' grpc_python generator, which
#                          grpcio-tools ships only inside its protoc (buf needs a plugin).
# Prints one line to `source` or eval: the PATH that puts these tools first.
# Needs Go and python3 (with venv); fetches from the Go module proxy and PyPI only.
set -euo pipefail
cd "$(dirname "$0")/.."

PROTOC_GEN_GO_VERSION=v1.36.10
CONNECT_GO_VERSION=v1.19.1
GRPCURL_VERSION=v1.9.3

cache="${CURVE_RPC_CACHE:-$HOME/.cache/curve-rpc}"
gobin="$cache/gobin"
venv="$cache/polyglot-venv"
bin="$cache/polyglot-bin"
requirements="gen/python/requirements.txt"
mkdir -p "$gobin" "$bin"

# go_install MODULE_PATH PACKAGE VERSION: installs PACKAGE@VERSION unless the binary in gobin
# was already built from MODULE_PATH at VERSION (go version -m reads that from the binary).
go_install() {
  local module="$1" package="$2" version="$3" binary
  binary="$gobin/$(basename "$package")"
  if [ -x "$binary" ] && go version -m "$binary" 2>/dev/null | grep -qE "^\s+mod\s+$module\s+$version\s"; then
    return
  fi
  echo "installing $package@$version" >&2
  GOBIN="$gobin" GOFLAGS=-mod=mod go install "$package@$version" >&2
}

go_install google.golang.org/protobuf google.golang.org/protobuf/cmd/protoc-gen-go "$PROTOC_GEN_GO_VERSION"
go_install connectrpc.com/connect connectrpc.com/connect/cmd/protoc-gen-connect-go "$CONNECT_GO_VERSION"
go_install github.com/fullstorydev/grpcurl github.com/fullstorydev/grpcurl/cmd/grpcurl "$GRPCURL_VERSION"

# The venv is rebuilt whenever the requirements file changes (its hash is stamped inside).
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "creating $venv from $requirements" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --no-input --disable-pip-version-check -r "$requirements" >&2
  echo "$want" >"$stamp"
fi

cat >"$bin/protoc" <<EOF
#!/bin/sh
exec "$venv/bin/python" -m grpc_tools.protoc "\$@"
EOF

# A protoc plugin: reads a CodeGeneratorRequest, lets grpcio-tools' protoc run its built-in
# grpc_python generator on the same descriptors, and answers with the files it wrote.
cat >"$bin/protoc-gen-grpc_python" <<EOF
#!$venv/bin/python
import os, sys, tempfile
from google.protobuf import descriptor_pb2
from google.protobuf.compiler import plugin_pb2
from grpc_tools import protoc

request = plugin_pb2.CodeGeneratorRequest.FromString(sys.stdin.buffer.read())
response = plugin_pb2.CodeGeneratorResponse(
    supported_features=plugin_pb2.CodeGeneratorResponse.FEATURE_PROTO3_OPTIONAL)
with tempfile.TemporaryDirectory() as tmp:
    descriptors = os.path.join(tmp, "descriptors.binpb")
    with open(descriptors, "wb") as f:
        f.write(descriptor_pb2.FileDescriptorSet(file=request.proto_file).SerializeToString())
    out = os.path.join(tmp, "out")
    os.mkdir(out)
    option = f"{request.parameter}:" if request.parameter else ""
    if protoc.main(["protoc", f"--descriptor_set_in={descriptors}",
                    f"--grpc_python_out={option}{out}", *request.file_to_generate]) != 0:
        response.error = "grpc_tools.protoc failed"
    else:
        for root, _, files in os.walk(out):
            for name in sorted(files):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    response.file.add(name=os.path.relpath(path, out), content=f.read())
sys.stdout.buffer.write(response.SerializeToString())
EOF
chmod +x "$bin/protoc" "$bin/protoc-gen-grpc_python"

echo "export PATH=\"$bin:$gobin:$venv/bin:\$PATH\""
