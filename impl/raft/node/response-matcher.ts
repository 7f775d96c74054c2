/**
 * Pairs the core's responses with the unary calls that carried its requests.
 *
 * The core is message-passing: it answers a request by emitting a response message, exactly one
 * per request, in the order the requests were stepped, always in the next Ready (see
 * core/messages.ts). The wire is request/response, so each incoming call waits here, in a FIFO
 * per (peer, response type), for the response the core emits for it.
 */
import type { MessageType, NodeId, Request, Response } from "../core/index.js";

interface Waiter {
  /** The Ready that must carry the answer: the first one collected after the step. */
  readonly ready: number;
  readonly resolve: (response: Response) => void;
  readonly reject: (error: unknown) => void;
}

export class ResponseMatcher {
  private readonly queues = new Map<string, Waiter[]>();

  /** Waits for the answer to `request`, stepped just before Ready number `ready` is collected. */
  expect(request: Request, ready: number): Promise<Response> {
    return new Promise((resolve, reject) => {
      const key = keyOf(request.from, `${request.type}-response` as MessageType);
      let queue = this.queues.get(key);
      if (queue === undefined) {
        queue = [];
        this.queues.set(key, queue);
      }
      queue.push({ ready, resolve, reject });
    });
  }

  /** Hands a response to the oldest call waiting for it; false when none waits (dropped). */
  deliver(response: Response): boolean {
    const key = keyOf(response.to, response.type);
    const waiter = this.queues.get(key)?.shift();
    if (this.queues.get(key)?.length === 0) this.queues.delete(key);
    waiter?.resolve(response);
    return waiter !== undefined;
  }

  /**
   * Fails the calls whose Ready has been handled without an answer. The core answers every
   * request, so this only guards against a request it ignores (it would otherwise hang its
   * caller, and shift every later answer onto the wrong call).
   */
  expireThrough(ready: number, error: () => unknown): void {
    for (const [key, queue] of this.queues) {
      while (queue.length > 0 && (queue[0] as Waiter).ready <= ready)
        queue.shift()?.reject(error());
      if (queue.length === 0) this.queues.delete(key);
    }
  }

  rejectAll(error: unknown): void {
    for (const queue of this.queues.values()) for (const waiter of queue) waiter.reject(error);
    this.queues.clear();
  }
}

function keyOf(peer: NodeId, type: MessageType): string {
  return `${peer}\u0000${type}`;
}
