package main

import (
	"context"
	"fmt"
	"os"
	"slices"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "curve-rpc/gen/go/curve/common/v1"
	mdsv1 "curve-rpc/gen/go/curve/mds/v1"
	"curve-rpc/gen/go/curve/mds/v1/mdsv1connect"
	metaserverv1 "curve-rpc/gen/go/curve/metaserver/v1"
	"curve-rpc/gen/go/curve/metaserver/v1/metaserverv1connect"
)

const (
	rootInode = uint64(1)
	dirName   = "docs"
	fileName  = "hello.txt"
	newName   = "renamed.txt"
)

// fileData is what the scenario "writes": its length and one S3 chunk info are recorded on the
// inode, as a client does after it has put the block objects to S3.
var fileData = []byte("hello from the Go client\n")

// scenario is the state one run builds up, step by step.
type scenario struct {
	c          *cluster
	e          *endpoints
	fsName     string
	fs         *mdsv1.FsInfo
	mountpoint *mdsv1.Mountpoint
	dir, file  uint64
	txID       uint64 // the committed tx id of the directory's partition, known to this client
}

// step is one named part of the scenario; an error is a failed call or a mismatch.
type step struct {
	name string
	run  func(s *scenario, ctx context.Context) error
}

var steps = []step{
	{"create fs", (*scenario).createFs},
	{"mount", (*scenario).mount},
	{"list partitions", (*scenario).listPartitions},
	{"mkdir", (*scenario).mkdir},
	{"create file", (*scenario).createFile},
	{"write (AllocateS3Chunk + UpdateInode)", (*scenario).write},
	{"list", (*scenario).list},
	{"stat", (*scenario).stat},
	{"rename", (*scenario).rename},
	{"unlink", (*scenario).unlink},
	{"umount", (*scenario).umount},
}

func mismatch(format string, args ...any) error { return fmt.Errorf("mismatch: "+format, args...) }

func (s *scenario) createFs(ctx context.Context) error {
	secret, err := secretKey(s.e)
	if err != nil {
		return err
	}
	res, err := onMds(ctx, s.c, mdsv1connect.MdsServiceClient.CreateFs, &mdsv1.CreateFsRequest{
		FsName:    s.fsName,
		BlockSize: 1 << 20,
		Capacity:  100 << 30,
		Owner:     "go-client",
		Detail: &mdsv1.CreateFsRequest_S3Info{S3Info: &commonv1.S3Info{
			Endpoint:  s.e.S3.Endpoint,
			Bucket:    s.e.S3.Bucket,
			AccessKey: s.e.S3.AccessKey,
			SecretKey: secret,
			BlockSize: 4 << 20,
			ChunkSize: 64 << 20,
		}},
	})
	if err != nil {
		return err
	}
	s.fs = res.FsInfo
	switch {
	case s.fs.GetFsName() != s.fsName || s.fs.GetStatus() != mdsv1.FsStatus_FS_STATUS_INITED:
		return mismatch("fs %q is %v, want %q INITED", s.fs.GetFsName(), s.fs.GetStatus(), s.fsName)
	case s.fs.GetRootInodeId() != rootInode || s.fs.GetFsType() != commonv1.FsType_FS_TYPE_S3:
		return mismatch("root inode %d, type %v", s.fs.GetRootInodeId(), s.fs.GetFsType())
	case s.fs.GetS3Info().GetSecretKey() != "" || !s.fs.GetS3Info().GetSecretKeySet():
		return mismatch("the secret key is echoed back or not marked as set")
	}
	got, err := onMds(ctx, s.c, mdsv1connect.MdsServiceClient.GetFsInfo, &mdsv1.GetFsInfoRequest{FsName: &s.fsName})
	if err != nil {
		return err
	}
	if got.FsInfo.GetFsId() != s.fs.GetFsId() {
		return mismatch("GetFsInfo by name found fs %d, want %d", got.FsInfo.GetFsId(), s.fs.GetFsId())
	}
	return nil
}

