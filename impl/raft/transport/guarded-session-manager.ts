/**
 * An `Http2SessionManager` that never lets a closing HTTP/2 session crash the process.
 *
 * connect-node destroys a session that receives GOAWAY with no open streams, and Node raises the
 * destroy error as an "error" event only once the socket has closed; if the manager has moved on
 * (a new request reconnected meanwhile) its listeners are gone and the event becomes an uncaught
 * exception (connectrpc/connect-es#1768, open). A peer that restarts gracefully sends exactly
 * that GOAWAY, so Raft peers hit it routinely. Every session this manager opens gets a listener
 * that ignores such late errors; the manager's own listeners still see every error while they
 * are attached.
 */
import type { ClientHttp2Session, ClientHttp2Stream, OutgoingHttpHeaders } from "node:http2";
import { Http2SessionManager } from "@connectrpc/connect-node";

export class GuardedHttp2SessionManager extends Http2SessionManager {
  private readonly guarded = new WeakSet<ClientHttp2Session>();

  override async request(
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    options: Parameters<Http2SessionManager["request"]>[3],
  ): Promise<ClientHttp2Stream> {
    const stream = await super.request(method, path, headers, options);
    const session = stream.session as ClientHttp2Session | undefined;
    if (session !== undefined && !this.guarded.has(session)) {
      this.guarded.add(session);
      session.on("error", ignoreLateError);
    }
    return stream;
  }
}

function ignoreLateError(): void {}
