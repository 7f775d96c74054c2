/**
 * The entry point of every benchmark child process: answers the parent's calls (see child.ts)
 * by running exported functions of the registered remote modules, and exits when the parent
 * asks or goes away — a child never outlives its benchmark run.
 */
import type { ChildReply, ChildRequest } from "./child.js";
import { loadRemote } from "./remote-targets.js";

function reply(message: ChildReply): void {
  process.send?.(message);
}

async function handle(request: ChildRequest): Promise<void> {
  if (request.kind === "exit") {
    process.disconnect?.();
    process.exit(0);
  }
  if (request.kind === "cpu") {
    const { user, system } = process.cpuUsage();
    reply({ kind: "ok", id: request.id, value: user + system });
    return;
  }
  try {
    const module = await loadRemote(request.target);
    const fn = module[request.fn];
    if (typeof fn !== "function")
      throw new Error(`${request.target} has no function ${request.fn}`);
    const value: unknown = await (fn as (args: unknown) => unknown)(request.args);
    reply({ kind: "ok", id: request.id, value });
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    reply({ kind: "error", id: request.id, message });
  }
}

process.on("message", (request: ChildRequest) => void handle(request));
process.on("disconnect", () => process.exit(0));
