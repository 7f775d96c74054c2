/**
 * Raft's safety properties, checked incrementally as the simulation runs: every step's effects
 * (a Ready handed out, a write made durable, a message sent, an entry applied, a read answered)
 * are checked the moment they happen, so a violation stops the run at the step that caused it.
 *
 * - election safety: at most one leader per term;
 * - log matching: entries with the same index and term hold the same command and follow the same
 *   term (so, inductively, the logs agree before them); terms never decrease along a log;
 * - leader completeness: a new leader's log holds every entry committed in an earlier term;
 * - state machine safety: no two nodes apply different entries at one index, every node applies
 *   indexes in order, no command is applied at two indexes, and snapshots hold exactly the state
 *   of their index;
 * - durability: a vote or an append acknowledgement goes out only once it is durable; no node
 *   votes for two candidates in one term (across crashes); the durable term, vote and commit
 *   never go back;
 * - reads: a read index is never below what was committed when the read was asked.
 */
import {
  type Entry,
  EntryType,
  type HardState,
  type LogStorage,
  type Message,
  type NodeId,
  type ReadState,
  type Ready,
} from "../core/index.js";
import { decodePut } from "./kv-state-machine.js";

export class SafetyViolation extends Error {
  constructor(
    readonly invariant: string,
    readonly detail: string,
  ) {
    super(`${invariant}: ${detail}`);
    this.name = "SafetyViolation";
  }
}

/**
 * A node's complete log as it hands out a Ready: the durable storage overlaid by the batch (the
 * batch holds every unstable entry; earlier batches are durable before the next one is taken).
 */
export class LogView {
  constructor(
    private readonly storage: LogStorage,
    private readonly ready: Ready,
  ) {}

  /** The term at `index`; "compacted" below the snapshot; undefined beyond the end. */
  termAt(index: number): number | "compacted" | undefined {
    const snapshot = this.ready.snapshot;
    const first = this.ready.entries[0];
    if (first !== undefined && index >= first.index) {
      return this.ready.entries[index - first.index]?.term;
    }
    if (snapshot !== undefined) {
      if (index < snapshot.meta.index) return "compacted";
      if (index === snapshot.meta.index) return snapshot.meta.term;
      return undefined;
    }
    if (index < this.storage.firstIndex() - 1) return "compacted";
    if (index > this.storage.lastIndex()) return undefined;
    return this.storage.term(index);
  }
}

/** FNV-1a over an entry's type and data: its identity together with index and term. */
export function entryHash(entry: Entry): number {
  let h = Math.imul(0x811c9dc5 ^ entry.type, 0x01000193);
  for (const byte of entry.data) h = Math.imul(h ^ byte, 0x01000193);
  return h >>> 0;
}

interface NodeTrack {
  /** The last hard state made durable. */
  durable: HardState;
  /** The commit index this node reported last (checked against the global record). */
  commitChecked: number;
  applied: number;
}

export class SafetyChecker {
  /** term -> its leader. */
  readonly leaders = new Map<number, NodeId>();
  /** "index/term" -> the entry's hash and the term before it. */
  private readonly logEntries = new Map<string, { hash: number; prevTerm: number | undefined }>();
  /** Committed index -> term, and the term of the node that first reported it committed. */
  private readonly committedTerm: number[] = [];
  private readonly commitBound: number[] = [];
  /** The highest index any node has reported committed. */
  commitKnown = 0;
  /** Applied index -> entry hash and the state machine's fingerprint after it. */
  private readonly appliedHash: number[] = [];
  private readonly stateAt: string[] = [""];
  private readonly reference = new Map<string, string>();
  private readonly putIndex = new Map<string, number>();
  /** node -> term -> the candidate it granted its vote to. */
  private readonly votes = new Map<NodeId, Map<number, NodeId>>();
  private readonly nodes = new Map<NodeId, NodeTrack>();
  /** Read request id -> the commit index known when it was asked. */
  private readonly reads = new Map<string, number>();
  /** Snapshots loaded from a leader, and membership changes committed (statistics). */
  snapshotsLoaded = 0;
  confChangesCommitted = 0;

  constructor(readonly initialState = "[]") {
    this.stateAt[0] = initialState;
  }

  /** Committed entries seen so far (for statistics and liveness). */
  get appliedIndex(): number {
    return this.stateAt.length - 1;
  }

  /** The term of the committed entry at `index`, if known. */
  committedTermAt(index: number): number | undefined {
    return this.committedTerm[index];
  }

