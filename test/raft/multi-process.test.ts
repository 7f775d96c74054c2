/**
 * Three Raft nodes as separate OS processes over real Connect on loopback, a KV state machine,
 * continuous writes from this process, and `kill -9` of the leader three times (each killed node
 * is restarted from its disk). Afterwards every acknowledged write must be applied on every node,
 * no write applied twice, and all nodes must have applied the same sequence.
 *
 * Each write carries a unique id and is sent once: a write whose outcome is unknown (the leader
 * died) is not retried, so a duplicate id in a node's applied sequence can only come from the
 * Raft layer applying an entry twice (a replay after restart, a snapshot installed over entries
 * already applied).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { freeLoopbackPort } from "../../conformance/providers/free-port.js";
import { eventually } from "../support/eventually.js";

const ENTRY = fileURLToPath(new URL("./support/raft-node-main.ts", import.meta.url));
const KILLS = 3;
const WRITERS = 4;
/** Acknowledged writes to wait for between two kills. */
const WRITES_PER_ROUND = 40;

interface NodeProcess {
  readonly address: string;
  readonly clientPort: number;
  readonly dataDir: string;
  child: ChildProcess | undefined;
  stderr: string;
}

interface NodeState {
  readonly role: string;
  readonly leader: string;
  readonly term: number;
  readonly applied: number;
  readonly ids: string[];
}

const nodes: NodeProcess[] = [];
const acknowledged = new Set<string>();
let writing = false;
let nextWrite = 0;
let leaderGuess = 0;

function spawnNode(node: NodeProcess): void {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      ENTRY,
      "--listen",
      node.address,
      "--peers",
      nodes.map((n) => n.address).join(","),
      "--data-dir",
      node.dataDir,
      "--client-port",
      String(node.clientPort),
    ],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CURVE_LOG_LEVEL: "warn" } },
  );
  child.stderr?.on("data", (chunk: Buffer) => {
    node.stderr = (node.stderr + chunk.toString()).slice(-20_000);
  });
  node.child = child;
}

async function state(node: NodeProcess): Promise<NodeState | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${node.clientPort}/state`, {
      signal: AbortSignal.timeout(2000),
    });
    return (await response.json()) as NodeState;
  } catch {
    return undefined;
  }
}

/** The node every live node agrees leads (and that says so itself). */
async function leader(): Promise<NodeProcess> {
  return eventually(
    async () => {
      const states = await Promise.all(nodes.map(state));
      const leading = nodes.filter((_, i) => states[i]?.role === "leader");
      if (leading.length !== 1) return undefined;
      const [candidate] = leading;
      const followers = states.filter((s) => s !== undefined);
      return followers.every((s) => s.leader === candidate?.address) ? candidate : undefined;
    },
    { timeoutMs: 30_000, what: "a leader all live nodes follow" },
  );
}

/** One write, sent once to the node believed to lead; true when acknowledged. */
async function writeOnce(): Promise<boolean> {
  const id = `w${nextWrite++}`;
  const node = nodes[leaderGuess % nodes.length] as NodeProcess;
  try {
    const response = await fetch(`http://127.0.0.1:${node.clientPort}/write`, {
      method: "POST",
      body: JSON.stringify({ id, key: `k${nextWrite % 16}`, value: id }),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json()) as { leaderHint?: string };
    if (response.ok) {
      acknowledged.add(id);
      return true;
    }
    const hinted = nodes.findIndex((n) => n.address === body.leaderHint);
    leaderGuess = hinted >= 0 ? hinted : leaderGuess + 1;
  } catch {
    leaderGuess++;
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  return false;
}

async function writer(): Promise<void> {
  while (writing) await writeOnce();
}

async function acknowledgedAtLeast(count: number): Promise<void> {
  await eventually(() => (acknowledged.size >= count ? true : undefined), {
    timeoutMs: 60_000,
    what: `${count} acknowledged writes`,
  });
}

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    nodes.push({
      address: `127.0.0.1:${await freeLoopbackPort()}`,
      clientPort: await freeLoopbackPort(),
      dataDir: await mkdtemp(join(tmpdir(), "curve-raft-process-")),
      child: undefined,
      stderr: "",
    });
  }
  for (const node of nodes) spawnNode(node);
});

afterAll(async () => {
  writing = false;
  for (const node of nodes) node.child?.kill("SIGKILL");
  await Promise.all(nodes.map((node) => rm(node.dataDir, { recursive: true, force: true })));
});

describe("three Raft processes under kill -9 of the leader", () => {
  it("keeps every acknowledged write, on every node, applied once", {
    timeout: 240_000,
  }, async () => {
    onTestFailed(() => {
      for (const node of nodes) console.error(`--- ${node.address} stderr:\n${node.stderr}`);
    });
    await leader();
    writing = true;
    const writers = Array.from({ length: WRITERS }, () => writer());
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        await acknowledgedAtLeast(acknowledged.size + WRITES_PER_ROUND);
        const victim = await leader();
        const exited = new Promise((resolve) => victim.child?.once("exit", resolve));
        victim.child?.kill("SIGKILL");
        await exited;
        // The survivors elect a new leader and keep acknowledging writes without the victim.
        await acknowledgedAtLeast(acknowledged.size + WRITES_PER_ROUND);
        spawnNode(victim);
      }
      await acknowledgedAtLeast(acknowledged.size + WRITES_PER_ROUND);
    } finally {
      writing = false;
      await Promise.all(writers);
    }

    // Recovery: every node (including the last one restarted) applies up to the leader's index.
    const current = await leader();
    const target = (await state(current))?.applied ?? 0;
    const states = await eventually(
      async () => {
        const all = await Promise.all(nodes.map(state));
        return all.every((s) => s !== undefined && s.applied >= target)
          ? (all as NodeState[])
          : undefined;
      },
      { timeoutMs: 60_000, what: "every node applying the leader's index" },
    );

    const reference = states[0]?.ids ?? [];
    for (const [i, s] of states.entries()) {
      const applied = s.ids.slice(0, reference.length);
      expect(new Set(s.ids).size, `node ${i} applied a write twice`).toBe(s.ids.length);
      expect(applied, `node ${i} diverges`).toEqual(reference.slice(0, applied.length));
      const missing = [...acknowledged].filter((id) => !s.ids.includes(id));
      expect(missing, `node ${i} lost acknowledged writes`).toEqual([]);
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual((KILLS + 1) * WRITES_PER_ROUND);
    if (process.env.RAFT_MP_DEBUG) {
      console.log(`acknowledged ${acknowledged.size} of ${nextWrite} writes`);
      for (const node of nodes) console.log(`--- ${node.address} stderr:\n${node.stderr}`);
    }
  });
});
