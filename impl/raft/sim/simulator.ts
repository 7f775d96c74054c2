/**
 * The deterministic simulator (FoundationDB / TigerBeetle style): N Raft cores, their disks, a
 * network and clients in one single-threaded discrete-event loop, every choice drawn from one
 * seeded generator, so that a seed replays exactly (the trace hash proves it).
 *
 * A run has two phases. Safety: `steps` events of ticks, deliveries, disk completions, client
 * requests and nemesis actions (crashes that lose unsynced writes, partitions, heals, leader
 * transfers, membership changes, compaction), checked after every step by the SafetyChecker.
 * Liveness: the network heals and every node restarts; within a virtual minute a leader must
 * commit a final write and every voter must apply every acknowledged write. Then the clients'
 * history (puts and read-index gets, unfinished puts as never returned) must be linearizable.
 */
import {
  type Message,
  type NodeId,
  type ReadMode,
  type Role,
  SeededRandom,
} from "../core/index.js";
import { EventQueue } from "./event-queue.js";
import type { KvInput, KvOperation } from "./kv-model.js";
import { checkKvHistory } from "./kv-model.js";
import { SafetyChecker, SafetyViolation } from "./safety-checker.js";
import { CALM, chance, type NetworkFaults, SimNetwork } from "./sim-network.js";
import {
  type ClientAnswer,
  type ClientRequest,
  type CoreOptions,
  type Mutation,
  type NodeHost,
  SimNode,
} from "./sim-node.js";

/** One tick is 100 virtual ms (the spec's default), elections after 10–20 ticks. */
const TICK_MS = 100;
const ELECTION_TICKS = 10;
/** Clock rate differences between nodes, in ms per tick (lease reads tolerate a few percent). */
const TICK_SKEW_MS = 2;
/** A client gives up on a request after this long; an unfinished put may still take effect. */
const CLIENT_TIMEOUT_MS = 5_000;
/** Refused attempts (not the leader) before a client abandons an operation. */
const CLIENT_ATTEMPTS = 8;
/**
 * The transport's deadline for an InstallSnapshot: without an answer by then (lost on the way,
 * receiver crashed before its write was durable, answer lost) it reports the transfer failed.
 */
const SNAPSHOT_TIMEOUT_MS = 2_000;
/** Time the liveness phase allows for a leader, the final write and full replication. */
const LIVENESS_MS = 60_000;
/** Keys of the workload: few, so that operations contend. */
const KEYS = ["a", "b", "c", "d"];
/** Search budget of the linearizability check (deterministic, unlike a wall-clock budget). */
const CHECK_STEPS = 5_000_000;

/** What a seed decides about a run; tests and the CLI may pin any part. */
export interface Scenario {
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly readMode: ReadMode;
  /** Add and remove voters (needs pre-vote or check quorum, see the core's membership tests). */
  readonly membership: boolean;
  readonly faults: NetworkFaults;
  /** Share of crashes that keep part of the write in flight. */
  readonly tornRate: number;
  readonly clients: number;
  /** Mean virtual ms between nemesis actions. */
  readonly nemesisMs: number;
  /** Disk write latency range (virtual ms). */
  readonly diskMs: readonly [number, number];
  readonly maxEntriesPerAppend: number;
  readonly maxInflightAppends: number;
  readonly catchUpMargin: number;
}

export interface SimOptions {
  readonly seed: number;
  /** Events of the safety phase. */
  readonly steps: number;
  readonly nodes?: 3 | 5;
  readonly mutation?: Mutation;
  readonly scenario?: Partial<Scenario>;
}

export interface SimStats {
  /** Events processed in both phases. */
  events: number;
  virtualMs: number;
  elections: number;
  commits: number;
  crashes: number;
  tornWrites: number;
  partitions: number;
  messages: number;
  /** Snapshots taken (and logs compacted), and snapshots a follower loaded from a leader. */
  snapshots: number;
  snapshotsInstalled: number;
  transfers: number;
  /** Membership changes asked for, and committed. */
  confChanges: number;
  confChangesCommitted: number;
  putsAcknowledged: number;
  putsUnknown: number;
  readsServed: number;
  /** The linearizability check ran out of budget (not a violation, but no proof either). */
  checkUnknown: number;
}