  /** A core (re)started from its durable state, with `commit` the index it starts from. */
  onStart(node: NodeId, durable: HardState, commit: number, applied: number): void {
    const track = this.nodes.get(node);
    if (track !== undefined && commit < track.durable.commit) {
      fail(
        "durability",
        `${node} restarted with commit ${commit} < durable ${track.durable.commit}`,
      );
    }
    if (track !== undefined && durable.term < track.durable.term) {
      fail("durability", `${node} restarted at term ${durable.term} < ${track.durable.term}`);
    }
    this.nodes.set(node, { durable, commitChecked: commit, applied });
  }

  /** A Ready handed out by `node`, whose current term is `term`. */
  onReady(node: NodeId, term: number, ready: Ready, view: LogView): void {
    const track = this.track(node);
    // Log matching and monotone terms along the log.
    for (const entry of ready.entries) {
      const prev = view.termAt(entry.index - 1);
      const prevTerm = typeof prev === "number" ? prev : undefined;
      if (prevTerm !== undefined && prevTerm > entry.term) {
        fail(
          "log-matching",
          `${node}: term ${entry.term} at ${entry.index} follows term ${prevTerm}`,
        );
      }
      const key = `${entry.index}/${entry.term}`;
      const hash = entryHash(entry);
      const known = this.logEntries.get(key);
      if (known === undefined) {
        this.logEntries.set(key, { hash, prevTerm });
        continue;
      }
      if (known.hash !== hash) {
        fail(
          "log-matching",
          `${node}: two different entries at index ${entry.index} term ${entry.term}`,
        );
      }
      if (prevTerm !== undefined && known.prevTerm !== undefined && known.prevTerm !== prevTerm) {
        fail(
          "log-matching",
          `${node}: entry ${entry.index}/${entry.term} follows term ${prevTerm}, elsewhere ${known.prevTerm}`,
        );
      }
      if (known.prevTerm === undefined) known.prevTerm = prevTerm;
    }
    const hardState = ready.hardState;
    if (hardState !== undefined) {
      if (hardState.commit < track.commitChecked) {
        fail(
          "commit-monotone",
          `${node}: commit went from ${track.commitChecked} to ${hardState.commit}`,
        );
      }
      // Every committed index is the same entry on every node that says it is committed.
      for (let i = track.commitChecked + 1; i <= hardState.commit; i++) {
        const t = view.termAt(i);
        if (t === "compacted") continue;
        if (t === undefined) fail("commit", `${node} commits ${i} beyond its log`);
        const known = this.committedTerm[i];
        if (known === undefined) {
          this.committedTerm[i] = t;
          // The node's term bounds the term in which the entry was committed: every leader of a
          // later term must hold it.
          this.commitBound[i] = hardState.term;
        } else if (known !== t) {
          fail(
            "state-machine-safety",
            `${node} commits term ${t} at ${i}, another node term ${known}`,
          );
        }
      }
      track.commitChecked = hardState.commit;
      this.commitKnown = Math.max(this.commitKnown, hardState.commit);
    }
    if (ready.softState?.role === "leader") {
      const other = this.leaders.get(term);
      if (other !== undefined && other !== node) {
        fail("election-safety", `${other} and ${node} both lead term ${term}`);
      }
      this.leaders.set(term, node);
      for (let i = 1; i <= this.commitKnown; i++) {
        const bound = this.commitBound[i];
        if (bound === undefined || bound >= term) continue;
        const t = view.termAt(i);
        if (t !== "compacted" && t !== this.committedTerm[i]) {
          fail(
            "leader-completeness",
            `${node} leads term ${term} without committed entry ${i} (term ${this.committedTerm[i]}, has ${t})`,
          );
        }
      }
    }
  }

  /** A hard state became durable on `node`. */
  onDurable(node: NodeId, hardState: HardState): void {
    const track = this.track(node);
    const before = track.durable;
    if (hardState.term < before.term) {
      fail("durability", `${node}: durable term went from ${before.term} to ${hardState.term}`);
    }
    if (hardState.term === before.term && before.vote !== "" && hardState.vote !== before.vote) {
      fail(
        "durability",
        `${node}: durable vote in term ${before.term} changed from ${before.vote} to ${hardState.vote}`,
      );
    }
    if (hardState.commit < before.commit) {
      fail(
        "durability",
        `${node}: durable commit went from ${before.commit} to ${hardState.commit}`,
      );
    }
    track.durable = hardState;
  }

