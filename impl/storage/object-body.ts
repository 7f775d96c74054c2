import { validateDeclaredLength } from "./object-arguments.js";
import type { ObjectBody } from "./object-store.js";
import { InvalidObjectArgumentError } from "./object-store-errors.js";

/** The number of bytes a put will store; throws if a stream's declared length is not valid. */
export function bodyLength(body: ObjectBody): number {
  if (body instanceof Uint8Array) return body.byteLength;
  validateDeclaredLength(body.length);
  return body.length;
}

/**
 * The bytes of a body as chunks, checked against the declared length: a stream that runs long
 * fails as soon as it passes the length, one that ends early fails at its end. Either way the
 * consumer sees the error before it could commit the object.
 */
export async function* checkedChunks(body: ObjectBody): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  const declared = bodyLength(body);
  let seen = 0;
  for await (const chunk of body.stream) {
    seen += chunk.byteLength;
    if (seen > declared) throw lengthMismatch(declared, `more than ${declared}`);
    yield chunk;
  }
  if (seen !== declared) throw lengthMismatch(declared, String(seen));
}

/**
 * The bytes of a body cut into parts of exactly `partSize` bytes (the last one shorter), for
 * multipart uploads. An in-memory body is sliced without copying; a stream is gathered into one
 * buffer per part, so memory stays bounded by the part size times the parts in flight.
 */
export async function* bodyParts(body: ObjectBody, partSize: number): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let start = 0; start < body.byteLength; start += partSize) {
      yield body.subarray(start, start + partSize);
    }
    return;
  }
  let part = Buffer.allocUnsafe(partSize);
  let filled = 0;
  for await (const chunk of checkedChunks(body)) {
    let used = 0;
    while (used < chunk.byteLength) {
      const take = Math.min(partSize - filled, chunk.byteLength - used);
      part.set(chunk.subarray(used, used + take), filled);
      filled += take;
      used += take;
      if (filled === partSize) {
        yield part;
        part = Buffer.allocUnsafe(partSize);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield part.subarray(0, filled);
}

function lengthMismatch(declared: number, actual: string): InvalidObjectArgumentError {
  return new InvalidObjectArgumentError(
    `stream length differs from the declared length: declared ${declared} bytes, got ${actual}`,
  );
}
