package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"connectrpc.com/connect"

	commonv1 "curve-rpc/gen/go/curve/common/v1"
)

// A freshly started cluster elects its MDS leader and its copyset leaders within seconds; the
// attempts below wait up to about 15 s for them.
const (
	maxAttempts = 75
	backoff     = 200 * time.Millisecond
)

// replicaGroup is a set of servers of which one, the leader, serves: the MDS processes, or the
// members of a copyset. Addresses are "host:port", the form of leader hints.
type replicaGroup struct {
	label   string
	members []string
	leader  string
}

// candidate returns the member to try after `failed`: the next one in order, round robin.
func (g *replicaGroup) candidate(failed string) string {
	i := slices.Index(g.members, failed)
	return g.members[(i+1)%len(g.members)]
}

// callReplicated runs `call` on the group's leader: the known leader first, a leader hint of an
// `unavailable` answer at once, otherwise the next member after a pause. `resource_exhausted`
// (overload) is retried on the same server after the advised pause. Any other error is final.
func callReplicated[T any](ctx context.Context, g *replicaGroup, call func(address string) (T, error)) (T, error) {
	var zero T
	address := g.leader
	if address == "" {
		address = g.members[0]
	}
	var lastErr error
	for range maxAttempts {
		result, err := call(address)
		if err == nil {
			g.leader = address
			return result, nil
		}
		lastErr = err
		info := errorInfo(err)
		pause := backoff
		switch connect.CodeOf(err) {
		case connect.CodeUnavailable:
			if info != nil && info.LeaderHint != "" && info.LeaderHint != address {
				address, g.leader = info.LeaderHint, info.LeaderHint
				continue
			}
			address = g.candidate(address)
		case connect.CodeResourceExhausted:
			if info != nil && info.RetryAfterMs > 0 {
				pause = time.Duration(info.RetryAfterMs) * time.Millisecond
			}
		default:
			return zero, err
		}
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case <-time.After(pause):
		}
	}
	return zero, fmt.Errorf("%s: no leader answered after %d attempts: %w", g.label, maxAttempts, lastErr)
}

// errorInfo returns the curve.common.v1.ErrorInfo detail of a failed call, or nil.
func errorInfo(err error) *commonv1.ErrorInfo {
	var connectErr *connect.Error
	if !errors.As(err, &connectErr) {
		return nil
	}
	for _, detail := range connectErr.Details() {
		if value, err := detail.Value(); err == nil {
			if info, ok := value.(*commonv1.ErrorInfo); ok {
				return info
			}
		}
	}
	return nil
}

// reasonOf returns the ErrorReason of a failed call (ERROR_REASON_UNSPECIFIED without detail).
func reasonOf(err error) commonv1.ErrorReason {
	if info := errorInfo(err); info != nil {
		return info.Reason
	}
	return commonv1.ErrorReason_ERROR_REASON_UNSPECIFIED
}