export interface Violation {
  readonly invariant: string;
  readonly detail: string;
  /** The event count and virtual time at which it was found. */
  readonly step: number;
  readonly time: number;
}

export interface SimResult {
  readonly seed: number;
  readonly nodes: number;
  readonly scenario: Scenario;
  readonly stats: SimStats;
  /** A hash over every event processed: equal for two runs of one seed. */
  readonly traceHash: number;
  readonly violation: Violation | undefined;
}

type SimEvent =
  | { readonly kind: "tick"; readonly node: number; readonly life: number }
  | { readonly kind: "deliver"; readonly message: Message }
  | { readonly kind: "persist"; readonly node: number; readonly life: number }
  | {
      readonly kind: "snapshot-timeout";
      readonly node: number;
      readonly life: number;
      readonly to: NodeId;
      readonly transfer: number;
    }
  | { readonly kind: "restart"; readonly node: number }
  | { readonly kind: "nemesis" }
  | { readonly kind: "request"; readonly node: number; readonly request: ClientRequest }
  | {
      readonly kind: "answer";
      readonly client: number;
      readonly tag: string;
      readonly answer: ClientAnswer;
    }
  | { readonly kind: "client-next"; readonly client: number }
  | { readonly kind: "client-timeout"; readonly client: number; readonly tag: string };

interface ClientOp {
  readonly seq: number;
  readonly input: KvInput;
  readonly call: number;
  attempt: number;
  target: number;
  /** Refused; the next attempt goes out when the back-off ends. */
  waiting: boolean;
}

interface SimClient {
  /** The history's client id; a new one after an operation left unfinished (Jepsen's rule). */
  process: number;
  seq: number;
  current: ClientOp | undefined;
  leaderHint: NodeId;
}

/** Runs one seed. Never throws for a violation: it is in the result. */
export function runSimulation(options: SimOptions): SimResult {
  return new Simulation(options).run();
}

export function describeScenario(s: Scenario): string {
  const f = s.faults;
  return [
    `preVote=${s.preVote} checkQuorum=${s.checkQuorum} reads=${s.readMode} membership=${s.membership}`,
    `drop=${f.dropRate} dup=${f.duplicateRate} delay=${f.minDelay}-${f.maxDelay}ms long=${f.longDelayRate}`,
    `clients=${s.clients} nemesis≈${s.nemesisMs}ms disk=${s.diskMs[0]}-${s.diskMs[1]}ms`,
    `append≤${s.maxEntriesPerAppend} inflight≤${s.maxInflightAppends}`,
  ].join(" ");
}

function pick<T>(random: SeededRandom, items: readonly T[]): T {
  return items[random.nextInt(items.length)] as T;
}

function deriveScenario(random: SeededRandom, pinned: Partial<Scenario>): Scenario {
  // Always draw every value, so that pinning one part does not shift the rest of the run.
  const preVote = chance(random, 0.85);
  const checkQuorum = chance(random, 0.85);
  const lease = chance(random, 0.3);
  const membership = chance(random, 0.5);
  const drawn: Scenario = {
    preVote,
    checkQuorum,
    readMode: checkQuorum && lease ? "lease" : "read-index",
    membership: membership && (preVote || checkQuorum),
    faults: {
      dropRate: pick(random, [0, 0.01, 0.05, 0.1, 0.2]),
      duplicateRate: pick(random, [0, 0.01, 0.05]),
      minDelay: 1,
      maxDelay: pick(random, [5, 20, 50, 150]),
      longDelayRate: pick(random, [0, 0.01, 0.05]),
      longDelay: 1_500,
    },
    tornRate: 0.5,
    clients: 2 + random.nextInt(4),
    nemesisMs: pick(random, [200, 600, 1_500]),
    diskMs: pick(random, [
      [1, 5],
      [2, 20],
      [5, 60],
    ] as const),
    maxEntriesPerAppend: pick(random, [1, 4, 64]),
    maxInflightAppends: pick(random, [1, 4, 256]),
    catchUpMargin: pick(random, [2, 1_000]),
  };
  const scenario = { ...drawn, ...pinned };
  if (scenario.readMode === "lease" && !scenario.checkQuorum) {
    throw new RangeError("sim: lease reads need checkQuorum");
  }
  return scenario;
}

