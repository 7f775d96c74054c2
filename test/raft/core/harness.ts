/**
 * A small harness for the Raft core tests: nodes backed by MemoryStorage that handle every
 * Ready like a runtime with a synchronous disk, message builders, and a network that delivers
 * messages between cores breadth-first until nothing moves, dropping by rule.
 */
import {
  type AppendEntriesRequest,
  type AppendEntriesResponse,
  type ConfState,
  decodeConfChange,
  type Entry,
  EntryType,
  type HardState,
  MemoryStorage,
  type Message,
  type MessageType,
  type NodeId,
  type Notice,
  Raft,
  type RaftConfig,
  type Random,
  type ReadState,
  type Ready,
  SeededRandom,
} from "../../../impl/raft/core/index.js";

export interface NodeOptions extends Partial<Omit<RaftConfig, "id" | "storage">> {
  /** The initial configuration (bootstrap snapshot at index 0). */
  readonly voters: readonly NodeId[];
  /** Durable log entries to start with, by term, from index 1. */
  readonly logTerms?: readonly number[];
  readonly hardState?: Partial<HardState>;
  /** A prepared storage instead of voters/logTerms/hardState. */
  readonly storage?: MemoryStorage;
  readonly seed?: number;
}

/** Paper tests run plain Raft, like etcd's defaults: no pre-vote, no check quorum. */
export const PLAIN: Partial<NodeOptions> = { preVote: false, checkQuorum: false };

/** A random source that always returns the same value (pins the election timeout). */
export function fixedRandom(value: number): Random {
  return { nextInt: (bound) => Math.min(value, bound - 1) };
}

export function entry(index: number, term: number, data = ""): Entry {
  return { index, term, type: EntryType.Normal, data: new TextEncoder().encode(data) };
}

