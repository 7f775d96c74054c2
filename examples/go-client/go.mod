// The Go example client: runs a short file-system scenario against a running curve-rpc cluster
// over gRPC, with the code generated into gen/go.
module curve-rpc/examples/go-client

go 1.24.0

require (
	connectrpc.com/connect v1.19.1
	curve-rpc/gen/go v0.0.0
	google.golang.org/protobuf v1.36.11
)

require buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go v1.36.11-20260709200747-435963d16310.1 // indirect

replace curve-rpc/gen/go => ../../gen/go
