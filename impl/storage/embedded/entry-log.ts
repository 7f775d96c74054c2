/**
 * An append-only, fsynced log of ASCII entries with group commit and torn-tail recovery.
 *
 * File: an 8-byte header, then frames. One frame per flush, holding every entry appended since
 * the previous flush (newline-separated):
 *
 *   [marker 4 bytes][payload length u32 LE][CRC-32C of payload u32 LE][payload]
 *
 * Why one frame per flush: a crash can only tear the flush that was in progress, and that flush
 * is one frame, the last one. So on open, an invalid frame with no valid frame after it is a torn
 * tail (never acknowledged: its fsync had not returned) and is cut off; an invalid frame followed
 * by a valid one is damage to acknowledged data, and opening fails with `corrupt` instead of
 * dropping it. The marker has bytes ≥ 0x80, which never occur in the ASCII payloads, so the
 * search for a later valid frame is a plain byte search.
 */
import { type FileHandle, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { crc32c } from "../crc32c.js";
import { KvError } from "../kv-error.js";
import { fsyncDirectory } from "./durable-file.js";

const HEADER = Buffer.from("CRVKVLG1", "ascii");
const MARKER = Buffer.from([0xc5, 0x4b, 0x56, 0xd2]);
const FRAME_HEAD_BYTES = 12;
/** A flush writes at most this much (unless one entry is larger): bounds memory per write. */
const MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** What opening found. */
export interface EntryLogOpened {
  readonly log: EntryLog;
  /** Every entry of every valid frame, in order. */
  readonly entries: string[];
  /** Bytes cut off the end because the last flush was torn (0 normally). */
  readonly tornTailBytes: number;
}

interface Pending {
  readonly text: string;
  readonly seq: number;
}

interface Waiter {
  readonly seq: number;
  resolve(): void;
  reject(error: unknown): void;
}

/** A frame starting at `offset`, if a complete and intact one is there. */
function frameAt(buffer: Buffer, offset: number): { payload: Buffer; end: number } | undefined {
  if (buffer.length - offset < FRAME_HEAD_BYTES) return undefined;
  if (!buffer.subarray(offset, offset + 4).equals(MARKER)) return undefined;
  const length = buffer.readUInt32LE(offset + 4);
  const end = offset + FRAME_HEAD_BYTES + length;
  if (end > buffer.length) return undefined;
  const payload = buffer.subarray(offset + FRAME_HEAD_BYTES, end);
  if (crc32c(payload) !== buffer.readUInt32LE(offset + 8)) return undefined;
  return { payload, end };
}

function validFrameAfter(buffer: Buffer, offset: number): number | undefined {
  for (let at = buffer.indexOf(MARKER, offset); at >= 0; at = buffer.indexOf(MARKER, at + 1)) {
    if (frameAt(buffer, at)) return at;
  }
  return undefined;
}

function encodeFrame(texts: readonly string[]): Buffer {
  const payload = Buffer.from(texts.join("\n"), "ascii");
  const head = Buffer.alloc(FRAME_HEAD_BYTES);
  MARKER.copy(head, 0);
  head.writeUInt32LE(payload.length, 4);
  head.writeUInt32LE(crc32c(payload), 8);
  return Buffer.concat([head, payload]);
}

/** Parses the file; returns the entries and where the valid part ends. */
function parse(path: string, buffer: Buffer): { entries: string[]; validEnd: number } {
  if (!buffer.subarray(0, HEADER.length).equals(HEADER)) {
    throw new KvError("corrupt", `${path} is not an embedded kv log (bad header)`);
  }
  const entries: string[] = [];
  let offset = HEADER.length;
  while (offset < buffer.length) {
    const frame = frameAt(buffer, offset);
    if (!frame) {
      const later = validFrameAfter(buffer, offset + 1);
      if (later !== undefined) {
        throw new KvError(
          "corrupt",
          `${path} is damaged at byte ${offset} and holds valid data after it (byte ${later}); ` +
            "refusing to drop acknowledged writes",
        );
      }
      break;
    }
    entries.push(...frame.payload.toString("ascii").split("\n"));
    offset = frame.end;
  }
  return { entries, validEnd: offset };
}

/** The log. Entries must be ASCII without newlines (e.g. JSON). */
export class EntryLog {
  readonly #path: string;
  readonly #file: FileHandle;
  #size: number;
  #pending: Pending[] = [];
  #waiters: Waiter[] = [];
  #appended = 0;
  #flushed = 0;
  #flushing: Promise<void> | undefined;
  #paused = 0;
  #broken: KvError | undefined;

  private constructor(path: string, file: FileHandle, size: number) {
    this.#path = path;
    this.#file = file;
    this.#size = size;
  }

  /** Opens (creating if needed) the log at `path`, recovering a torn tail. */
  static async open(path: string): Promise<EntryLogOpened> {
    let buffer: Buffer;
    try {
      buffer = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      buffer = Buffer.alloc(0);
    }
    // A crash while creating the file can leave it shorter than its header: start afresh.
    if (buffer.length < HEADER.length && HEADER.subarray(0, buffer.length).equals(buffer)) {
      return EntryLog.#create(path);
    }
    const { entries, validEnd } = parse(path, buffer);
    const file = await open(path, "r+");
    if (validEnd < buffer.length) {
      await file.truncate(validEnd);
      await file.sync();
    }
    return {
      log: new EntryLog(path, file, validEnd),
      entries,
      tornTailBytes: buffer.length - validEnd,
    };
  }

  static async #create(path: string): Promise<EntryLogOpened> {
    const file = await open(path, "w+");
    await file.write(HEADER, 0, HEADER.length, 0);
    await file.sync();
    await fsyncDirectory(dirname(path));
    return { log: new EntryLog(path, file, HEADER.length), entries: [], tornTailBytes: 0 };
  }

  /** Bytes in the file, counting what is still waiting to be flushed. */
  get size(): number {
    return this.#size + this.#pending.reduce((sum, p) => sum + p.text.length + 1, 0);
  }

  /** Appends an entry; resolves once it is on disk (fsynced). */
  append(text: string): Promise<void> {
    if (this.#broken) return Promise.reject(this.#broken);
    const seq = ++this.#appended;
    this.#pending.push({ text, seq });
    const done = this.#waitFor(seq);
    this.#kick();
    return done;
  }

  /** Resolves once everything appended so far is on disk. */
  durable(): Promise<void> {
    if (this.#broken) return Promise.reject(this.#broken);
    return this.#waitFor(this.#appended);
  }

  /**
   * Runs `fn` while no flush is in progress or starts; appends made meanwhile wait. Used to
   * snapshot the state and then empty the log without a flush slipping in between.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.#paused++;
    try {
      await this.#flushing;
      return await fn();
    } finally {
      this.#paused--;
      this.#kick();
    }
  }

  /** Empties the log (keeps the header). Only inside `exclusive`. */
  async truncate(): Promise<void> {
    await this.#file.truncate(HEADER.length);
    await this.#file.sync();
    this.#size = HEADER.length;
  }

  /** Flushes what is pending and closes the file. */
  async close(): Promise<void> {
    await this.durable().catch(() => undefined);
    await this.#file.close();
  }

  #waitFor(seq: number): Promise<void> {
    if (this.#flushed >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ seq, resolve, reject }));
  }

  #kick(): void {
    if (this.#flushing || this.#paused > 0 || this.#pending.length === 0 || this.#broken) return;
    this.#flushing = this.#flush().finally(() => {
      this.#flushing = undefined;
      this.#kick();
    });
  }

  #takeBatch(): Pending[] {
    let bytes = 0;
    let count = 0;
    for (const p of this.#pending) {
      if (count > 0 && bytes + p.text.length > MAX_FRAME_BYTES) break;
      bytes += p.text.length + 1;
      count++;
    }
    return this.#pending.splice(0, count);
  }

  async #flush(): Promise<void> {
    const batch = this.#takeBatch();
    const frame = encodeFrame(batch.map((p) => p.text));
    try {
      await this.#file.write(frame, 0, frame.length, this.#size);
      await this.#file.datasync();
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#size += frame.length;
    this.#flushed = (batch[batch.length - 1] as Pending).seq;
    const ready = this.#waiters.filter((w) => w.seq <= this.#flushed);
    this.#waiters = this.#waiters.filter((w) => w.seq > this.#flushed);
    for (const w of ready) w.resolve();
  }

  #fail(cause: unknown): void {
    // The in-memory state already holds these writes; nothing later may be acknowledged.
    this.#broken = new KvError("internal", `writing ${this.#path} failed; the store is stopped`, {
      cause,
    });
    for (const w of this.#waiters) w.reject(this.#broken);
    this.#waiters = [];
    this.#pending = [];
  }
}