class Simulation implements NodeHost {
  readonly checker = new SafetyChecker();
  readonly mutation: Mutation | undefined;
  private readonly random: SeededRandom;
  private readonly scenario: Scenario;
  private readonly network: SimNetwork;
  private readonly queue = new EventQueue<SimEvent>();
  private readonly nodes: SimNode[] = [];
  private readonly index = new Map<NodeId, number>();
  private readonly tickMs: number[] = [];
  private readonly voters: number;
  private readonly clients: SimClient[] = [];
  private readonly history: KvOperation[] = [];
  private readonly ackedPuts: string[] = [];
  /** "leader>follower" -> the latest snapshot transfer and whether it was answered. */
  private readonly transfers = new Map<string, { id: number; answered: boolean }>();
  private nextTransfer = 0;
  private nextProcess = 0;
  private now = 0;
  private events = 0;
  private trace = 0x811c9dc5;
  private phase: "safety" | "liveness" = "safety";
  private barrier: { client: number; id: string; done: boolean } | undefined;
  private readonly stats: SimStats = {
    events: 0,
    virtualMs: 0,
    elections: 0,
    commits: 0,
    crashes: 0,
    tornWrites: 0,
    partitions: 0,
    messages: 0,
    snapshots: 0,
    snapshotsInstalled: 0,
    transfers: 0,
    confChanges: 0,
    confChangesCommitted: 0,
    putsAcknowledged: 0,
    putsUnknown: 0,
    readsServed: 0,
    checkUnknown: 0,
  };

  constructor(private readonly options: SimOptions) {
    this.random = new SeededRandom(options.seed);
    this.mutation = options.mutation;
    this.voters = options.nodes ?? 3;
    this.scenario = deriveScenario(this.random, options.scenario ?? {});
    this.network = new SimNetwork(this.random.fork(), this.scenario.faults);
    const s = this.scenario;
    const core: CoreOptions = {
      preVote: s.preVote,
      checkQuorum: s.checkQuorum,
      readMode: s.readMode,
      electionTicks: ELECTION_TICKS,
      maxEntriesPerAppend: s.maxEntriesPerAppend,
      maxInflightAppends: s.maxInflightAppends,
      catchUpMargin: s.catchUpMargin,
    };
    const voters = Array.from({ length: this.voters }, (_, i) => `n${i + 1}`);
    // One spare node joins through a membership change; it waits with an empty configuration.
    const ids = s.membership ? [...voters, `n${this.voters + 1}`] : voters;
    for (const [i, id] of ids.entries()) {
      this.index.set(id, i);
      this.nodes.push(new SimNode(id, i < this.voters ? voters : [], core, this));
      this.tickMs.push(TICK_MS - TICK_SKEW_MS + this.random.nextInt(2 * TICK_SKEW_MS + 1));
    }
    for (let c = 0; c < s.clients; c++) this.addClient();
  }

  run(): SimResult {
    let violation: Violation | undefined;
    try {
      for (const [i, node] of this.nodes.entries()) this.startNode(i, node);
      for (let c = 0; c < this.clients.length; c++)
        this.schedule(this.random.nextInt(500), { kind: "client-next", client: c });
      this.schedule(this.nemesisDelay(), { kind: "nemesis" });
      while (this.events < this.options.steps) {
        if (!this.processNext()) break;
      }
      this.liveness();
      this.checkHistory();
    } catch (error) {
      violation = this.toViolation(error);
    }
    this.stats.events = this.events;
    this.stats.virtualMs = this.now;
    this.stats.elections = this.checker.leaders.size;
    this.stats.commits = this.checker.commitKnown;
    this.stats.snapshotsInstalled = this.checker.snapshotsLoaded;
    this.stats.confChangesCommitted = this.checker.confChangesCommitted;
    return {
      seed: this.options.seed,
      nodes: this.voters,
      scenario: this.scenario,
      stats: this.stats,
      traceHash: this.trace >>> 0,
      violation,
    };
  }

