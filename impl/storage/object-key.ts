import { InvalidObjectArgumentError } from "./object-store-errors.js";

/** S3's limit on the UTF-8 length of a key; the local store keeps it so keys stay portable. */
export const MAX_OBJECT_KEY_BYTES = 1024;

/**
 * The file-name limit of Linux file systems, which MinIO stores each `/`-separated segment in
 * (it refuses longer segments with XMinioInvalidObjectName).
 */
export const MAX_KEY_SEGMENT_BYTES = 255;

/**
 * Throws `InvalidObjectArgumentError` unless `key` is a portable object key:
 * - 1 to 1,024 bytes of UTF-8, well-formed (no lone surrogates, which UTF-8 cannot carry);
 * - no control characters (S3 returns keys in XML listings, which cannot carry most of them);
 * - `/`-separated segments of 1 to 255 bytes that are neither `.` nor `..`, so a key never
 *   means a different path on a file system or to an S3 server that normalises paths (MinIO
 *   refuses such keys itself).
 * The keys curve-rpc writes (`<fsId>_<inodeId>_<chunkId>_<blockIndex>_<compaction>`, with or
 * without a hashed directory prefix) always pass.
 *
 * One more portability rule cannot be checked key by key: a key should not also be a directory
 * of another key (`a` next to `a/b`). MinIO stores both but lists only one of them; the local
 * store and AWS S3 handle it. curve-rpc's keys all sit at the same depth, so they never do this.
 */
export function validateObjectKey(key: string): void {
  if (key.length === 0) throw invalidKey(key, "must not be empty");
  checkText(key, "key");
  for (const segment of key.split("/")) {
    if (segment === "") throw invalidKey(key, "must not start or end with / or contain //");
    if (segment === "." || segment === "..") {
      throw invalidKey(key, "must not contain . or .. segments");
    }
    if (Buffer.byteLength(segment, "utf8") > MAX_KEY_SEGMENT_BYTES) {
      throw invalidKey(key, `has a segment longer than ${MAX_KEY_SEGMENT_BYTES} bytes`);
    }
  }
}

/** Throws `InvalidObjectArgumentError` unless `prefix` could start a valid key ("" is fine). */
export function validateKeyPrefix(prefix: string): void {
  checkText(prefix, "prefix");
}

function checkText(text: string, what: "key" | "prefix"): void {
  if (/\p{Cs}/u.test(text)) throw invalid(what, text, "is not well-formed UTF-16 (lone surrogate)");
  if (hasControlCharacter(text)) throw invalid(what, text, "must not contain control characters");
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_OBJECT_KEY_BYTES) {
    throw invalid(what, text, `is ${bytes} bytes of UTF-8, more than ${MAX_OBJECT_KEY_BYTES}`);
  }
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function invalidKey(key: string, why: string): InvalidObjectArgumentError {
  return invalid("key", key, why);
}

function invalid(what: string, text: string, why: string): InvalidObjectArgumentError {
  const shown = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return new InvalidObjectArgumentError(`invalid object ${what} ${JSON.stringify(shown)}: ${why}`);
}
