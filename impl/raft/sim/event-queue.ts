/**
 * The simulator's agenda: events ordered by virtual time, ties broken by the order they were
 * scheduled, so that one seed always runs the same sequence (a binary heap on (time, seq)).
 */

interface Scheduled<E> {
  readonly time: number;
  readonly seq: number;
  readonly event: E;
}

export class EventQueue<E> {
  private readonly heap: Scheduled<E>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: number, event: E): void {
    const item = { time, seq: this.seq++, event };
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent] as Scheduled<E>)) break;
      heap[i] = heap[parent] as Scheduled<E>;
      i = parent;
    }
    heap[i] = item;
  }

  /** The earliest event and its time, or undefined when nothing is scheduled. */
  pop(): { readonly time: number; readonly event: E } | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child =
          right < heap.length && before(heap[right] as Scheduled<E>, heap[left] as Scheduled<E>)
            ? right
            : left;
        if (!before(heap[child] as Scheduled<E>, last)) break;
        heap[i] = heap[child] as Scheduled<E>;
        i = child;
      }
      heap[i] = last;
    }
    return { time: top.time, event: top.event };
  }
}

function before<E>(a: Scheduled<E>, b: Scheduled<E>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