  private toViolation(error: unknown): Violation {
    const at = { step: this.events, time: this.now };
    if (error instanceof SafetyViolation)
      return { invariant: error.invariant, detail: error.detail, ...at };
    // The core throws only on misuse or a broken internal invariant: a bug either way.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { invariant: "exception", detail, ...at };
  }

  // --- the event loop -------------------------------------------------------------------------

  private schedule(delay: number, event: SimEvent): void {
    this.queue.push(this.now + delay, event);
  }

  private processNext(): boolean {
    const next = this.queue.pop();
    if (next === undefined) return false;
    this.now = next.time;
    this.events++;
    this.hash(next.time, next.event);
    this.handle(next.event);
    return true;
  }

  private handle(event: SimEvent): void {
    switch (event.kind) {
      case "tick": {
        const node = this.nodes[event.node] as SimNode;
        if (node.incarnation !== event.life || !node.up) return;
        node.tick();
        this.schedule(this.tickMs[event.node] as number, event);
        return;
      }
      case "deliver": {
        const to = this.index.get(event.message.to);
        const node = to === undefined ? undefined : this.nodes[to];
        const message = event.message;
        if (node?.up !== true || !this.network.connected(message.from, message.to)) return;
        if (message.type === "install-snapshot-response") {
          const transfer = this.transfers.get(`${message.to}>${message.from}`);
          if (transfer !== undefined) transfer.answered = true;
        }
        node.step(message);
        return;
      }
      case "persist": {
        const node = this.nodes[event.node] as SimNode;
        if (node.incarnation === event.life && node.up) node.persisted();
        return;
      }
      case "snapshot-timeout": {
        const node = this.nodes[event.node] as SimNode;
        const transfer = this.transfers.get(`${node.id}>${event.to}`);
        if (transfer?.id !== event.transfer || transfer.answered) return;
        if (node.incarnation === event.life && node.up) node.snapshotFailed(event.to);
        return;
      }
      case "restart": {
        const node = this.nodes[event.node] as SimNode;
        if (!node.up) this.startNode(event.node, node);
        return;
      }
      case "nemesis":
        if (this.phase !== "safety") return;
        this.nemesis();
        this.schedule(this.nemesisDelay(), event);
        return;
      case "request":
        (this.nodes[event.node] as SimNode).request(event.request);
        return;
      case "answer":
        this.onAnswer(event.client, event.tag, event.answer);
        return;
      case "client-next":
        this.nextOperation(event.client);
        return;
      case "client-timeout":
        this.onTimeout(event.client, event.tag);
        return;
    }
  }

  /** Folds an event into the trace hash (FNV-1a over a few numbers and strings). */
  private hash(time: number, event: SimEvent): void {
    let h = this.trace;
    const mix = (value: number) => {
      h = Math.imul(h ^ (value >>> 0), 0x01000193);
      h = Math.imul(h ^ Math.floor(value / 2 ** 32), 0x01000193);
    };
    const mixText = (text: string) => {
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    };
    mix(time);
    mixText(event.kind);
    if (event.kind === "deliver") {
      mixText(event.message.type);
      mixText(event.message.from);
      mixText(event.message.to);
      mix(event.message.term);
    } else if ("node" in event) mix(event.node);
    else if ("client" in event) mix(event.client);
    this.trace = h >>> 0;
  }

  // --- nodes, disks, network -------------------------------------------------------------------

  private startNode(i: number, node: SimNode): void {
    node.start(this.random.fork());
    // Ticks start at a random phase, so that nodes do not time out in lockstep.
    this.schedule(1 + this.random.nextInt(this.tickMs[i] as number), {
      kind: "tick",
      node: i,
      life: node.incarnation,
    });
  }

