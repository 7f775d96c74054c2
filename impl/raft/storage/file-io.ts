/**
 * Positioned reads and writes that finish the job: the kernel may move fewer bytes than asked
 * (a signal, a full disk on the way to an error), and a storage engine must not treat that as done.
 */
import type { FileHandle } from "node:fs/promises";

export async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number) {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** Up to `length` bytes at `position`; fewer only when the file ends first. */
export async function readAt(handle: FileHandle, position: number, length: number) {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buf : buf.subarray(0, filled);
}
