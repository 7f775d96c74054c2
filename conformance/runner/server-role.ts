/**
 * Which server of the target answers a service: MDS services go to the MDS leader, metaserver
 * and Raft services to the first metaserver given to the runner, chunk services to the first
 * chunkserver. Raft services are served by chunkservers too; the suite checks them on a
 * metaserver.
 */
import type { Transport } from "@connectrpc/connect";
import type { CaseContext } from "./case-context.js";
import { CaseFailure } from "./case-failure.js";

export type ServerRole = "mds" | "metaserver" | "chunkserver";

export function roleOfService(typeName: string): ServerRole {
  if (typeName.startsWith("curve.metaserver.") || typeName.startsWith("curve.raft.")) {
    return "metaserver";
  }
  if (typeName.startsWith("curve.chunk.")) return "chunkserver";
  return "mds";
}

/** The base URL of the first server of `role`; fails the case when the target names none. */
export function firstUrl(ctx: CaseContext, role: "metaserver" | "chunkserver"): string {
  const url = (role === "metaserver" ? ctx.metaserverUrls : ctx.chunkserverUrls)[0];
  if (url === undefined) throw new CaseFailure(`the target names no ${role} URL`);
  return url;
}

/** The transport a single-call case uses for a service of `typeName`. */
export function transportForService(ctx: CaseContext, typeName: string): Transport {
  const role = roleOfService(typeName);
  return role === "mds" ? ctx.mdsTransport : ctx.transportTo(firstUrl(ctx, role));
}
