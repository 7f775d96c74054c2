/**
 * `FsStorageLookup` over MdsService.GetFsInfo. The MDS addresses come from the metaserver's
 * configuration; the call goes to the last MDS that answered, then follows NOT_LEADER leader
 * hints, then tries every configured address, with a deadline per attempt. An fs's S3 settings
 * never change after creation (UpdateFs changes only capacity and owner) and fs ids are never
 * reused, so answers are cached per fs for the life of the process.
 */
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { CurveError, errorInfoOf } from "../../errors.js";
import type { S3Info } from "../../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { MdsService } from "../../gen/curve/mds/v1/mds_pb.js";
import type { FsStorageLookup } from "./fs-storage-lookup.js";

export interface MdsFsStorageLookupOptions {
  /** The MDS addresses: "host:port" or "http://host:port". At least one. */
  readonly mdsAddresses: readonly string[];
  /** Deadline of one attempt on one MDS. Default 3000 ms. */
  readonly callTimeoutMs?: number;
}

/** Reasons after which another MDS (or the hinted one) may answer. */
const TRY_ANOTHER = new Set<ErrorReason>([
  ErrorReason.NOT_LEADER,
  ErrorReason.LEADER_UNKNOWN,
  ErrorReason.NOT_READY,
  ErrorReason.OVERLOADED,
]);

/** Transport failures (refused, timed out): try another MDS. */
const TRANSPORT_CODES = new Set<Code>([Code.Unavailable, Code.DeadlineExceeded, Code.Canceled]);

function urlOf(address: string): string {
  return /^https?:\/\//.test(address) ? address : `http://${address}`;
}

export class MdsFsStorageLookup implements FsStorageLookup {
  readonly #urls: readonly string[];
  readonly #timeoutMs: number;
  readonly #cache = new Map<number, S3Info>();
  readonly #clients = new Map<
    string,
    { client: Client<typeof MdsService>; session: Http2SessionManager }
  >();
  #lastAnswered: string | undefined;

  constructor(options: MdsFsStorageLookupOptions) {
    if (options.mdsAddresses.length === 0) {
      throw new CurveError(ErrorReason.INVALID_ARGUMENT, "at least one MDS address is required");
    }
    this.#urls = options.mdsAddresses.map(urlOf);
    this.#timeoutMs = options.callTimeoutMs ?? 3000;
  }

  async s3InfoOf(fsId: number): Promise<S3Info> {
    const cached = this.#cache.get(fsId);
    if (cached !== undefined) return cached;
    const info = await this.#ask(fsId);
    this.#cache.set(fsId, info);
    return info;
  }

  async close(): Promise<void> {
    for (const { session } of this.#clients.values()) session.abort();
    this.#clients.clear();
  }

  async #ask(fsId: number): Promise<S3Info> {
    const queue = [
      ...(this.#lastAnswered === undefined ? [] : [this.#lastAnswered]),
      ...this.#urls,
    ];
    const tried = new Set<string>();
    let lastError: unknown;
    // Every configured address once, plus a few hinted ones.
    for (let budget = this.#urls.length + 3; budget > 0 && queue.length > 0; ) {
      const url = queue.shift() as string;
      if (tried.has(url)) continue;
      tried.add(url);
      budget--;
      try {
        const response = await this.#client(url).getFsInfo(
          { fsId },
          { timeoutMs: this.#timeoutMs },
        );
        this.#lastAnswered = url;
        const fs = response.fsInfo;
        if (fs?.detail.case !== "s3Info") {
          throw new CurveError(ErrorReason.FS_TYPE_MISMATCH, `fs ${fsId} is not an S3 fs`, {
            metadata: { fs_id: String(fsId) },
          });
        }
        return fs.detail.value;
      } catch (error) {
        if (error instanceof CurveError) throw error;
        const info = errorInfoOf(error);
        const reason = info?.reason ?? ErrorReason.UNSPECIFIED;
        if (reason === ErrorReason.NOT_LEADER && info?.leaderHint) {
          queue.unshift(urlOf(info.leaderHint));
        } else if (
          !TRY_ANOTHER.has(reason) &&
          !TRANSPORT_CODES.has(ConnectError.from(error).code)
        ) {
          // The MDS's own answer (e.g. FS_NOT_FOUND): final.
          const final = reason === ErrorReason.UNSPECIFIED ? ErrorReason.INTERNAL : reason;
          throw new CurveError(final, ConnectError.from(error).rawMessage, { cause: error });
        }
        lastError = error;
      }
    }
    throw new CurveError(
      ErrorReason.LEADER_UNKNOWN,
      `no MDS answered GetFsInfo for fs ${fsId} (tried ${[...tried].join(", ")})`,
      { cause: lastError },
    );
  }

  #client(url: string): Client<typeof MdsService> {
    let entry = this.#clients.get(url);
    if (entry === undefined) {
      const session = new Http2SessionManager(url);
      const transport = createConnectTransport({
        baseUrl: url,
        httpVersion: "2",
        sessionManager: session,
      });
      entry = { client: createClient(MdsService, transport), session };
      this.#clients.set(url, entry);
    }
    return entry.client;
  }
}
