/**
 * The mutations the embedded store logs, and their encoding.
 *
 * Every change to the store is one record; the in-memory state is what you get by applying the
 * records in order (on top of the last snapshot). Records are encoded as compact JSON with bytes
 * in base64, so an encoded record is pure ASCII — the log's frame marker relies on that.
 */
import { KvError } from "../kv-error.js";
import type { LeaseId } from "../kv-store.js";

/** One key change inside a write record: a put (value present) or a delete (value absent). */
export interface KeyChange {
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
  readonly lease: LeaseId | undefined;
}

/** A logged mutation. */
export type KvRecord =
  /** Puts and deletes that together take revision `revision`. */
  | { readonly type: "write"; readonly revision: number; readonly changes: readonly KeyChange[] }
  /** A lease granted. */
  | { readonly type: "grant"; readonly id: LeaseId; readonly ttlSeconds: number }
  /** A lease ended (revoked or expired); its keys, if any, are deleted at `revision`. */
  | { readonly type: "revoke"; readonly id: LeaseId; readonly revision: number };

type WireChange = { k: string; v?: string; l?: string };
type WireRecord =
  | { t: "w"; r: number; c: WireChange[] }
  | { t: "g"; i: string; ttl: number }
  | { t: "r"; i: string; r: number };

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
const unb64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));

function toWire(record: KvRecord): WireRecord {
  switch (record.type) {
    case "write":
      return {
        t: "w",
        r: record.revision,
        c: record.changes.map((c) => ({
          k: b64(c.key),
          ...(c.value === undefined ? {} : { v: b64(c.value) }),
          ...(c.lease === undefined ? {} : { l: c.lease }),
        })),
      };
    case "grant":
      return { t: "g", i: record.id, ttl: record.ttlSeconds };
    case "revoke":
      return { t: "r", i: record.id, r: record.revision };
  }
}

function malformed(detail: string): KvError {
  return new KvError("corrupt", `embedded kv log holds a malformed record: ${detail}`);
}

function fromWire(wire: unknown): KvRecord {
  if (typeof wire !== "object" || wire === null) throw malformed("not an object");
  const w = wire as Record<string, unknown>;
  if (w.t === "w" && typeof w.r === "number" && Array.isArray(w.c)) {
    return { type: "write", revision: w.r, changes: w.c.map(changeFromWire) };
  }
  if (w.t === "g" && typeof w.i === "string" && typeof w.ttl === "number") {
    return { type: "grant", id: w.i, ttlSeconds: w.ttl };
  }
  if (w.t === "r" && typeof w.i === "string" && typeof w.r === "number") {
    return { type: "revoke", id: w.i, revision: w.r };
  }
  throw malformed(`unknown record ${JSON.stringify(w.t)}`);
}

function changeFromWire(wire: unknown): KeyChange {
  const c = wire as WireChange;
  if (typeof c?.k !== "string") throw malformed("change without a key");
  return {
    key: unb64(c.k),
    value: typeof c.v === "string" ? unb64(c.v) : undefined,
    lease: typeof c.l === "string" ? c.l : undefined,
  };
}

/** Encodes a record as one line of ASCII JSON (no newline inside). */
export function encodeRecord(record: KvRecord): string {
  return JSON.stringify(toWire(record));
}

/** Decodes a line written by `encodeRecord`; `corrupt` when it is not a known record. */
export function decodeRecord(line: string): KvRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new KvError("corrupt", "embedded kv log entry is not JSON", { cause: error });
  }
  return fromWire(parsed);
}
