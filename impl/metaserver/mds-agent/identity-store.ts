/**
 * The registration a metaserver keeps in its data directory (topology.proto,
 * RegisterMetaServer): its id and token, and the address and zone it registered with, in
 * `identity.json`. Written durably (temp file, fsync, rename, directory fsync) before the
 * server uses the identity, so a restart always presents the token it was given.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { replaceFileDurably } from "../../storage/embedded/durable-file.js";

export const IDENTITY_FILE = "identity.json";
const FORMAT_VERSION = 1;

export interface MetaserverIdentity {
  readonly metaserverId: number;
  readonly token: string;
  /** The "host:port" it registered at. */
  readonly address: string;
  readonly poolName: string;
  readonly zoneName: string;
}

export class IdentityStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, IDENTITY_FILE);
  }

  /**
   * The stored identity, or undefined when the server never registered.
   * @throws CurveError DATA_CORRUPTED when the file is not a valid identity.
   */
  async load(): Promise<MetaserverIdentity | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    return parseIdentity(text, this.path);
  }

  async save(identity: MetaserverIdentity): Promise<void> {
    const body = { version: FORMAT_VERSION, ...identity };
    await replaceFileDurably(this.path, new TextEncoder().encode(`${JSON.stringify(body)}\n`));
  }

  /** Forgets the identity (the MDS no longer knows it). */
  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

function parseIdentity(text: string, path: string): MetaserverIdentity {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw corrupt(path, cause);
  }
  const { version, metaserverId, token, address, poolName, zoneName } = body;
  if (
    version !== FORMAT_VERSION ||
    typeof metaserverId !== "number" ||
    !Number.isInteger(metaserverId) ||
    metaserverId < 1 ||
    typeof token !== "string" ||
    token === "" ||
    typeof address !== "string" ||
    typeof poolName !== "string" ||
    typeof zoneName !== "string"
  ) {
    throw corrupt(path);
  }
  return { metaserverId, token, address, poolName, zoneName };
}

function corrupt(path: string, cause?: unknown): CurveError {
  return new CurveError(ErrorReason.DATA_CORRUPTED, `${path} is not a metaserver identity`, {
    cause,
  });
}
