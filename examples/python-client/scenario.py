"""The scenario: create a file system, mount it, make a directory and a file, record the file's
data, list, stat, rename, unlink, unmount. Each step raises Mismatch (or a gRPC error) when the
cluster does not answer as the spec says."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import grpc
from curve.common.v1 import common_pb2, error_pb2
from curve.mds.v1 import mds_pb2
from curve.metaserver.v1 import inode_pb2, metaserver_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from cluster import Cluster, Partition, reason_of

ROOT = 1
DIR_NAME = "docs"
FILE_NAME = "hello.txt"
NEW_NAME = "renamed.txt"
# What the scenario "writes": its length and one S3 chunk info are recorded on the inode, as a
# client does after it has put the block objects to S3.
FILE_DATA = b"hello from the Python client\n"


class Mismatch(Exception):
    """The cluster answered, but not what the spec says."""


def now() -> Timestamp:
    stamp = Timestamp()
    stamp.GetCurrentTime()
    return stamp


@dataclass
class Endpoints:
    """What `curve-rpc up` writes to DIR/endpoints.json."""

    mds: list[str]
    s3_endpoint: str
    s3_bucket: str
    s3_access_key: str

    def secret_key(self) -> str:
        """CreateFs requires a secret; servers never return it, so it comes from
        CURVE_S3_SECRET_KEY. The embedded object store (file://) checks none."""
        secret = os.environ.get("CURVE_S3_SECRET_KEY", "")
        if secret:
            return secret
        if self.s3_endpoint.startswith("file://"):
            return "unused-by-the-embedded-store"
        raise RuntimeError(f"set CURVE_S3_SECRET_KEY for the S3 endpoint {self.s3_endpoint}")


class Scenario:
    def __init__(self, cluster: Cluster, endpoints: Endpoints, fs_name: str) -> None:
        self.c = cluster
        self.e = endpoints
        self.fs_name = fs_name
        self.fs = mds_pb2.FsInfo()
        self.mountpoint = mds_pb2.Mountpoint()
        self.dir = 0
        self.file = 0
        self.tx_id = 0  # the committed tx id of the directory's partition, known to this client

    def steps(self):
        return [
            ("create fs", self.create_fs),
            ("mount", self.mount),
            ("list partitions", self.list_partitions),
            ("mkdir", self.mkdir),
            ("create file", self.create_file),
            ("write (AllocateS3Chunk + UpdateInode)", self.write),
            ("list", self.list),
            ("stat", self.stat),
            ("rename", self.rename),
            ("unlink", self.unlink),
            ("umount", self.umount),
        ]

    def create_fs(self) -> None:
        request = mds_pb2.CreateFsRequest(
            fs_name=self.fs_name,
            block_size=1 << 20,
            capacity=100 << 30,
            owner="python-client",
            s3_info=common_pb2.S3Info(
                endpoint=self.e.s3_endpoint,
                bucket=self.e.s3_bucket,
                access_key=self.e.s3_access_key,
                secret_key=self.e.secret_key(),
                block_size=4 << 20,
                chunk_size=64 << 20,
            ),
        )
        self.fs = self.c.on_mds(lambda m: m.CreateFs(request)).fs_info
        if self.fs.fs_name != self.fs_name or self.fs.status != mds_pb2.FS_STATUS_INITED:
            raise Mismatch(f"fs {self.fs.fs_name!r} is {self.fs.status}, want INITED")
        if self.fs.root_inode_id != ROOT or self.fs.fs_type != common_pb2.FS_TYPE_S3:
            raise Mismatch(f"root inode {self.fs.root_inode_id}, type {self.fs.fs_type}")
        if self.fs.s3_info.secret_key or not self.fs.s3_info.secret_key_set:
            raise Mismatch("the secret key is echoed back or not marked as set")
        found = self.get_fs()
        if found.fs_id != self.fs.fs_id:
            raise Mismatch(f"GetFsInfo by name found fs {found.fs_id}, want {self.fs.fs_id}")

    def get_fs(self) -> mds_pb2.FsInfo:
        request = mds_pb2.GetFsInfoRequest(fs_name=self.fs_name)
        return self.c.on_mds(lambda m: m.GetFsInfo(request)).fs_info

    def is_our_mount(self, m: mds_pb2.Mountpoint) -> bool:
        mine = self.mountpoint
        return (m.hostname, m.port, m.path) == (mine.hostname, mine.port, mine.path)

    def mount(self) -> None:
        self.mountpoint = mds_pb2.Mountpoint(
            hostname=socket.gethostname() or "localhost",
            port=0,
            path=f"/mnt/{self.fs_name}",
            cto=True,
        )
        request = mds_pb2.MountFsRequest(fs_name=self.fs_name, mountpoint=self.mountpoint)
        response = self.c.on_mds(lambda m: m.MountFs(request))
        if not any(self.is_our_mount(m) for m in response.fs_info.mountpoints):
            raise Mismatch(f"the mount point is not listed: {list(response.fs_info.mountpoints)}")
        if not 0 < response.refresh_interval_ms < response.session_ttl_ms:
            ttl, refresh = response.session_ttl_ms, response.refresh_interval_ms
            raise Mismatch(f"session ttl {ttl} ms, refresh every {refresh} ms")

    def list_partitions(self) -> None:
        self.c.load_routes(self.fs.fs_id)
        if not self.c.writable():
            raise Mismatch(f"no READ_WRITE partition among {len(self.c.partitions)}")
        self.c.partition_of(ROOT)

    def tx_id_of(self, partition: Partition) -> int:
        """The committed tx id this client knows for the partition."""
        return self.tx_id if self.dir and partition.holds(self.dir) else partition.info.tx_id

    def create_node(
        self, partition: Partition, parent: int, name: str, file_type: int, mode: int
    ) -> int:
        """Creates an inode in the partition and links it as `name` in `parent`."""
        create = metaserver_pb2.CreateInodeRequest(
            fs_id=self.fs.fs_id,
            partition_id=partition.info.partition_id,
            parent_inode_id=parent,
            type=file_type,
            mode=mode,
            time=now(),
        )
        attr = self.c.on_partition(partition, lambda s: s.CreateInode(create)).attr
        if not (partition.holds(attr.inode_id) and attr.inode_id >= 3 and attr.type == file_type):
            raise Mismatch(
                f"new inode {attr.inode_id} outside [{partition.info.start}, {partition.info.end}]"
            )
        parent_partition = self.c.partition_of(parent)
        link = metaserver_pb2.CreateDentryRequest(
            fs_id=self.fs.fs_id,
            partition_id=parent_partition.info.partition_id,
            parent_inode_id=parent,
            name=name,
            inode_id=attr.inode_id,
            type=file_type,
            time=now(),
            tx_id=self.tx_id_of(parent_partition),
        )
        linked = self.c.on_partition(parent_partition, lambda s: s.CreateDentry(link))
        if linked.dentry.inode_id != attr.inode_id or linked.parent.inode_id != parent:
            raise Mismatch(f"dentry {name!r} → {linked.dentry.inode_id}, want → {attr.inode_id}")
        return attr.inode_id

    def get_inode(self, inode_id: int) -> inode_pb2.Inode:
        partition = self.c.partition_of(inode_id)
        request = metaserver_pb2.GetInodeRequest(
            fs_id=self.fs.fs_id, partition_id=partition.info.partition_id, inode_id=inode_id
        )
        return self.c.on_partition(partition, lambda s: s.GetInode(request)).inode

    def mkdir(self) -> None:
        before = self.get_inode(ROOT).attr.nlink
        # The directory goes to the last writable partition and the file to the first, so that
        # inode and dentry calls of the scenario go to different partitions.
        self.dir = self.create_node(
            self.c.writable()[-1], ROOT, DIR_NAME, inode_pb2.FILE_TYPE_DIRECTORY, 0o755
        )
        after = self.get_inode(ROOT).attr.nlink
        if after != before + 1:
            raise Mismatch(f"root nlink {after} after mkdir, want {before + 1}")
        self.tx_id = self.c.partition_of(self.dir).info.tx_id

    def create_file(self) -> None:
        self.file = self.create_node(
            self.c.writable()[0], self.dir, FILE_NAME, inode_pb2.FILE_TYPE_REGULAR, 0o644
        )

    def write(self) -> None:
        allocate = mds_pb2.AllocateS3ChunkRequest(fs_id=self.fs.fs_id, count=1)
        chunk_id = self.c.on_mds(lambda m: m.AllocateS3Chunk(allocate)).begin_chunk_id
        if chunk_id == 0:
            raise Mismatch("chunk id 0")
        size, stamp = len(FILE_DATA), now()
        partition = self.c.partition_of(self.file)
        update = metaserver_pb2.UpdateInodeRequest(
            fs_id=self.fs.fs_id,
            partition_id=partition.info.partition_id,
            inode_id=self.file,
            time=stamp,
            length=size,
            mtime=stamp,
            ctime=stamp,
            s3_chunk_info_appends=[
                inode_pb2.S3ChunkInfoAppend(
                    chunk_index=0,
                    infos=[inode_pb2.S3ChunkInfo(chunk_id=chunk_id, offset=0, len=size, size=size)],
                )
            ],
        )
        attr = self.c.on_partition(partition, lambda s: s.UpdateInode(update)).attr
        if attr.length != size or attr.s3_chunk_info_count != 1:
            raise Mismatch(f"length {attr.length} with {attr.s3_chunk_info_count} chunk infos")

    def names(self, directory: int) -> dict[str, int]:
        """Lists the directory as visible at the client's tx id."""
        partition = self.c.partition_of(directory)
        names: dict[str, int] = {}
        token = ""
        while True:
            request = metaserver_pb2.ListDentryRequest(
                fs_id=self.fs.fs_id,
                partition_id=partition.info.partition_id,
                parent_inode_id=directory,
                tx_id=self.tx_id_of(partition),
                page_token=token,
            )
            page = self.c.on_partition(partition, lambda s: s.ListDentry(request))
            names.update({d.name: d.inode_id for d in page.dentries})
            token = page.next_page_token
            if not token:
                return names

    def list(self) -> None:
        root = self.names(ROOT)
        if root.get(DIR_NAME) != self.dir:
            raise Mismatch(f"root lists {root}, want {DIR_NAME!r} → {self.dir}")
        entries = self.names(self.dir)
        if entries != {FILE_NAME: self.file}:
            raise Mismatch(f"{DIR_NAME} lists {entries}, want only {FILE_NAME!r} → {self.file}")

    def lookup(self, name: str) -> inode_pb2.Dentry:
        partition = self.c.partition_of(self.dir)
        request = metaserver_pb2.GetDentryRequest(
            fs_id=self.fs.fs_id,
            partition_id=partition.info.partition_id,
            parent_inode_id=self.dir,
            name=name,
            tx_id=self.tx_id,
        )
        return self.c.on_partition(partition, lambda s: s.GetDentry(request)).dentry

    def stat(self) -> None:
        dentry = self.lookup(FILE_NAME)
        if dentry.inode_id != self.file or dentry.type != inode_pb2.FILE_TYPE_REGULAR:
            raise Mismatch(f"{FILE_NAME!r} → {dentry.inode_id} ({dentry.type}), want → {self.file}")
        inode = self.get_inode(self.file)
        attr = inode.attr
        if (attr.length, attr.nlink, attr.mode) != (len(FILE_DATA), 1, 0o644):
            raise Mismatch(f"length {attr.length}, nlink {attr.nlink}, mode {attr.mode:o}")
        if list(attr.parent_inode_ids) != [self.dir]:
            raise Mismatch(f"parents {list(attr.parent_inode_ids)}, want [{self.dir}]")
        infos = inode.s3_chunk_infos[0].infos if 0 in inode.s3_chunk_infos else []
        if len(infos) != 1 or infos[0].len != len(FILE_DATA):
            raise Mismatch(f"chunk index 0 holds {list(infos)}")

    def rename(self) -> None:
        """Moves FILE_NAME to NEW_NAME in the directory as one rename transaction: take the fs's
        rename lock, prepare the transaction on the directory's partition, commit it at the MDS."""
        owner = f"python-client-{os.getpid()}"
        latest_request = mds_pb2.GetLatestTxIdRequest(fs_id=self.fs.fs_id, lock_owner=owner)
        latest = self.c.on_mds(lambda m: m.GetLatestTxId(latest_request))
        partition = self.c.partition_of(self.dir)
        known = [t.tx_id for t in latest.tx_ids if t.partition_id == partition.info.partition_id]
        if not known:
            raise Mismatch(f"GetLatestTxId does not list partition {partition.info.partition_id}")
        tx_id = known[0] + 1
        regular = inode_pb2.FILE_TYPE_REGULAR
        prepare = metaserver_pb2.PrepareRenameTxRequest(
            fs_id=self.fs.fs_id,
            partition_id=partition.info.partition_id,
            tx_id=tx_id,
            tx_sequence=latest.tx_sequence,
            entries=[
                metaserver_pb2.RenameTxEntry(
                    action=metaserver_pb2.RENAME_TX_ACTION_DELETE,
                    parent_inode_id=self.dir,
                    name=FILE_NAME,
                    inode_id=self.file,
                    type=regular,
                ),
                metaserver_pb2.RenameTxEntry(
                    action=metaserver_pb2.RENAME_TX_ACTION_PUT,
                    parent_inode_id=self.dir,
                    name=NEW_NAME,
                    inode_id=self.file,
                    type=regular,
                ),
            ],
        )
        self.c.on_partition(partition, lambda s: s.PrepareRenameTx(prepare))
        commit = mds_pb2.CommitTxRequest(
            fs_id=self.fs.fs_id,
            partition_tx_ids=[
                mds_pb2.PartitionTxId(partition_id=partition.info.partition_id, tx_id=tx_id)
            ],
            lock_owner=owner,
            tx_sequence=latest.tx_sequence,
        )
        self.c.on_mds(lambda m: m.CommitTx(commit))
        self.tx_id = tx_id
        if self.lookup(NEW_NAME).inode_id != self.file:
            raise Mismatch(f"{NEW_NAME!r} does not name inode {self.file} after the rename")
        try:
            self.lookup(FILE_NAME)
        except grpc.RpcError as error:
            if reason_of(error) != error_pb2.ERROR_REASON_DENTRY_NOT_FOUND:
                raise
        else:
            raise Mismatch(f"{FILE_NAME!r} still exists after the rename")

    def unlink(self) -> None:
        """Removes the entry, then drops the inode's last link (it moves to the trash)."""
        partition = self.c.partition_of(self.dir)
        delete = metaserver_pb2.DeleteDentryRequest(
            fs_id=self.fs.fs_id,
            partition_id=partition.info.partition_id,
            parent_inode_id=self.dir,
            name=NEW_NAME,
            time=now(),
            tx_id=self.tx_id,
        )
        removed = self.c.on_partition(partition, lambda s: s.DeleteDentry(delete)).dentry
        if removed.inode_id != self.file:
            raise Mismatch(f"removed {NEW_NAME!r} → {removed.inode_id}, want → {self.file}")
        file_partition = self.c.partition_of(self.file)
        stamp = now()
        update = metaserver_pb2.UpdateInodeRequest(
            fs_id=self.fs.fs_id,
            partition_id=file_partition.info.partition_id,
            inode_id=self.file,
            time=stamp,
            nlink=0,
            ctime=stamp,
        )
        attr = self.c.on_partition(file_partition, lambda s: s.UpdateInode(update)).attr
        if attr.nlink != 0:
            raise Mismatch(f"nlink {attr.nlink} after unlink")
        left = self.names(self.dir)
        if left:
            raise Mismatch(f"{DIR_NAME} still lists {left}")

    def umount(self) -> None:
        request = mds_pb2.UmountFsRequest(fs_name=self.fs_name, mountpoint=self.mountpoint)
        self.c.on_mds(lambda m: m.UmountFs(request))
        if any(self.is_our_mount(m) for m in self.get_fs().mountpoints):
            raise Mismatch("the mount point is still listed after UmountFs")
