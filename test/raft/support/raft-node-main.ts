/**
 * One Raft node as its own OS process, for test/raft/multi-process.test.ts:
 *
 *   node --import tsx test/raft/support/raft-node-main.ts \
 *     --listen 127.0.0.1:P --peers A,B,C --data-dir DIR --client-port Q
 *
 * Serves RaftService and CliService on --listen, hosts one group of KvStateMachine, and — TEST
 * ONLY — a tiny JSON-over-HTTP endpoint on 127.0.0.1:--client-port through which the test writes
 * and inspects the state machine:
 *   POST /write  {"id","key","value"}  → 200 {"index"} once committed and applied; 503 {"error",
 *                                          "leaderHint"} when this node cannot take it
 *   GET  /state                        → {"role","leader","term","applied","ids"} (local view)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { CurveError } from "../../../impl/errors.js";
import { registerCliService } from "../../../impl/raft/cli-service.js";
import { RaftHost } from "../../../impl/raft/node/index.js";
import {
  ConnectRaftTransport,
  RAFT_READ_MAX_BYTES,
  registerRaftService,
} from "../../../impl/raft/transport/index.js";
import { startServer } from "../../../impl/server/start-server.js";
import { KvStateMachine, type KvWrite } from "./kv-state-machine.js";
import { GROUP_ID } from "./raft-cluster.js";

const { values } = parseArgs({
  options: {
    listen: { type: "string" },
    peers: { type: "string" },
    "data-dir": { type: "string" },
    "client-port": { type: "string" },
    "tick-ms": { type: "string", default: "50" },
  },
});
const listen = required(values.listen, "--listen");
const [hostName, port] = splitAddress(listen);
const peers = required(values.peers, "--peers").split(",");
const dataDir = required(values["data-dir"], "--data-dir");
const clientPort = Number(required(values["client-port"], "--client-port"));

const logger = pino({ level: process.env.CURVE_LOG_LEVEL ?? "warn" }, pino.destination(2));
const holder: { host?: RaftHost } = {};
const server = await startServer({
  readMaxBytes: RAFT_READ_MAX_BYTES,
  host: hostName,
  port,
  logger,
  routes: (router) => {
    registerRaftService(router, () => holder.host);
    registerCliService(router, () => holder.host);
  },
});
const host = new RaftHost({
  address: server.address,
  dataDir,
  transport: new ConnectRaftTransport({ logger }),
  tickMs: Number(values["tick-ms"]),
  // Small snapshots and compaction, so that restarts and lagging nodes go through snapshots too.
  snapshotEveryEntries: 50,
  snapshotKeepEntries: 10,
  logger,
});
const node = await host.createGroup(GROUP_ID, { peers, stateMachine: new KvStateMachine() });
holder.host = host;

const client = createServer((request, response) => {
  void serve(request, response).catch((error: unknown) =>
    reply(response, 500, { error: String(error) }),
  );
});
client.listen(clientPort, "127.0.0.1");

async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === "GET" && request.url === "/state") {
    const status = node.status();
    reply(response, 200, {
      role: status.role,
      leader: status.leader,
      term: status.term,
      applied: node.appliedIndex,
      ids: node.stateMachine.appliedIds(),
    });
    return;
  }
  if (request.method === "POST" && request.url === "/write") {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const write = JSON.parse(Buffer.concat(chunks).toString()) as KvWrite;
    try {
      const { index } = await node.propose(KvStateMachine.encode(write));
      reply(response, 200, { index });
    } catch (error) {
      const hint = error instanceof CurveError ? error.leaderHint : "";
      reply(response, 503, { error: String(error), leaderHint: hint });
    }
    return;
  }
  reply(response, 404, { error: "not found" });
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new Error(`${flag} is required`);
  return value;
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(":");
  return [address.slice(0, at), Number(address.slice(at + 1))];
}
