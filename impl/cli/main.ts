/**
 * `curve-rpc <command>`: the entry point of the command line tool. One file per command; this
 * file only dispatches.
 */
import { readFileSync } from "node:fs";
import { fsCommand } from "./fs-command.js";
import { mdsCommand } from "./mds-command.js";
import { metaserverCommand } from "./metaserver-command.js";
import { specCommand } from "./spec-command.js";
import { statusCommand } from "./status-command.js";
import { upCommand } from "./up-command.js";

/** A command takes its arguments and returns the process exit code. */
export type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; run: Command }> = {
  mds: {
    summary: "run an MDS (--listen HOST:PORT, --etcd URL[,URL] or --data-dir DIR)",
    run: mdsCommand,
  },
  metaserver: {
    summary: "run a metaserver (--mds URL[,URL] --listen HOST:PORT --data-dir DIR [--pool --zone])",
    run: metaserverCommand,
  },
  up: {
    summary: "run a whole cluster in one process on a data dir (--data-dir DIR, --base-port N)",
    run: upCommand,
  },
  status: {
    summary: "show the MDS leader, metaservers, copysets and partitions (--mds URL[,URL] [--json])",
    run: statusCommand,
  },
  fs: {
    summary:
      "use a file system: mkfs, ls, tree, mkdir, put, get, cat, rm, mv, stat, df (NAME:/path)",
    run: fsCommand,
  },
  spec: {
    summary: "list the services and RPCs of the spec (--json for machine output)",
    run: specCommand,
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ["usage: curve-rpc <command> [options]", "", "commands:", ...lines, ""].join("\n");
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return 0;
  }
  if (name === "--version" || name === "version") {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`curve-rpc: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(args);
}