func (s *scenario) mount(ctx context.Context) error {
	hostname, err := os.Hostname()
	if err != nil {
		hostname = "localhost"
	}
	s.mountpoint = &mdsv1.Mountpoint{Hostname: hostname, Port: 0, Path: "/mnt/" + s.fsName, Cto: proto.Bool(true)}
	res, err := onMds(ctx, s.c, mdsv1connect.MdsServiceClient.MountFs,
		&mdsv1.MountFsRequest{FsName: s.fsName, Mountpoint: s.mountpoint})
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(res.FsInfo.GetMountpoints(), s.isOurMount) {
		return mismatch("the mount point is not listed: %v", res.FsInfo.GetMountpoints())
	}
	if res.RefreshIntervalMs == 0 || res.RefreshIntervalMs >= res.SessionTtlMs {
		return mismatch("session ttl %d ms, refresh every %d ms", res.SessionTtlMs, res.RefreshIntervalMs)
	}
	return nil
}

func (s *scenario) isOurMount(m *mdsv1.Mountpoint) bool {
	return m.GetHostname() == s.mountpoint.Hostname && m.GetPort() == s.mountpoint.Port && m.GetPath() == s.mountpoint.Path
}

func (s *scenario) listPartitions(ctx context.Context) error {
	if err := s.c.loadRoutes(ctx, s.fs.GetFsId()); err != nil {
		return err
	}
	if len(s.c.writable()) == 0 {
		return mismatch("the fs has no READ_WRITE partition among %d", len(s.c.partitions))
	}
	_, err := s.c.partitionOf(rootInode)
	return err
}

// createNode creates an inode in partition p and links it as name in parent.
func (s *scenario) createNode(ctx context.Context, p *partition, parent uint64, name string, fileType metaserverv1.FileType, mode uint32) (uint64, error) {
	created, err := onPartition(ctx, s.c, p, metaserverv1connect.MetaServerServiceClient.CreateInode,
		&metaserverv1.CreateInodeRequest{
			FsId: s.fs.GetFsId(), PartitionId: p.info.GetPartitionId(), ParentInodeId: parent,
			Type: fileType, Mode: mode, Time: timestamppb.Now(),
		})
	if err != nil {
		return 0, err
	}
	id := created.Attr.GetInodeId()
	if id < p.info.GetStart() || id > p.info.GetEnd() || id < 3 || created.Attr.GetType() != fileType {
		return 0, mismatch("new inode %d (%v) outside partition [%d, %d]", id, created.Attr.GetType(), p.info.GetStart(), p.info.GetEnd())
	}
	parentPartition, err := s.c.partitionOf(parent)
	if err != nil {
		return 0, err
	}
	linked, err := onPartition(ctx, s.c, parentPartition, metaserverv1connect.MetaServerServiceClient.CreateDentry,
		&metaserverv1.CreateDentryRequest{
			FsId: s.fs.GetFsId(), PartitionId: parentPartition.info.GetPartitionId(), ParentInodeId: parent,
			Name: name, InodeId: id, Type: fileType, Time: timestamppb.Now(), TxId: s.txIDOf(parentPartition),
		})
	if err != nil {
		return 0, err
	}
	if linked.Dentry.GetInodeId() != id || linked.Parent.GetInodeId() != parent {
		return 0, mismatch("dentry %q → %d in %d, want → %d in %d", name, linked.Dentry.GetInodeId(), linked.Parent.GetInodeId(), id, parent)
	}
	return id, nil
}