  send(message: Message): void {
    this.stats.messages++;
    for (const delay of this.network.delays()) this.schedule(delay, { kind: "deliver", message });
    if (message.type === "install-snapshot") {
      // The transport reports a transfer that fails (impl/raft/core/README.md, "Snapshots").
      const id = this.nextTransfer++;
      this.transfers.set(`${message.from}>${message.to}`, { id, answered: false });
      const from = this.index.get(message.from) as number;
      const life = (this.nodes[from] as SimNode).incarnation;
      this.schedule(SNAPSHOT_TIMEOUT_MS, {
        kind: "snapshot-timeout",
        node: from,
        life,
        to: message.to,
        transfer: id,
      });
    }
  }

  scheduleWrite(node: SimNode, fsync: boolean): void {
    const i = this.index.get(node.id) as number;
    const [lo, hi] = this.scenario.diskMs;
    const delay = fsync ? lo + this.random.nextInt(hi - lo + 1) : 0;
    this.schedule(delay, { kind: "persist", node: i, life: node.incarnation });
  }

  /** Clients without a leader hint learn of a new leader, as from a routing table. */
  onRoleChange(node: SimNode, role: Role): void {
    if (role === "leader") {
      for (const client of this.clients) if (client.leaderHint === "") client.leaderHint = node.id;
    }
  }

  // --- the nemesis -----------------------------------------------------------------------------

  private nemesisDelay(): number {
    return 1 + this.random.nextInt(2 * this.scenario.nemesisMs);
  }

  private nemesis(): void {
    const roll = this.random.nextInt(100);
    if (roll < 25) this.crashSomeNode();
    else if (roll < 45) this.partition();
    else if (roll < 65) this.network.heal();
    else if (roll < 75) this.transfer();
    else if (roll < 85) this.changeMembership();
    else this.compactSomeNode();
  }

  private crashSomeNode(): void {
    const down = this.nodes.filter((n) => !n.up).length;
    // At most a minority down at once; partitions and slow links provide the rest.
    if (down >= Math.floor(this.voters / 2)) return;
    // Often a node in the middle of a disk write: the crash that tests the Ready contract.
    const writing = this.nodes.filter((n) => n.up && n.disk.busy);
    const node =
      writing.length > 0 && this.random.nextInt(2) === 0
        ? pick(this.random, writing)
        : pick(this.random, this.nodes);
    const i = this.index.get(node.id) as number;
    if (!node.up) return;
    this.stats.crashes++;
    const storageBefore = node.disk.storage.lastIndex();
    node.crash(this.random, this.scenario.tornRate);
    if (node.disk.storage.lastIndex() !== storageBefore) this.stats.tornWrites++;
    this.schedule(50 + this.random.nextInt(3_000), { kind: "restart", node: i });
  }

  private partition(): void {
    this.network.heal();
    this.stats.partitions++;
    const ids = this.nodes.map((n) => n.id);
    const kind = this.random.nextInt(3);
    if (kind === 0) {
      const side = ids.filter(() => this.random.nextInt(2) === 0);
      this.network.split([side, ids.filter((id) => !side.includes(id))]);
    } else if (kind === 1) {
      const leader = this.leader() ?? pick(this.random, this.nodes);
      this.network.split([[leader.id], ids.filter((id) => id !== leader.id)]);
    } else {
      for (let links = 1 + this.random.nextInt(3); links > 0; links--) {
        const from = pick(this.random, ids);
        const to = pick(this.random, ids);
        if (from !== to) this.network.cutOneWay(from, to);
      }
    }
  }

  private transfer(): void {
    const leader = this.leader();
    if (leader === undefined) return;
    this.stats.transfers++;
    const voters = leader.conf()?.voters ?? [];
    leader.transferLeader(this.random.nextInt(3) === 0 ? undefined : pick(this.random, voters));
  }

  private changeMembership(): void {
    if (!this.scenario.membership) return;
    const leader = this.leader();
    const voters = leader?.conf()?.voters;
    if (leader === undefined || voters === undefined) return;
    const outsiders = this.nodes.filter((n) => !voters.includes(n.id));
    const outsider = outsiders[this.random.nextInt(Math.max(1, outsiders.length))];
    this.stats.confChanges++;
    if (outsider !== undefined && this.random.nextInt(2) === 0) {
      leader.proposeConfChange({ kind: "add", node: outsider.id });
    } else if (voters.length > this.voters - 1) {
      leader.proposeConfChange({ kind: "remove", node: pick(this.random, voters) });
    }
  }

