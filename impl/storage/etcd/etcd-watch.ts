/**
 * A KvStore watch on top of etcd3's Watcher, which reconnects by itself after a connection loss
 * and resumes from the revision after the last one it saw.
 */
import type { Etcd3, IEvent, IWatchResponse } from "etcd3";
import { KvError } from "../kv-error.js";
import type { Watch, WatchEvent, WatchListener } from "../kv-store.js";
import { toKvError } from "./etcd-errors.js";
import type { KeySpace } from "./key-space.js";

/** What opening a watch needs. */
export interface EtcdWatchRequest {
  readonly client: Etcd3;
  readonly space: KeySpace;
  readonly prefix: Uint8Array;
  readonly listener: WatchListener;
  readonly startRevision: number | undefined;
  readonly onError: ((error: KvError) => void) | undefined;
  /** Give up establishing the watch after this long (etcd3 would keep retrying forever). */
  readonly timeoutMs: number;
}

/** Cancelling waits for etcd's confirmation at most this long; delivery stops at once anyway. */
const CANCEL_WAIT_MS = 1000;

function toEvent(space: KeySpace, event: IEvent): WatchEvent {
  const revision = Number(event.kv.mod_revision);
  if (event.type === "Delete") return { type: "delete", revision, key: space.unwrap(event.kv.key) };
  return { type: "put", revision, kv: space.keyValue(event.kv) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Opens a watch; resolves once etcd has confirmed it. */
export async function openEtcdWatch(request: EtcdWatchRequest): Promise<Watch> {
  const { client, space, prefix } = request;
  const builder = client
    .watch()
    .inRange({ start: space.wrap(prefix), end: space.rangeEnd(prefix) });
  if (request.startRevision !== undefined) builder.startRevision(String(request.startRevision));
  const watcher = builder.watcher();
  let active = true;
  let established = false;
  /** Highest revision delivered; anything at or below it is a replay after a reconnect. */
  let delivered = 0;

  const created = new Promise<IWatchResponse>((resolve, reject) => {
    watcher.once("connected", resolve);
    watcher.once("error", reject);
  });
  watcher.on("data", (response: IWatchResponse) => {
    for (const raw of response.events) {
      const event = toEvent(space, raw);
      if (!active || event.revision <= delivered) continue;
      request.listener(event);
    }
    const last = response.events[response.events.length - 1];
    if (last) {
      delivered = Math.max(delivered, Number(last.kv.mod_revision));
      // etcd3 resumes from the response header's revision + 1; while catching up, etcd can send
      // a header revision ahead of the events in the response, so resume from our own position.
      watcher.request.start_revision = String(delivered + 1);
    }
  });
  watcher.on("error", (error: Error) => {
    if (!established || !active) return;
    active = false;
    request.onError?.(toKvError(error, "watch"));
  });

  let response: IWatchResponse;
  try {
    response = await Promise.race([
      created,
      delay(request.timeoutMs).then(() => {
        throw new KvError(
          "unavailable",
          `etcd watch: not established within ${request.timeoutMs} ms`,
        );
      }),
    ]);
  } catch (error) {
    active = false;
    void watcher.cancel().catch(() => undefined);
    throw toKvError(error, "watch");
  }
  established = true;
  return {
    startRevision: request.startRevision ?? Number(response.header.revision) + 1,
    cancel: async () => {
      active = false;
      await Promise.race([watcher.cancel().catch(() => undefined), delay(CANCEL_WAIT_MS)]);
    },
  };
}
