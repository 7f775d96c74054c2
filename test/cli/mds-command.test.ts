/** `curve-rpc mds` argument handling. (Running processes are tested in test/mds.) */
import { describe, expect, it } from "vitest";
import { parseMdsArgs } from "../../impl/cli/mds-command.js";

describe("curve-rpc mds arguments", () => {
  it("reads --listen, --advertise and a list of etcd URLs", () => {
    expect(
      parseMdsArgs([
        "--listen",
        "0.0.0.0:6700",
        "--advertise",
        "mds1.example:6700",
        "--etcd",
        "http://10.0.0.1:2379, http://10.0.0.2:2379",
      ]),
    ).toEqual({
      host: "0.0.0.0",
      port: 6700,
      advertise: "mds1.example:6700",
      etcdEndpoints: ["http://10.0.0.1:2379", "http://10.0.0.2:2379"],
      dataDir: undefined,
    });
  });

  it("accepts a bracketed IPv6 listen address and an embedded data directory", () => {
    expect(parseMdsArgs(["--listen", "[::1]:6700", "--data-dir", "/var/lib/curve"])).toMatchObject({
      host: "::1",
      port: 6700,
      dataDir: "/var/lib/curve",
    });
  });

  it.each([
    [[], "--listen HOST:PORT is required"],
    [["--listen", "6700", "--data-dir", "d"], "expected HOST:PORT"],
    [["--listen", "h:70000", "--data-dir", "d"], "expected HOST:PORT"],
    [["--listen", "h:1"], "--etcd URL"],
    [["--listen", "h:1", "--etcd", "10.0.0.1:2379"], "not an etcd client URL"],
    [["--listen", "h:1", "--data-dir", "d", "--advertise", "nope"], "--advertise"],
  ])("rejects %j", (args, message) => {
    expect(() => parseMdsArgs(args)).toThrow(message);
  });
});