func (s *scenario) mkdir(ctx context.Context) error {
	root, err := s.getInode(ctx, rootInode)
	if err != nil {
		return err
	}
	// The directory goes to the last writable partition and the file to the first, so that the
	// scenario routes inode and dentry calls to different partitions.
	writable := s.c.writable()
	if s.dir, err = s.createNode(ctx, writable[len(writable)-1], rootInode, dirName, metaserverv1.FileType_FILE_TYPE_DIRECTORY, 0o755); err != nil {
		return err
	}
	after, err := s.getInode(ctx, rootInode)
	if err != nil {
		return err
	}
	if after.Attr.GetNlink() != root.Attr.GetNlink()+1 {
		return mismatch("root nlink %d after mkdir, want %d", after.Attr.GetNlink(), root.Attr.GetNlink()+1)
	}
	dirPartition, err := s.c.partitionOf(s.dir)
	if err != nil {
		return err
	}
	s.txID = dirPartition.info.GetTxId()
	return nil
}

func (s *scenario) createFile(ctx context.Context) (err error) {
	s.file, err = s.createNode(ctx, s.c.writable()[0], s.dir, fileName, metaserverv1.FileType_FILE_TYPE_REGULAR, 0o644)
	return err
}

func (s *scenario) write(ctx context.Context) error {
	chunk, err := onMds(ctx, s.c, mdsv1connect.MdsServiceClient.AllocateS3Chunk,
		&mdsv1.AllocateS3ChunkRequest{FsId: s.fs.GetFsId(), Count: 1})
	if err != nil {
		return err
	}
	if chunk.BeginChunkId == 0 {
		return mismatch("chunk id 0")
	}
	size := uint64(len(fileData))
	now := timestamppb.Now()
	p, err := s.c.partitionOf(s.file)
	if err != nil {
		return err
	}
	updated, err := onPartition(ctx, s.c, p, metaserverv1connect.MetaServerServiceClient.UpdateInode,
		&metaserverv1.UpdateInodeRequest{
			FsId: s.fs.GetFsId(), PartitionId: p.info.GetPartitionId(), InodeId: s.file,
			Time: now, Length: proto.Uint64(size), Mtime: now, Ctime: now,
			S3ChunkInfoAppends: []*metaserverv1.S3ChunkInfoAppend{{
				ChunkIndex: 0,
				Infos:      []*metaserverv1.S3ChunkInfo{{ChunkId: chunk.BeginChunkId, Offset: 0, Len: size, Size: size}},
			}},
		})
	if err != nil {
		return err
	}
	if updated.Attr.GetLength() != size || updated.Attr.GetS3ChunkInfoCount() != 1 {
		return mismatch("length %d with %d chunk infos, want %d with 1", updated.Attr.GetLength(), updated.Attr.GetS3ChunkInfoCount(), size)
	}
	return nil
}

// names lists directory dir as visible at the client's tx id.
func (s *scenario) names(ctx context.Context, dir uint64) (map[string]uint64, error) {
	p, err := s.c.partitionOf(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]uint64{}
	token := ""
	for {
		page, err := onPartition(ctx, s.c, p, metaserverv1connect.MetaServerServiceClient.ListDentry,
			&metaserverv1.ListDentryRequest{
				FsId: s.fs.GetFsId(), PartitionId: p.info.GetPartitionId(), ParentInodeId: dir,
				TxId: s.txIDOf(p), PageToken: token,
			})
		if err != nil {
			return nil, err
		}
		for _, d := range page.Dentries {
			out[d.GetName()] = d.GetInodeId()
		}
		if token = page.NextPageToken; token == "" {
			return out, nil
		}
	}
}

// txIDOf is the committed tx id this client knows for p: the route's, or the one its rename
// committed for the directory's partition.
func (s *scenario) txIDOf(p *partition) uint64 {
	if s.dir != 0 && p.info.GetStart() <= s.dir && s.dir <= p.info.GetEnd() {
		return s.txID
	}
	return p.info.GetTxId()
}

func (s *scenario) list(ctx context.Context) error {
	root, err := s.names(ctx, rootInode)
	if err != nil {
		return err
	}
	if root[dirName] != s.dir {
		return mismatch("root lists %v, want %q → %d", root, dirName, s.dir)
	}
	dir, err := s.names(ctx, s.dir)
	if err != nil {
		return err
	}
	if len(dir) != 1 || dir[fileName] != s.file {
		return mismatch("%s lists %v, want only %q → %d", dirName, dir, fileName, s.file)
	}
	return nil
}

