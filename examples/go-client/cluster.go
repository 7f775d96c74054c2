package main

import (
	"context"
	"fmt"
	"net/http"

	"connectrpc.com/connect"

	commonv1 "curve-rpc/gen/go/curve/common/v1"
	mdsv1 "curve-rpc/gen/go/curve/mds/v1"
	"curve-rpc/gen/go/curve/mds/v1/mdsv1connect"
	"curve-rpc/gen/go/curve/metaserver/v1/metaserverv1connect"
)

// cluster holds the clients of one curve-rpc cluster and the routes of one file system's
// partitions. Every call goes over gRPC (connect.WithGRPC) on cleartext HTTP/2.
type cluster struct {
	http       *http.Client
	mds        *replicaGroup
	partitions []*partition
}

// partition is one partition of the fs with the copyset that hosts it. Partitions of one
// copyset share their replicaGroup, so a leader learned on one serves all.
type partition struct {
	info  *commonv1.PartitionInfo
	group *replicaGroup
}

func newCluster(mdsAddresses []string) *cluster {
	transport := &http.Transport{Protocols: new(http.Protocols)}
	transport.Protocols.SetUnencryptedHTTP2(true)
	return &cluster{
		http: &http.Client{Transport: transport},
		mds:  &replicaGroup{label: "mds", members: mdsAddresses},
	}
}

// unaryMethod is a generated client method as a method expression, e.g.
// mdsv1connect.MdsServiceClient.CreateFs.
type unaryMethod[C, Req, Res any] func(C, context.Context, *connect.Request[Req]) (*connect.Response[Res], error)

func unary[C, Req, Res any](ctx context.Context, g *replicaGroup, client func(address string) C, method unaryMethod[C, Req, Res], req *Req) (*Res, error) {
	res, err := callReplicated(ctx, g, func(address string) (*connect.Response[Res], error) {
		return method(client(address), ctx, connect.NewRequest(req))
	})
	if err != nil {
		return nil, err
	}
	return res.Msg, nil
}

func (c *cluster) baseURL(address string) string { return "http://" + address }

func (c *cluster) mdsClient(address string) mdsv1connect.MdsServiceClient {
	return mdsv1connect.NewMdsServiceClient(c.http, c.baseURL(address), connect.WithGRPC())
}

func (c *cluster) topologyClient(address string) mdsv1connect.TopologyServiceClient {
	return mdsv1connect.NewTopologyServiceClient(c.http, c.baseURL(address), connect.WithGRPC())
}

func (c *cluster) metaserverClient(address string) metaserverv1connect.MetaServerServiceClient {
	return metaserverv1connect.NewMetaServerServiceClient(c.http, c.baseURL(address), connect.WithGRPC())
}

// onMds calls MdsService on the MDS leader.
func onMds[Req, Res any](ctx context.Context, c *cluster, method unaryMethod[mdsv1connect.MdsServiceClient, Req, Res], req *Req) (*Res, error) {
	return unary(ctx, c.mds, c.mdsClient, method, req)
}

// onTopology calls TopologyService on the MDS leader.
func onTopology[Req, Res any](ctx context.Context, c *cluster, method unaryMethod[mdsv1connect.TopologyServiceClient, Req, Res], req *Req) (*Res, error) {
	return unary(ctx, c.mds, c.topologyClient, method, req)
}

// onPartition calls MetaServerService on the leader of the copyset hosting p.
func onPartition[Req, Res any](ctx context.Context, c *cluster, p *partition, method unaryMethod[metaserverv1connect.MetaServerServiceClient, Req, Res], req *Req) (*Res, error) {
	return unary(ctx, p.group, c.metaserverClient, method, req)
}

// loadRoutes reads every partition of the fs with its copyset's members and last known leader
// (TopologyService.ListPartitions, all pages).
func (c *cluster) loadRoutes(ctx context.Context, fsID uint32) error {
	groups := map[[2]uint32]*replicaGroup{}
	c.partitions = nil
	token := ""
	for {
		page, err := onTopology(ctx, c, mdsv1connect.TopologyServiceClient.ListPartitions,
			&mdsv1.ListPartitionsRequest{FsId: fsID, PageToken: token})
		if err != nil {
			return err
		}
		for _, route := range page.Partitions {
			copyset := route.GetCopyset()
			key := [2]uint32{copyset.GetPoolId(), copyset.GetCopysetId()}
			group := groups[key]
			if group == nil {
				group = &replicaGroup{label: fmt.Sprintf("copyset %d/%d", key[0], key[1])}
				for _, peer := range copyset.GetPeers() {
					group.members = append(group.members, peer.GetAddress())
				}
				if len(group.members) == 0 {
					return fmt.Errorf("partition %d: its copyset has no members", route.GetPartition().GetPartitionId())
				}
				group.leader = copyset.GetLeader().GetAddress()
				groups[key] = group
			}
			c.partitions = append(c.partitions, &partition{info: route.GetPartition(), group: group})
		}
		if token = page.NextPageToken; token == "" {
			return nil
		}
	}
}

// partitionOf returns the partition whose inode-id range holds id.
func (c *cluster) partitionOf(id uint64) (*partition, error) {
	for _, p := range c.partitions {
		if p.info.GetStart() <= id && id <= p.info.GetEnd() {
			return p, nil
		}
	}
	return nil, fmt.Errorf("no partition holds inode %d", id)
}

// writable returns the READ_WRITE partitions, in ascending order of their ranges.
func (c *cluster) writable() []*partition {
	var out []*partition
	for _, p := range c.partitions {
		if p.info.GetStatus() == commonv1.PartitionStatus_PARTITION_STATUS_READ_WRITE {
			out = append(out, p)
		}
	}
	return out
}
