// Go code generated from the curve-rpc protos (buf.gen.polyglot.yaml): message types
// (protoc-gen-go) and Connect clients and handlers, which also speak gRPC and gRPC-Web
// (protoc-gen-connect-go). Not fetchable by path: use it with a replace directive, as
// examples/go-client does.
module curve-rpc/gen/go

go 1.24.0

require (
	// The schema registry's Go code for buf/validate at the protovalidate release the protos are
	// checked against (v1.2.2, scripts/fetch-protos.ts), served by the Go module proxy.
	buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go v1.36.11-20260709200747-435963d16310.1
	connectrpc.com/connect v1.19.1
	google.golang.org/protobuf v1.36.11
)