/** Entries at `first`, `first + 1`, ... with the given terms. */
export function entriesWithTerms(first: number, terms: readonly number[]): Entry[] {
  return terms.map((term, i) => entry(first + i, term));
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

export class TestNode {
  readonly raft: Raft;
  readonly storage: MemoryStorage;
  /** Every committed entry handed out, in order. */
  readonly applied: Entry[] = [];
  readonly readStates: ReadState[] = [];
  readonly notices: Notice[] = [];
  /** Every Ready handled, oldest first. */
  readonly readies: Ready[] = [];
  /** The configuration as of the last applied entry (what a snapshot taken now must record). */
  appliedConf: ConfState;

  constructor(
    readonly id: NodeId,
    options: NodeOptions,
  ) {
    const { voters, logTerms, hardState, storage, seed, ...config } = options;
    this.storage = storage ?? new MemoryStorage({ voters: [...voters] });
    if (storage === undefined) {
      if (logTerms !== undefined) this.storage.append(entriesWithTerms(1, logTerms));
      if (hardState !== undefined) {
        this.storage.setHardState({ term: 0, vote: "", commit: 0, ...hardState });
      }
    }
    this.appliedConf = this.storage.snapshot().meta.conf;
    this.raft = new Raft({
      ...config,
      id,
      storage: this.storage,
      random: config.random ?? new SeededRandom(seed ?? seedOf(id)),
    });
  }

  /** Handles one Ready (persist, apply, advance) and returns it. */
  handleReady(): Ready {
    const ready = this.raft.ready();
    if (ready.snapshot !== undefined) {
      this.storage.applySnapshot(ready.snapshot);
      this.appliedConf = ready.snapshot.meta.conf;
    }
    this.storage.append(ready.entries);
    if (ready.hardState !== undefined) this.storage.setHardState(ready.hardState);
    for (const e of ready.committedEntries) {
      if (e.type === EntryType.ConfChange) this.appliedConf = decodeConfChange(e.data).conf;
    }
    this.applied.push(...ready.committedEntries);
    this.readStates.push(...ready.readStates);
    this.notices.push(...ready.notices);
    this.readies.push(ready);
    this.raft.advance();
    return ready;
  }

  /** Handles Readies until there is none and returns all messages they asked to send. */
  drain(): Message[] {
    const messages: Message[] = [];
    while (this.raft.hasReady()) {
      const ready = this.handleReady();
      messages.push(...ready.messages, ...ready.messagesAfterPersist);
    }
    return messages;
  }

  /** Steps a message and returns everything the node wants to send afterwards. */
  deliver(message: Message): Message[] {
    this.raft.step(message);
    return this.drain();
  }

  /** Ticks `count` times, returning the messages produced on the way. */
  tick(count = 1): Message[] {
    const messages: Message[] = [];
    for (let i = 0; i < count; i++) {
      this.raft.tick();
      messages.push(...this.drain());
    }
    return messages;
  }

  /** Snapshots the state machine at the applied index and drops the log before `keepFrom`. */
  compact(keepFrom: number): void {
    const applied = this.raft.status().applied;
    if (applied > this.storage.snapshot().meta.index) {
      this.storage.createSnapshot(
        applied,
        this.appliedConf,
        new TextEncoder().encode(`@${applied}`),
      );
    }
    this.storage.compact(Math.min(keepFrom - 1, this.storage.snapshot().meta.index));
  }

  /** The durable log (the harness persists every Ready at once). */
  logTerms(): number[] {
    const terms: number[] = [];
    for (let i = this.storage.firstIndex(); i <= this.storage.lastIndex(); i++) {
      terms.push(this.storage.term(i));
    }
    return terms;
  }

  appliedData(): string[] {
    return this.applied.filter((e) => e.type === EntryType.Normal).map((e) => text(e.data));
  }
}

function seedOf(id: string): number {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  return hash >>> 0;
}

// -------------------------------------------------------------------------------------------------
// Message builders

export function appendEntries(
  fields: Pick<AppendEntriesRequest, "from" | "to" | "term"> & Partial<AppendEntriesRequest>,
): AppendEntriesRequest {
  return {
    type: "append-entries",
    prevLogIndex: 0,
    prevLogTerm: 0,
    entries: [],
    leaderCommit: 0,
    readContext: 0,
    ...fields,
  };
}

export function appendAck(
  fields: Pick<AppendEntriesResponse, "from" | "to" | "term" | "matchIndex"> &
    Partial<AppendEntriesResponse>,
): AppendEntriesResponse {
  return {
    type: "append-entries-response",
    success: true,
    rejectHintIndex: 0,
    rejectHintTerm: 0,
    lastLogIndex: fields.matchIndex,
    readContext: 0,
    ...fields,
  };
}

/** The acknowledgement a follower would send for `request` after appending its entries. */
export function acceptAndReply(request: AppendEntriesRequest): AppendEntriesResponse {
  return appendAck({
    from: request.to,
    to: request.from,
    term: request.term,
    matchIndex: request.prevLogIndex + request.entries.length,
    readContext: request.readContext,
  });
}

export function voteGranted(from: NodeId, to: NodeId, term: number, granted = true): Message {
  return { type: "request-vote-response", from, to, term, granted };
}

export function ofType<T extends MessageType>(
  messages: readonly Message[],
  type: T,
): Extract<Message, { type: T }>[] {
  return messages.filter((m): m is Extract<Message, { type: T }> => m.type === type);
}

/** Orders messages by receiver, then type, for stable comparisons. */
export function sorted(messages: readonly Message[]): Message[] {
  return [...messages].sort((a, b) => a.to.localeCompare(b.to) || a.type.localeCompare(b.type));
}

// -------------------------------------------------------------------------------------------------
// Scenario helpers

/** Makes `node` a follower of `leader` in `term` (by a heartbeat from it) and drains the answer. */
export function makeFollower(node: TestNode, term: number, leader: NodeId): void {
  node.deliver(
    appendEntries({ from: leader, to: node.id, term, leaderCommit: node.raft.status().commit }),
  );
}

/** Makes `node` leader of the next term with forged (pre-)votes, and returns what it sent. */
export function makeLeader(node: TestNode): Message[] {
  node.raft.campaign();
  const messages = node.drain();
  for (const voter of node.raft.status().conf.voters) {
    const { role, term } = node.raft.status();
    if (voter === node.id || role === "leader") continue;
    const type = role === "pre-candidate" ? "pre-vote-response" : "request-vote-response";
    messages.push(...node.deliver({ type, from: voter, to: node.id, term, granted: true }));
  }
  // A pre-vote win starts the real election, which needs its own votes.
  if (node.raft.status().role === "candidate") {
    for (const voter of node.raft.status().conf.voters) {
      if (voter === node.id || node.raft.status().role === "leader") continue;
      messages.push(...node.deliver(voteGranted(voter, node.id, node.raft.status().term)));
    }
  }
  return messages;
}

/** Every follower acknowledges everything the leader sent, until it sends nothing new. */
export function ackEverything(leader: TestNode, pending: readonly Message[]): void {
  let messages = [...pending];
  while (messages.length > 0) {
    const next: Message[] = [];
    for (const m of ofType(messages, "append-entries"))
      next.push(...leader.deliver(acceptAndReply(m)));
    messages = next;
  }
}

// -------------------------------------------------------------------------------------------------
// Network

export class Network {
  readonly nodes = new Map<NodeId, TestNode>();
  /** Links "from->to" that drop everything. */
  private readonly cutLinks = new Set<string>();
  private readonly ignoredTypes = new Set<MessageType>();
  private filters: ((message: Message) => boolean)[] = [];
  /** Every message delivered, in order. */
  readonly delivered: Message[] = [];

  /**
   * Nodes with ids `ids`, all voters of one group. Ids listed in `blackHoles` are members without
   * a node: messages to them vanish.
   */
  static create(
    ids: readonly NodeId[],
    options: Partial<NodeOptions> & { readonly blackHoles?: readonly NodeId[] } = {},
  ): Network {
    const { blackHoles = [], ...nodeOptions } = options;
    const voters = [...ids, ...blackHoles];
    return new Network(ids.map((id) => new TestNode(id, { voters, ...nodeOptions })));
  }

  constructor(nodes: readonly TestNode[]) {
    for (const node of nodes) this.nodes.set(node.id, node);
  }

  node(id: NodeId): TestNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node ${id}`);
    return node;
  }

  raft(id: NodeId): Raft {
    return this.node(id).raft;
  }

  add(node: TestNode): void {
    this.nodes.set(node.id, node);
  }

  /** Delivers messages, and everything they cause, breadth-first until quiet. */
  send(...messages: Message[]): void {
    const queue = [...messages];
    for (let steps = 0; queue.length > 0; steps++) {
      if (steps > 100_000) throw new Error("network: no quiescence after 100000 messages");
      const message = queue.shift() as Message;
      if (this.dropped(message)) continue;
      const node = this.nodes.get(message.to);
      if (node === undefined) continue;
      this.delivered.push(message);
      queue.push(...node.deliver(message));
    }
  }

  /** Drains every node and delivers the results. */
  stabilize(): void {
    for (const node of this.nodes.values()) this.send(...node.drain());
  }

  campaign(id: NodeId): void {
    this.raft(id).campaign();
    this.send(...this.node(id).drain());
  }

  propose(id: NodeId, data: string): void {
    this.raft(id).propose(new TextEncoder().encode(data));
    this.send(...this.node(id).drain());
  }

  /** Ticks one node `count` times, delivering whatever it sends after each tick. */
  tick(id: NodeId, count = 1): void {
    for (let i = 0; i < count; i++) {
      this.raft(id).tick();
      this.send(...this.node(id).drain());
    }
  }

  /** Ticks every node once per round, `rounds` times. */
  tickAll(rounds = 1): void {
    for (let i = 0; i < rounds; i++) {
      for (const id of this.nodes.keys()) this.tick(id);
    }
  }

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}->${b}`);
    this.cutLinks.add(`${b}->${a}`);
  }

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) if (other !== id) this.cut(id, other);
  }

  ignore(type: MessageType): void {
    this.ignoredTypes.add(type);
  }

  /** Drops every message for which `drop` returns true. */
  filter(drop: (message: Message) => boolean): void {
    this.filters.push(drop);
  }

  recover(): void {
    this.cutLinks.clear();
    this.ignoredTypes.clear();
    this.filters = [];
  }

  leader(): NodeId | undefined {
    for (const [id, node] of this.nodes) if (node.raft.status().role === "leader") return id;
    return undefined;
  }

  private dropped(message: Message): boolean {
    return (
      this.cutLinks.has(`${message.from}->${message.to}`) ||
      this.ignoredTypes.has(message.type) ||
      this.filters.some((drop) => drop(message))
    );
  }
}
