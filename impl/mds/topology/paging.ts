/**
 * Paging of the topology's list RPCs (docs/spec-conventions.md, "Paging"): a page continues
 * after the last key the previous page returned, so a token stays valid across changes. The
 * token is opaque to callers: base64url of JSON {rpc, after}; a token of another RPC, or one
 * that does not parse, is `invalid_argument` ERROR_REASON_INVALID_ARGUMENT.
 */
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";

/** One page of a list in ascending key order. */
export interface Page<T> {
  readonly items: T[];
  readonly nextPageToken: string;
}

/** What a list RPC pages over. */
export interface PageRequest {
  /** The RPC's name: a token of another RPC is refused. */
  readonly rpc: string;
  readonly pageSize: number;
  readonly pageToken: string;
  /** Used when `pageSize` is 0. */
  readonly defaultPageSize: number;
}

/**
 * The page of `items` (sorted ascending by `keyOf`) that `request` asks for.
 * @throws CurveError INVALID_ARGUMENT for a token this RPC did not return.
 */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => bigint,
  request: PageRequest,
): Page<T> {
  const after = request.pageToken === "" ? undefined : decodeToken(request.rpc, request.pageToken);
  const size = request.pageSize === 0 ? request.defaultPageSize : request.pageSize;
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, size);
  const last = page[page.length - 1];
  const more = rest.length > page.length && last !== undefined;
  return { items: page, nextPageToken: more ? encodeToken(request.rpc, keyOf(last)) : "" };
}

function encodeToken(rpc: string, after: bigint): string {
  return Buffer.from(JSON.stringify({ rpc, after: after.toString() })).toString("base64url");
}

function decodeToken(rpc: string, token: string): bigint {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof parsed === "object" && parsed !== null) {
      const { rpc: owner, after } = parsed as { rpc?: unknown; after?: unknown };
      if (owner === rpc && typeof after === "string" && /^\d+$/.test(after)) return BigInt(after);
    }
  } catch {
    // falls through to the error below
  }
  throw new CurveError(ErrorReason.INVALID_ARGUMENT, "page_token was not returned by this RPC", {
    metadata: { field: "page_token" },
  });
}