func (s *scenario) getInode(ctx context.Context, id uint64) (*metaserverv1.Inode, error) {
	p, err := s.c.partitionOf(id)
	if err != nil {
		return nil, err
	}
	res, err := onPartition(ctx, s.c, p, metaserverv1connect.MetaServerServiceClient.GetInode,
		&metaserverv1.GetInodeRequest{FsId: s.fs.GetFsId(), PartitionId: p.info.GetPartitionId(), InodeId: id})
	if err != nil {
		return nil, err
	}
	return res.Inode, nil
}

// lookup resolves name in the directory as visible at the client's tx id.
func (s *scenario) lookup(ctx context.Context, name string) (*metaserverv1.Dentry, error) {
	p, err := s.c.partitionOf(s.dir)
	if err != nil {
		return nil, err
	}
	res, err := onPartition(ctx, s.c, p, metaserverv1connect.MetaServerServiceClient.GetDentry,
		&metaserverv1.GetDentryRequest{
			FsId: s.fs.GetFsId(), PartitionId: p.info.GetPartitionId(), ParentInodeId: s.dir, Name: name, TxId: s.txID,
		})
	if err != nil {
		return nil, err
	}
	return res.Dentry, nil
}

func (s *scenario) stat(ctx context.Context) error {
	dentry, err := s.lookup(ctx, fileName)
	if err != nil {
		return err
	}
	if dentry.GetInodeId() != s.file || dentry.GetType() != metaserverv1.FileType_FILE_TYPE_REGULAR {
		return mismatch("%q → %d (%v), want → %d", fileName, dentry.GetInodeId(), dentry.GetType(), s.file)
	}
	inode, err := s.getInode(ctx, s.file)
	if err != nil {
		return err
	}
	attr := inode.GetAttr()
	infos := inode.GetS3ChunkInfos()[0].GetInfos()
	switch {
	case attr.GetLength() != uint64(len(fileData)) || attr.GetNlink() != 1 || attr.GetMode() != 0o644:
		return mismatch("length %d, nlink %d, mode %o", attr.GetLength(), attr.GetNlink(), attr.GetMode())
	case !slices.Equal(attr.GetParentInodeIds(), []uint64{s.dir}):
		return mismatch("parents %v, want [%d]", attr.GetParentInodeIds(), s.dir)
	case len(infos) != 1 || infos[0].GetLen() != uint64(len(fileData)):
		return mismatch("chunk index 0 holds %v", infos)
	}
	return nil
}

