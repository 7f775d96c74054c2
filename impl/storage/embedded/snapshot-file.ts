/**
 * The embedded store's snapshot: the whole state at one revision, in one file written to a temp
 * file, fsynced and renamed into place (so it is either the old or the new snapshot, never half).
 *
 * File: 8-byte magic, CRC-32C of the payload (u32 LE), payload (JSON, bytes in base64).
 */
import { readFile } from "node:fs/promises";
import { crc32c } from "../crc32c.js";
import { KvError } from "../kv-error.js";
import type { KeyValue } from "../kv-store.js";
import { replaceFileDurably } from "./durable-file.js";
import type { StateImage } from "./kv-state.js";

const MAGIC = Buffer.from("CRVKVSN1", "ascii");

interface WireSnapshot {
  revision: number;
  lastLeaseId: number;
  leases: { i: string; ttl: number }[];
  kvs: { k: string; v: string; c: number; m: number; n: number; l?: string }[];
}

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
const unb64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));

function toWire(image: StateImage): WireSnapshot {
  return {
    revision: image.revision,
    lastLeaseId: image.lastLeaseId,
    leases: image.leases.map((l) => ({ i: l.id, ttl: l.ttlSeconds })),
    kvs: image.entries.map((e) => ({
      k: b64(e.key),
      v: b64(e.value),
      c: e.createRevision,
      m: e.modRevision,
      n: e.version,
      ...(e.lease === undefined ? {} : { l: e.lease }),
    })),
  };
}

function fromWire(wire: WireSnapshot): StateImage {
  return {
    revision: wire.revision,
    lastLeaseId: wire.lastLeaseId,
    leases: wire.leases.map((l) => ({ id: l.i, ttlSeconds: l.ttl })),
    entries: wire.kvs.map(
      (e): KeyValue => ({
        key: unb64(e.k),
        value: unb64(e.v),
        createRevision: e.c,
        modRevision: e.m,
        version: e.n,
        lease: e.l,
      }),
    ),
  };
}

/** Writes `image` as the snapshot at `path`, atomically and durably. */
export async function writeSnapshot(path: string, image: StateImage): Promise<void> {
  const payload = Buffer.from(JSON.stringify(toWire(image)), "ascii");
  const head = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(head);
  head.writeUInt32LE(crc32c(payload), MAGIC.length);
  await replaceFileDurably(path, Buffer.concat([head, payload]));
}

/** Reads the snapshot at `path`; undefined when there is none, `corrupt` when it is damaged. */
export async function readSnapshot(path: string): Promise<StateImage | undefined> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const payload = buffer.subarray(MAGIC.length + 4);
  const valid =
    buffer.length >= MAGIC.length + 4 &&
    buffer.subarray(0, MAGIC.length).equals(MAGIC) &&
    buffer.readUInt32LE(MAGIC.length) === crc32c(payload);
  if (!valid) throw new KvError("corrupt", `snapshot ${path} fails its checksum`);
  return fromWire(JSON.parse(payload.toString("ascii")) as WireSnapshot);
}
