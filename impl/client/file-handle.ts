/**
 * An open regular file: reads and writes at any offset, flush/fsync, truncate, close. The bytes
 * go through the data path (data/file-data-handle.ts), which buffers writes and records them on
 * the inode when it flushes; close flushes (close-to-open consistency). Errors are ClientErrors
 * naming the file.
 */

import { ClientError, toClientError } from "./client-error.js";
import type { FileDataHandle } from "./data/file-data-handle.js";

/** How a file was opened. */
export interface OpenMode {
  readonly read: boolean;
  readonly write: boolean;
  readonly append: boolean;
}

export class FileHandle {
  #closed = false;

  constructor(
    private readonly data: FileDataHandle,
    readonly inodeId: bigint,
    /** The path as the user wrote it (`fs:/a/b`), for error messages. */
    readonly path: string,
    private readonly mode: OpenMode,
  ) {}

  /** The length as this handle sees it, its unflushed writes included. */
  get length(): number {
    return this.data.length;
  }

  /** Reads up to `length` bytes at `position` (fewer at the end of the file). */
  async read(position: number, length: number): Promise<Uint8Array> {
    this.#check("read", this.mode.read);
    return this.#run("read", () => this.data.read(position, length));
  }

  /** The whole file, or [position, end), as a stream of windows. */
  async *readStream(position = 0): AsyncGenerator<Uint8Array> {
    this.#check("read", this.mode.read);
    try {
      yield* this.data.readStream(position);
    } catch (error) {
      throw toClientError(error, "read", this.path);
    }
  }

  /** Writes `data` at `position` (at the end when opened for append). */
  async write(data: Uint8Array, position?: number): Promise<void> {
    this.#check("write", this.mode.write);
    const at = this.mode.append || position === undefined ? this.data.length : position;
    return this.#run("write", () => this.data.write(at, data));
  }

  /** Writes a stream from `position` on; returns the bytes written. */
  async writeStream(
    source: AsyncIterable<Uint8Array>,
    position = this.data.length,
  ): Promise<number> {
    this.#check("write", this.mode.write);
    return this.#run("write", () => this.data.writeStream(position, source));
  }

  /** Sets the length; takes effect on the inode before it returns. */
  async truncate(length: number): Promise<void> {
    this.#check("ftruncate", this.mode.write);
    return this.#run("ftruncate", () => this.data.truncate(length));
  }

  /** Stores buffered writes and records them on the inode. */
  async flush(): Promise<void> {
    this.#check("flush", true);
    return this.#run("flush", () => this.data.flush());
  }

  /** Like flush: a write recorded by UpdateInode is committed by a Raft majority. */
  fsync(): Promise<void> {
    return this.flush();
  }

  /** Flushes and releases the handle. Closing twice is allowed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    return this.#run("close", () => this.data.close());
  }

  #check(syscall: string, allowed: boolean): void {
    if (this.#closed || !allowed) throw new ClientError("EBADF", { syscall, path: this.path });
  }

  async #run<T>(syscall: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toClientError(error, syscall, this.path);
    }
  }
}