// rename moves fileName to newName inside the directory as one rename transaction: take the
// fs's rename lock, prepare the transaction on the directory's partition, commit it at the MDS.
func (s *scenario) rename(ctx context.Context) error {
	owner := fmt.Sprintf("go-client-%d", os.Getpid())
	latest, err := onMds(ctx, s.c, mdsv1connect.MdsServiceClient.GetLatestTxId,
		&mdsv1.GetLatestTxIdRequest{FsId: s.fs.GetFsId(), LockOwner: &owner})
	if err != nil {
		return err
	}
	p, err := s.c.partitionOf(s.dir)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(latest.TxIds, func(t *mdsv1.PartitionTxId) bool { return t.GetPartitionId() == p.info.GetPartitionId() })
	if i < 0 {
		return mismatch("GetLatestTxId does not list partition %d", p.info.GetPartitionId())
	}
	txID := latest.TxIds[i].GetTxId() + 1
	regular := metaserverv1.FileType_FILE_TYPE_REGULAR
	_, err = onPartition(ctx, s.c, p, metaserverv1connect.MetaServerServiceClient.PrepareRenameTx,
		&metaserverv1.PrepareRenameTxRequest{
			FsId: s.fs.GetFsId(), PartitionId: p.info.GetPartitionId(), TxId: txID, TxSequence: latest.TxSequence,
			Entries: []*metaserverv1.RenameTxEntry{
				{Action: metaserverv1.RenameTxAction_RENAME_TX_ACTION_DELETE, ParentInodeId: s.dir, Name: fileName, InodeId: s.file, Type: regular},
				{Action: metaserverv1.RenameTxAction_RENAME_TX_ACTION_PUT, ParentInodeId: s.dir, Name: newName, InodeId: s.file, Type: regular},
			},
		})
	if err != nil {
		return err
	}
	if _, err := onMds(ctx, s.c, mdsv1connect.MdsServiceClient.CommitTx, &mdsv1.CommitTxRequest{
		FsId:           s.fs.GetFsId(),
		PartitionTxIds: []*mdsv1.PartitionTxId{{PartitionId: p.info.GetPartitionId(), TxId: txID}},
		LockOwner:      &owner,
		TxSequence:     &latest.TxSequence,
	}); err != nil {
		return err
	}
	s.txID = txID
	if dentry, err := s.lookup(ctx, newName); err != nil {
		return err
	} else if dentry.GetInodeId() != s.file {
		return mismatch("%q → %d after the rename, want → %d", newName, dentry.GetInodeId(), s.file)
	}
	if _, err := s.lookup(ctx, fileName); reasonOf(err) != commonv1.ErrorReason_ERROR_REASON_DENTRY_NOT_FOUND {
		return mismatch("%q after the rename: %v, want DENTRY_NOT_FOUND", fileName, err)
	}
	return nil
}

// unlink removes the entry, then drops the inode's last link, which moves it to the trash.
func (s *scenario) unlink(ctx context.Context) error {
	p, err := s.c.partitionOf(s.dir)
	if err != nil {
		return err
	}
	removed, err := onPartition(ctx, s.c, p, metaserverv1connect.MetaServerServiceClient.DeleteDentry,
		&metaserverv1.DeleteDentryRequest{
			FsId: s.fs.GetFsId(), PartitionId: p.info.GetPartitionId(), ParentInodeId: s.dir, Name: newName,
			Time: timestamppb.Now(), TxId: s.txID,
		})
	if err != nil {
		return err
	}
	if removed.Dentry.GetInodeId() != s.file {
		return mismatch("removed %q → %d, want → %d", newName, removed.Dentry.GetInodeId(), s.file)
	}
	filePartition, err := s.c.partitionOf(s.file)
	if err != nil {
		return err
	}
	now := timestamppb.Now()
	updated, err := onPartition(ctx, s.c, filePartition, metaserverv1connect.MetaServerServiceClient.UpdateInode,
		&metaserverv1.UpdateInodeRequest{
			FsId: s.fs.GetFsId(), PartitionId: filePartition.info.GetPartitionId(), InodeId: s.file,
			Time: now, Nlink: proto.Uint32(0), Ctime: now,
		})
	if err != nil {
		return err
	}
	if updated.Attr.GetNlink() != 0 {
		return mismatch("nlink %d after unlink", updated.Attr.GetNlink())
	}
	left, err := s.names(ctx, s.dir)
	if err != nil {
		return err
	}
	if len(left) != 0 {
		return mismatch("%s still lists %v", dirName, left)
	}
	return nil
}

func (s *scenario) umount(ctx context.Context) error {
	if _, err := onMds(ctx, s.c, mdsv1connect.MdsServiceClient.UmountFs,
		&mdsv1.UmountFsRequest{FsName: s.fsName, Mountpoint: s.mountpoint}); err != nil {
		return err
	}
	got, err := onMds(ctx, s.c, mdsv1connect.MdsServiceClient.GetFsInfo, &mdsv1.GetFsInfoRequest{FsName: &s.fsName})
	if err != nil {
		return err
	}
	if slices.ContainsFunc(got.FsInfo.GetMountpoints(), s.isOurMount) {
		return mismatch("the mount point is still listed after UmountFs")
	}
	return nil
}