  /** A message leaves `node`; `storage` is its durable state at that moment. */
  onSend(node: NodeId, message: Message, storage: LogStorage): void {
    if (message.type === "request-vote-response" && message.granted) {
      const durable = storage.initialState();
      if (
        durable.term < message.term ||
        (durable.term === message.term && durable.vote !== message.to)
      ) {
        fail(
          "durability",
          `${node} grants ${message.to} its vote in term ${message.term} before it is durable`,
        );
      }
      let byTerm = this.votes.get(node);
      if (byTerm === undefined) {
        byTerm = new Map();
        this.votes.set(node, byTerm);
      }
      const earlier = byTerm.get(message.term);
      if (earlier !== undefined && earlier !== message.to) {
        fail(
          "election-safety",
          `${node} voted for ${earlier} and ${message.to} in term ${message.term}`,
        );
      }
      byTerm.set(message.term, message.to);
    } else if (message.type === "append-entries-response" && message.success) {
      const covered = Math.max(storage.lastIndex(), storage.snapshot().meta.index);
      if (message.matchIndex > covered) {
        fail(
          "durability",
          `${node} acknowledges index ${message.matchIndex} with ${covered} durable`,
        );
      }
    }
  }

  /** `node` applies a committed entry. */
  onApply(node: NodeId, entry: Entry): void {
    const track = this.track(node);
    if (entry.index !== track.applied + 1) {
      fail("state-machine-safety", `${node} applies ${entry.index} after ${track.applied}`);
    }
    track.applied = entry.index;
    const hash = entryHash(entry) ^ entry.term;
    const known = this.appliedHash[entry.index];
    if (known !== undefined) {
      if (known !== hash)
        fail("state-machine-safety", `${node} applies a different entry at ${entry.index}`);
      return;
    }
    if (entry.index !== this.stateAt.length) {
      fail("state-machine-safety", `${entry.index} applied before ${this.stateAt.length}`);
    }
    this.appliedHash[entry.index] = hash;
    if (entry.type === EntryType.Normal) {
      const put = decodePut(entry.data);
      const earlier = this.putIndex.get(put.id);
      if (earlier !== undefined) {
        fail("state-machine-safety", `command ${put.id} applied at ${earlier} and ${entry.index}`);
      }
      this.putIndex.set(put.id, entry.index);
      this.reference.set(put.key, put.value);
      this.stateAt.push(
        JSON.stringify([...this.reference].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      );
    } else {
      if (entry.type === EntryType.ConfChange) this.confChangesCommitted++;
      this.stateAt.push(this.stateAt[this.stateAt.length - 1] as string);
    }
  }

  /**
   * `node`'s state machine holds `fingerprint` at `index`: after loading a snapshot (`loaded`),
   * or when it takes one.
   */
  onSnapshot(
    node: NodeId,
    index: number,
    term: number,
    fingerprint: string,
    loaded: boolean,
  ): void {
    const expected = this.stateAt[index];
    if (expected === undefined) {
      fail("state-machine-safety", `${node} has a snapshot at ${index}, beyond anything applied`);
    }
    if (expected !== fingerprint) {
      fail("state-machine-safety", `${node}'s snapshot at ${index} differs from the applied state`);
    }
    const committed = this.committedTerm[index];
    if (index > 0 && committed !== undefined && committed !== term) {
      fail(
        "state-machine-safety",
        `${node}'s snapshot at ${index} has term ${term}, committed ${committed}`,
      );
    }
    if (loaded) {
      this.track(node).applied = index;
      this.snapshotsLoaded++;
    }
  }

  onReadAsked(requestId: string): void {
    this.reads.set(requestId, this.commitKnown);
  }

  onReadState(node: NodeId, read: ReadState): void {
    const required = this.reads.get(read.requestId);
    if (required === undefined)
      fail("read-index", `${node} answers unknown read ${read.requestId}`);
    if (read.index < required) {
      fail(
        "read-index",
        `${node} serves read ${read.requestId} at ${read.index}, ${required} was committed`,
      );
    }
  }

  /** The put command with `id` was applied, at this index. */
  putAppliedAt(id: string): number | undefined {
    return this.putIndex.get(id);
  }

  private track(node: NodeId): NodeTrack {
    const track = this.nodes.get(node);
    if (track === undefined) throw new Error(`safety checker: ${node} never started`);
    return track;
  }
}

function fail(invariant: string, detail: string): never {
  throw new SafetyViolation(invariant, detail);
}
