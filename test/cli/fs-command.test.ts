/**
 * `curve-rpc fs` as a user drives it: `curve-rpc up` in one process, then one `curve-rpc fs`
 * process per command against its endpoints file, with real stdout, stderr and exit codes.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFsArgs } from "../../impl/cli/fs-command.js";
import { eventually } from "../support/eventually.js";

const BIN = new URL("../../bin/curve-rpc.js", import.meta.url).pathname;

interface Run {
  /** The exit code, or the signal that ended the process. */
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
}

function curve(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (_error, stdout, stderr) => {
        resolve({ code: child.exitCode ?? child.signalCode ?? "unknown", stdout, stderr });
      },
    );
  });
}

let dir: string;
let up: ChildProcess;
let upExited: Promise<number | null>;
const fsCli = (...args: string[]) => curve(["fs", "--endpoints", join(dir, "cluster"), ...args]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "curve-fs-cmd-"));
  up = spawn(
    process.execPath,
    [BIN, "up", "--data-dir", join(dir, "cluster"), "--base-port", "0"],
    {
      stdio: "ignore",
      env: { ...process.env, CURVE_LOG_LEVEL: "error" },
    },
  );
  upExited = new Promise((resolve) => up.once("exit", resolve));
  await eventually(
    async () => (existsSync(join(dir, "cluster", "endpoints.json")) ? true : undefined),
    {
      what: "curve-rpc up writing endpoints.json",
      timeoutMs: 60_000,
    },
  );
}, 90_000);

afterAll(async () => {
  up?.kill("SIGTERM");
  await upExited;
  await rm(dir, { recursive: true, force: true });
});

describe("curve-rpc fs against curve-rpc up", () => {
  it("creates a file system on the embedded store and lists it", { timeout: 120_000 }, async () => {
    const made = await fsCli("mkfs", "cli");
    expect(made).toMatchObject({ code: 0, stderr: "" });
    expect(made.stdout).toMatch(/^created cli \(fs id \d+\)\n$/);
    const listed = await fsCli("--json", "lsfs");
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ fsName: "cli", status: "inited" }),
    ]);
  });

  it("copies a file in and out unchanged, and shows it in ls, tree, stat and cat", {
    timeout: 120_000,
  }, async () => {
    const local = join(dir, "in.bin");
    const content = randomBytes(5 * 1024 * 1024 + 17);
    await writeFile(local, content);
    expect((await fsCli("mkdir", "-p", "cli:/docs/sub")).code).toBe(0);
    expect((await fsCli("put", local, "cli:/docs/sub")).code).toBe(0);
    expect((await fsCli("get", "cli:/docs/sub/in.bin", join(dir, "out.bin"))).code).toBe(0);
    const back = await readFile(join(dir, "out.bin"));
    expect(createHash("sha256").update(back).digest("hex")).toBe(
      createHash("sha256").update(content).digest("hex"),
    );

    await writeFile(join(dir, "note.txt"), "hello from the shell\n");
    expect((await fsCli("put", join(dir, "note.txt"), "cli:/docs/note.txt")).code).toBe(0);
    expect((await fsCli("cat", "cli:/docs/note.txt")).stdout).toBe("hello from the shell\n");
    expect((await fsCli("ls", "cli:/docs")).stdout).toBe("note.txt\nsub/\n");
    expect((await fsCli("ls", "-l", "cli:/docs/sub")).stdout).toMatch(
      /^-rw-r--r-- +1 .* 5242897 .* in\.bin\n$/,
    );
    expect((await fsCli("tree", "cli:/")).stdout).toBe(
      ["/", "└── docs/", "    ├── note.txt", "    └── sub/", "        └── in.bin", ""].join("\n"),
    );
    const stat = JSON.parse((await fsCli("--json", "stat", "cli:/docs/note.txt")).stdout);
    expect(stat).toMatchObject({ kind: "file", size: 21, mode: "0644", nlink: 1 });
  });

  it("renames and removes, and reports usage with df", { timeout: 120_000 }, async () => {
    expect((await fsCli("mv", "cli:/docs/note.txt", "cli:/note.txt")).code).toBe(0);
    expect((await fsCli("ls", "cli:/")).stdout).toBe("docs/\nnote.txt\n");
    expect((await fsCli("rm", "-r", "cli:/docs")).code).toBe(0);
    expect((await fsCli("ls", "cli:/")).stdout).toBe("note.txt\n");
    const df = JSON.parse((await fsCli("--json", "df", "cli")).stdout);
    expect(df).toMatchObject({ fsName: "cli", capacityBytes: String(100 * 1024 ** 3) });
  });

  it("fails with one clear line and exit code 1, or 2 for a usage error", {
    timeout: 120_000,
  }, async () => {
    const missing = await fsCli("cat", "cli:/nope");
    expect(missing).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "curve-rpc fs: ENOENT: no such file or directory, open 'cli:/nope'\n",
    });
    const notEmpty = await fsCli("mkdir", "cli:/note.txt");
    expect(notEmpty.stderr).toBe(
      "curve-rpc fs: EEXIST: file already exists, mkdir 'cli:/note.txt'\n",
    );
    const usage = await fsCli("ls", "/not/remote");
    expect(usage).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^curve-rpc fs: "\/not\/remote" is not a remote path/),
    });
  });
});

describe("curve-rpc fs arguments", () => {
  it("takes the MDS list from --mds and global flags anywhere", async () => {
    const parsed = await parseFsArgs([
      "ls",
      "-l",
      "--mds",
      "http://a:1,http://b:2",
      "fs1:/x",
      "--json",
    ]);
    expect(parsed.command).toBe("ls");
    expect(parsed.operands).toEqual(["fs1:/x"]);
    expect(parsed.options).toMatchObject({
      mdsUrls: ["http://a:1", "http://b:2"],
      long: true,
      json: true,
    });
  });

  it("needs an MDS from --mds or --endpoints", async () => {
    await expect(parseFsArgs(["lsfs"])).rejects.toThrow("--mds URL[,URL] is required");
  });
});
