/**
 * The echo server (see echo-rpc.ts) in its own process: impl/server/start-server.ts, the stack
 * every curve-rpc service runs on, with one trivial handler. It counts calls, so a driver that
 * cannot read gRPC trailers (h2load) can be checked against what the handler really served.
 */
import { pino } from "pino";
import { type RunningServer, startServer } from "../../impl/server/start-server.js";
import { ECHO_RESPONSE, ECHO_SERVICE } from "./echo-rpc.js";

let server: RunningServer | undefined;
let handled = 0;

export async function start(): Promise<{ url: string }> {
  server ??= await startServer({
    host: "127.0.0.1",
    port: 0,
    logger: pino({ level: "silent" }),
    routes: (router) => {
      router.service(ECHO_SERVICE, {
        getLeader: () => {
          handled++;
          return ECHO_RESPONSE;
        },
      });
    },
  });
  return { url: server.url };
}

/** Calls the handler has answered so far. */
export function calls(): number {
  return handled;
}

export async function stop(): Promise<void> {
  await server?.close();
  server = undefined;
}