  private compactSomeNode(): void {
    const node = pick(this.random, this.nodes);
    if (!node.up) return;
    this.stats.snapshots++;
    node.compact(this.random.nextInt(8));
  }

  private leader(): SimNode | undefined {
    const leaders = this.nodes.filter((n) => n.up && n.role === "leader");
    return leaders.length === 0 ? undefined : pick(this.random, leaders);
  }

  // --- clients ---------------------------------------------------------------------------------

  private nextOperation(c: number): void {
    const client = this.clients[c] as SimClient;
    const current = client.current;
    if (current?.waiting === true) {
      current.waiting = false;
      this.attempt(c, current);
      return;
    }
    if (current !== undefined || this.phase !== "safety") return;
    const key = pick(this.random, KEYS);
    const put = this.random.nextInt(10) < 6;
    this.begin(c, (id) => (put ? { op: "put", key, value: id } : { op: "get", key }));
  }

  /** Starts a new operation; a put writes its own unique id as the value. Returns the id. */
  private begin(c: number, input: (id: string) => KvInput): string {
    const client = this.clients[c] as SimClient;
    const seq = client.seq++;
    const id = `c${c}.${seq}`;
    const target = this.targetFor(client);
    this.attempt(c, { seq, input: input(id), call: this.now, attempt: 0, target, waiting: false });
    return id;
  }

  private attempt(c: number, op: ClientOp): void {
    const client = this.clients[c] as SimClient;
    client.current = op;
    const tag = `c${c}.${op.seq}.${op.attempt}`;
    const request: ClientRequest =
      op.input.op === "put"
        ? { kind: "put", tag, id: `c${c}.${op.seq}`, key: op.input.key, value: op.input.value }
        : { kind: "get", tag, key: op.input.key };
    this.schedule(this.clientDelay(), { kind: "request", node: op.target, request });
    this.schedule(CLIENT_TIMEOUT_MS, { kind: "client-timeout", client: c, tag });
  }

  answer(_node: SimNode, tag: string, answer: ClientAnswer): void {
    const c = Number(tag.slice(1, tag.indexOf(".")));
    this.schedule(this.clientDelay(), { kind: "answer", client: c, tag, answer });
  }

  private onAnswer(c: number, tag: string, answer: ClientAnswer): void {
    const client = this.clients[c] as SimClient;
    const op = client.current;
    if (op === undefined || tag !== `c${c}.${op.seq}.${op.attempt}`) return;
    if (answer.outcome === "ok") {
      this.history.push({
        client: client.process,
        input: op.input,
        output: op.input.op === "get" ? { value: answer.value ?? null } : {},
        call: op.call,
        ret: this.now,
      });
      if (op.input.op === "put") {
        this.stats.putsAcknowledged++;
        this.ackedPuts.push(`c${c}.${op.seq}`);
        if (this.barrier?.client === c) this.barrier.done = true;
      } else this.stats.readsServed++;
      this.finish(c);
    } else if (answer.outcome === "unknown") {
      this.leaveUnfinished(c, op);
    } else {
      client.leaderHint = answer.leader;
      const barrier = this.barrier?.client === c;
      if (op.attempt + 1 >= CLIENT_ATTEMPTS && !barrier) {
        // Every attempt was refused: the operation certainly never happened.
        this.finish(c);
        return;
      }
      op.attempt++;
      op.target = this.targetFor(client);
      op.waiting = true;
      this.schedule(20 + this.random.nextInt(150), { kind: "client-next", client: c });
    }
  }

  private onTimeout(c: number, tag: string): void {
    const client = this.clients[c] as SimClient;
    const op = client.current;
    if (op === undefined || tag !== `c${c}.${op.seq}.${op.attempt}`) return;
    this.leaveUnfinished(c, op);
  }

