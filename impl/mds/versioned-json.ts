/**
 * The JSON form of MDS records that have no spec message (keys.ts): an object with a "v"
 * version field, so that a record this version cannot read is refused, never misread.
 */
import { bytesToText, toBytes } from "../storage/kv-bytes.js";

/** `value` as JSON bytes with `"v": version` added. */
export function encodeVersioned(version: number, value: object): Uint8Array {
  return toBytes(JSON.stringify({ v: version, ...value }));
}

/** The fields of a JSON record; throws unless its "v" is `version`. */
export function decodeVersioned(version: number, bytes: Uint8Array): Record<string, unknown> {
  const parsed: unknown = JSON.parse(bytesToText(bytes));
  if (typeof parsed !== "object" || parsed === null || (parsed as { v?: unknown }).v !== version) {
    throw new Error(`unknown record version (this MDS reads version ${version})`);
  }
  return parsed as Record<string, unknown>;
}
