/**
 * The namespace an EtcdKvStore lives in: every key is stored under a fixed prefix, so several
 * stores (tenants, test files) can share one etcd without seeing each other's keys.
 */
import type { IKeyValue } from "etcd3";
import { prefixEnd } from "../kv-bytes.js";
import type { KeyValue } from "../kv-store.js";

/** etcd's "range end" meaning "every key from the start key on". */
const TO_THE_END = Buffer.from([0]);

/** Maps caller keys to etcd keys and back. */
export class KeySpace {
  readonly #prefix: Buffer;

  constructor(prefix: Uint8Array) {
    this.#prefix = Buffer.from(prefix);
  }

  /** The etcd key of a caller key. */
  wrap(key: Uint8Array): Buffer {
    return Buffer.concat([this.#prefix, key]);
  }

  /** The caller key of an etcd key (a copy, not a view of the gRPC buffer). */
  unwrap(key: Buffer): Uint8Array {
    return new Uint8Array(key.subarray(this.#prefix.length));
  }

  /** The etcd range end covering every caller key that starts with `prefix`. */
  rangeEnd(prefix: Uint8Array): Buffer {
    const end = prefixEnd(this.wrap(prefix));
    return end ? Buffer.from(end) : TO_THE_END;
  }

  /** A KeyValue from etcd's representation. */
  keyValue(kv: IKeyValue): KeyValue {
    return {
      key: this.unwrap(kv.key),
      value: new Uint8Array(kv.value),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
      version: Number(kv.version),
      lease: kv.lease === "0" || kv.lease === undefined ? undefined : String(kv.lease),
    };
  }
}