  /** The operation may or may not take effect, at any time from now on. */
  private leaveUnfinished(c: number, op: ClientOp): void {
    const client = this.clients[c] as SimClient;
    if (op.input.op === "put") {
      this.stats.putsUnknown++;
      this.history.push({
        client: client.process,
        input: op.input,
        output: undefined,
        call: op.call,
        ret: undefined,
      });
      client.process = this.nextProcess++;
    }
    if (this.barrier?.client === c) {
      // The final write must succeed: ask again as a new operation.
      this.startBarrier();
      return;
    }
    this.finish(c);
  }

  private finish(c: number): void {
    const client = this.clients[c] as SimClient;
    client.current = undefined;
    if (this.phase === "safety") {
      this.schedule(this.random.nextInt(300), { kind: "client-next", client: c });
    }
  }

  private targetFor(client: SimClient): number {
    const hinted = this.index.get(client.leaderHint);
    if (hinted !== undefined && this.random.nextInt(10) < 9) return hinted;
    return this.random.nextInt(this.nodes.length);
  }

  private clientDelay(): number {
    return 1 + this.random.nextInt(20);
  }

  // --- the end: liveness, then linearizability ------------------------------------------------

  private liveness(): void {
    this.phase = "liveness";
    this.network.heal();
    this.network.faults = CALM;
    for (const [i, node] of this.nodes.entries()) if (!node.up) this.startNode(i, node);
    this.startBarrier();
    const deadline = this.now + LIVENESS_MS;
    while (!this.settled()) {
      if (!this.processNext() || this.now > deadline) {
        throw new SafetyViolation("liveness", this.livenessReport());
      }
    }
  }

  /** The final write: a put by a client of its own, retried until it succeeds. */
  private startBarrier(): void {
    const c = this.barrier?.client ?? this.addClient();
    const id = this.begin(c, (value) => ({ op: "put", key: "final", value }));
    this.barrier = { client: c, id, done: false };
  }

  private addClient(): number {
    this.clients.push({ process: this.nextProcess++, seq: 0, current: undefined, leaderHint: "" });
    return this.clients.length - 1;
  }

  /** Done when the final write is acknowledged and every voter applied every acknowledged put. */
  private settled(): boolean {
    if (this.barrier?.done !== true) return false;
    if (this.clients.some((client) => client.current !== undefined)) return false;
    const leader = this.nodes.find((n) => n.up && n.role === "leader");
    const voters = leader?.conf()?.voters;
    if (voters === undefined) return false;
    let target = 0;
    for (const id of this.ackedPuts) target = Math.max(target, this.checker.putAppliedAt(id) ?? 0);
    return voters.every(
      (id) => (this.nodes[this.index.get(id) as number] as SimNode).appliedIndex >= target,
    );
  }

  private livenessReport(): string {
    const nodes = this.nodes.map(
      (n) =>
        `${n.id}:${n.up ? n.role : "down"}@${n.appliedIndex}${n.conf() === undefined ? "" : ` conf=${n.conf()?.voters.join(",")}`}`,
    );
    const busy = this.clients.filter((client) => client.current !== undefined).length;
    const leader = this.nodes.find((n) => n.up && n.role === "leader")?.raft?.status();
    if (leader !== undefined) {
      for (const [id, pr] of leader.progress) {
        nodes.push(
          `[${leader.id}→${id}: ${pr.state} match=${pr.match} next=${pr.next} snap=${pr.pendingSnapshot} active=${pr.recentActive}]`,
        );
      }
      nodes.push(`[leader log ${leader.firstIndex}..${leader.lastIndex} commit=${leader.commit}]`);
    }
    return `not settled within ${LIVENESS_MS} ms after healing (final write ${this.barrier?.done === true ? "done" : "not done"}, ${busy} clients busy; ${nodes.join(" ")})`;
  }

  private checkHistory(): void {
    const result = checkKvHistory(this.history, { maxSteps: CHECK_STEPS });
    if (result.kind === "not-linearizable") {
      throw new SafetyViolation("linearizability", result.counterexample);
    }
    if (result.kind === "unknown") this.stats.checkUnknown++;
  }
}
