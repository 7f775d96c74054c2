/**
 * forceConfiguration (CliService.ResetPeer): a survivor of a group that lost its majority for
 * good forces a new configuration, leads it with a RESET entry first, and the group grows again.
 */
import { describe, expect, it } from "vitest";
import { decodeConfChange, EntryType, type ForcedConf } from "../../../impl/raft/core/index.js";
import { Network, TestNode } from "./harness.js";

const VOTERS = ["1", "2", "3"];
const ELECTION_TICKS = 10;

function confChangeEntries(node: TestNode): string[] {
  return node.applied
    .filter((e) => e.type === EntryType.ConfChange)
    .map((e) => {
      const { change, conf } = decodeConfChange(e.data);
      const what = change.kind === "reset" ? "reset" : `${change.kind} ${change.node}`;
      return `${what} [${conf.voters.join(",")}]`;
    });
}

/** "1" led {1,2,3} and committed "a"; then "2" and "3" are lost for good and "1" stepped down. */
function survivor(): Network {
  const net = Network.create(VOTERS);
  net.campaign("1");
  net.propose("1", "a");
  net.nodes.delete("2");
  net.nodes.delete("3");
  net.tick("1", 2 * ELECTION_TICKS);
  return net;
}

describe("forceConfiguration", () => {
  it("is refused while this node leads or follows a live leader", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    expect(net.raft("1").forceConfiguration(["1"])).toEqual({
      ok: false,
      error: { reason: "group-healthy", leader: "1" },
    });
    expect(net.raft("2").forceConfiguration(["2"])).toEqual({
      ok: false,
      error: { reason: "group-healthy", leader: "1" },
    });
    expect(net.raft("2").forceConfiguration(["1", "3"])).toMatchObject({
      ok: false,
      error: { reason: "conf-change-invalid" },
    });
  });

  it("already in force: no change and no new term", () => {
    const net = Network.create(VOTERS);
    const before = net.raft("1").status().term;
    expect(net.raft("1").forceConfiguration(["3", "2", "1", "1"])).toEqual({
      ok: true,
      value: { old: { voters: VOTERS }, forced: undefined, term: before },
    });
    expect(net.raft("1").hasReady()).toBe(false);
  });

  it("the survivor of a lost majority leads alone, then a new peer learns the reset", () => {
    const net = survivor();
    const one = net.raft("1");
    expect(one.status()).toMatchObject({ role: "follower", leader: "" });
    // Without the reset it cannot win: its pre-votes go nowhere.
    net.tick("1", 4 * ELECTION_TICKS);
    expect(one.status().role).not.toBe("leader");
    const term = one.status().term;
    const lastIndex = one.status().lastIndex;

    const result = one.forceConfiguration(["1"]);
    expect(result).toEqual({
      ok: true,
      value: {
        old: { voters: VOTERS },
        forced: { conf: { voters: ["1"] }, index: lastIndex },
        term: term + 1,
      },
    });
    expect(one.status()).toMatchObject({
      term: term + 1,
      vote: "",
      role: "follower",
      conf: { voters: ["1"] },
    });
    // The new term, with no vote, is handed out for persistence.
    expect(net.node("1").handleReady().hardState).toMatchObject({ term: term + 1, vote: "" });

    net.tick("1", 2 * ELECTION_TICKS);
    expect(one.status().role).toBe("leader");
    net.propose("1", "b");
    expect(net.node("1").appliedData()).toEqual(["a", "b"]);
    expect(confChangeEntries(net.node("1"))).toEqual(["reset [1]"]);
    const reset = net.node("1").applied.find((e) => e.type === EntryType.ConfChange);
    expect(reset?.index).toBe(lastIndex + 1);

    // Growing the group again: "4" starts empty and learns {1} from the RESET entry.
    net.add(new TestNode("4", { voters: [] }));
    expect(one.proposeConfChange({ kind: "add", node: "4" }).ok).toBe(true);
    net.stabilize();
    for (const id of ["1", "4"]) {
      expect(net.raft(id).status().conf, id).toEqual({ voters: ["1", "4"] });
      expect(confChangeEntries(net.node(id)), id).toEqual(["reset [1]", "add 4 [1,4]"]);
    }
    expect(net.node("4").appliedData()).toEqual(["a", "b"]);
    net.propose("1", "c");
    expect(net.node("4").appliedData()).toEqual(["a", "b", "c"]);
  });

  it("an uncommitted change held at reset time is ignored even once it commits", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    net.nodes.delete("2");
    net.nodes.delete("3");
    // Appended, never committed: applying it later would make {1,2} the configuration.
    expect(net.raft("1").proposeConfChange({ kind: "remove", node: "3" }).ok).toBe(true);
    net.tick("1", 2 * ELECTION_TICKS);
    expect(net.raft("1").forceConfiguration(["1"]).ok).toBe(true);
    net.tick("1", 2 * ELECTION_TICKS);
    net.propose("1", "after");
    expect(net.node("1").appliedData()).toEqual(["after"]);
    expect(net.raft("1").status().conf).toEqual({ voters: ["1"] });
    expect(confChangeEntries(net.node("1"))).toEqual(["remove 3 [1,2]", "reset [1]"]);
  });

  it("survives a restart before the RESET entry commits", () => {
    const net = survivor();
    const accepted = net.raft("1").forceConfiguration(["1"]);
    if (!accepted.ok || accepted.value.forced === undefined) throw new Error("not forced");
    const forced: ForcedConf = accepted.value.forced;
    net.node("1").drain();
    // Restart on the same storage with the stored forced configuration.
    const restarted = new TestNode("1", {
      voters: VOTERS,
      storage: net.node("1").storage,
      forcedConf: forced,
    });
    expect(restarted.raft.status().conf).toEqual({ voters: ["1"] });
    const net2 = new Network([restarted]);
    net2.tick("1", 2 * ELECTION_TICKS);
    net2.propose("1", "b");
    expect(restarted.appliedData()).toEqual(["a", "b"]);
    // Once superseded (the RESET entry committed), a stale forced configuration is ignored.
    const again = new TestNode("1", {
      voters: VOTERS,
      storage: restarted.storage,
      forcedConf: { conf: { voters: ["1", "9"] }, index: forced.index },
    });
    expect(again.raft.status().conf).toEqual({ voters: ["1"] });
  });
});
