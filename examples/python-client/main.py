"""Runs a short file-system scenario against a running curve-rpc cluster over gRPC, with the
code generated from the spec into gen/python (see scenario.py for the steps). Exits non-zero on
the first failed call or mismatch.

    python main.py --endpoints DIR/endpoints.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import grpc
from curve.common.v1 import error_pb2

from cluster import Cluster, error_info
from scenario import Endpoints, Scenario


def host_port(address: str) -> str:
    """ "http://host:port" → "host:port", the form of leader hints and copyset members."""
    return address.split("://", 1)[-1].rstrip("/")


def read_endpoints(path: str) -> Endpoints:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    s3 = data.get("s3") or {}
    if not data.get("mds") or not s3.get("endpoint") or not s3.get("bucket"):
        raise ValueError(f"{path}: needs mds addresses and an s3 endpoint and bucket")
    return Endpoints(
        mds=[host_port(a) for a in data["mds"]],
        s3_endpoint=s3["endpoint"],
        s3_bucket=s3["bucket"],
        s3_access_key=s3.get("accessKey", ""),
    )


def describe(error: Exception) -> str:
    if isinstance(error, grpc.RpcError):
        info = error_info(error)
        reason = f" ({error_pb2.ErrorReason.Name(info.reason)})" if info else ""
        return f"{error.code().name.lower()}: {error.details()}{reason}"
    return f"{type(error).__name__}: {error}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", required=True, help="the endpoints.json of `curve-rpc up`")
    args = parser.parse_args()
    endpoints = read_endpoints(args.endpoints)
    cluster = Cluster.connect(endpoints.mds)
    scenario = Scenario(cluster, endpoints, f"python-client-{time.time_ns()}")
    try:
        for name, run in scenario.steps():
            try:
                run()
            except Exception as error:  # noqa: BLE001 - every failure ends the run with its step
                print(f"FAIL {name}: {describe(error)}")
                return 1
            print(f"ok   {name}")
    finally:
        cluster.close()
    print(f"python-client: scenario passed on fs {scenario.fs_name!r} (id {scenario.fs.fs_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
