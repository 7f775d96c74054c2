/**
 * The "echo" of the rpc baseline. The spec has no echo service, so the smallest read-only RPC
 * stands in: curve.raft.v1.CliService/GetLeader, answered with a constant. Its request passes
 * the same interceptors (errors, protovalidate) as every real call, so the echo measures the
 * full server stack minus the domain work.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { PeerSchema } from "../../impl/gen/curve/common/v1/common_pb.js";
import {
  CliService,
  GetLeaderRequestSchema,
  GetLeaderResponseSchema,
} from "../../impl/gen/curve/raft/v1/cli_pb.js";

export const ECHO_SERVICE = CliService;
export const ECHO_METHOD = "GetLeader";
export const ECHO_PATH = `/${CliService.typeName}/${ECHO_METHOD}`;

export const ECHO_REQUEST = create(GetLeaderRequestSchema, { poolId: 1, copysetId: 1 });

const peers = [1, 2, 3].map((id) => create(PeerSchema, { id, address: `127.0.0.1:820${id}` }));

export const ECHO_RESPONSE = create(GetLeaderResponseSchema, {
  leader: peers[0],
  term: 7n,
  peers,
});

/** The request as the body of a Connect unary call (content-type application/proto). */
export function connectBody(): Uint8Array {
  return toBinary(GetLeaderRequestSchema, ECHO_REQUEST);
}

/** The request as the body of a gRPC call: a 5-byte frame prefix (uncompressed, length) + message. */
export function grpcBody(): Uint8Array {
  const message = connectBody();
  const body = new Uint8Array(5 + message.byteLength);
  new DataView(body.buffer).setUint32(1, message.byteLength, false);
  body.set(message, 5);
  return body;
}
