"""Clients of one curve-rpc cluster over gRPC, with leader routing.

The MDS (one leader among its processes) and every copyset of metaservers (one leader among its
members) are replica groups: a call goes to the known leader first, follows the leader hint of
an `unavailable` answer at once, and otherwise tries the next member after a pause.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import grpc
from curve.common.v1 import common_pb2, error_pb2
from curve.mds.v1 import mds_pb2_grpc, topology_pb2, topology_pb2_grpc
from curve.metaserver.v1 import metaserver_pb2_grpc
from grpc_status import rpc_status

# A freshly started cluster elects its leaders within seconds; wait up to about 15 s for them.
MAX_ATTEMPTS = 75
BACKOFF_S = 0.2

T = TypeVar("T")


def error_info(error: grpc.RpcError) -> error_pb2.ErrorInfo | None:
    """The curve.common.v1.ErrorInfo detail of a failed call, or None."""
    try:
        status = rpc_status.from_call(error)
    except ValueError:  # trailers that disagree with the call's status
        return None
    for detail in status.details if status else []:
        if detail.Is(error_pb2.ErrorInfo.DESCRIPTOR):
            info = error_pb2.ErrorInfo()
            detail.Unpack(info)
            return info
    return None


def reason_of(error: grpc.RpcError) -> int:
    """The ErrorReason of a failed call (ERROR_REASON_UNSPECIFIED without detail)."""
    info = error_info(error)
    return info.reason if info else error_pb2.ERROR_REASON_UNSPECIFIED


@dataclass
class ReplicaGroup:
    """Servers of which one, the leader, serves. Addresses are "host:port", as leader hints."""

    label: str
    members: list[str]
    leader: str = ""

    def call(self, attempt: Callable[[str], T]) -> T:
        address = self.leader or self.members[0]
        last: grpc.RpcError | None = None
        for _ in range(MAX_ATTEMPTS):
            try:
                result = attempt(address)
                self.leader = address
                return result
            except grpc.RpcError as error:
                last = error
                info = error_info(error)
                pause = BACKOFF_S
                if error.code() == grpc.StatusCode.UNAVAILABLE:
                    if info and info.leader_hint and info.leader_hint != address:
                        address = self.leader = info.leader_hint
                        continue
                    index = self.members.index(address) if address in self.members else -1
                    address = self.members[(index + 1) % len(self.members)]
                elif error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
                    if info and info.retry_after_ms:
                        pause = info.retry_after_ms / 1000
                else:
                    raise
                time.sleep(pause)
        raise RuntimeError(
            f"{self.label}: no leader answered after {MAX_ATTEMPTS} attempts"
        ) from last


@dataclass
class Partition:
    """One partition of the fs, with the group of the copyset that hosts it."""

    info: common_pb2.PartitionInfo
    group: ReplicaGroup

    def holds(self, inode_id: int) -> bool:
        return self.info.start <= inode_id <= self.info.end


@dataclass
class Cluster:
    mds: ReplicaGroup
    partitions: list[Partition] = field(default_factory=list)
    channels: dict[str, grpc.Channel] = field(default_factory=dict)

    @staticmethod
    def connect(mds_addresses: list[str]) -> Cluster:
        return Cluster(mds=ReplicaGroup("mds", mds_addresses))

    def close(self) -> None:
        for channel in self.channels.values():
            channel.close()

    def channel(self, address: str) -> grpc.Channel:
        if address not in self.channels:
            self.channels[address] = grpc.insecure_channel(address)
        return self.channels[address]

    def on_mds(self, call: Callable[[mds_pb2_grpc.MdsServiceStub], T]) -> T:
        """Calls MdsService on the MDS leader."""
        return self.mds.call(lambda a: call(mds_pb2_grpc.MdsServiceStub(self.channel(a))))

    def on_topology(self, call: Callable[[topology_pb2_grpc.TopologyServiceStub], T]) -> T:
        """Calls TopologyService on the MDS leader."""
        return self.mds.call(lambda a: call(topology_pb2_grpc.TopologyServiceStub(self.channel(a))))

    def on_partition(
        self, partition: Partition, call: Callable[[metaserver_pb2_grpc.MetaServerServiceStub], T]
    ) -> T:
        """Calls MetaServerService on the leader of the copyset hosting the partition."""
        return partition.group.call(
            lambda a: call(metaserver_pb2_grpc.MetaServerServiceStub(self.channel(a)))
        )

    def load_routes(self, fs_id: int) -> None:
        """Reads every partition of the fs with its copyset's members and last known leader."""
        groups: dict[tuple[int, int], ReplicaGroup] = {}
        self.partitions = []
        token = ""
        while True:
            request = topology_pb2.ListPartitionsRequest(fs_id=fs_id, page_token=token)
            page = self.on_topology(lambda t: t.ListPartitions(request))
            for route in page.partitions:
                key = (route.copyset.pool_id, route.copyset.copyset_id)
                if key not in groups:
                    members = [peer.address for peer in route.copyset.peers]
                    if not members:
                        raise RuntimeError(f"partition {route.partition.partition_id}: no members")
                    groups[key] = ReplicaGroup(
                        f"copyset {key[0]}/{key[1]}", members, route.copyset.leader.address
                    )
                self.partitions.append(Partition(route.partition, groups[key]))
            token = page.next_page_token
            if not token:
                return

    def partition_of(self, inode_id: int) -> Partition:
        for partition in self.partitions:
            if partition.holds(inode_id):
                return partition
        raise RuntimeError(f"no partition holds inode {inode_id}")

    def writable(self) -> list[Partition]:
        """The READ_WRITE partitions, in ascending order of their ranges."""
        return [
            p for p in self.partitions if p.info.status == common_pb2.PARTITION_STATUS_READ_WRITE
        ]
