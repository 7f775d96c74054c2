/**
 * The decision table of RegisterMetaServer / RegisterChunkServer (topology.proto): given what
 * is registered at the address, the token presented and the zone named, either a new
 * registration, the existing one again, or the documented error. Pure.
 */
import { randomInt } from "node:crypto";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import type { ServerKind, ServerRecord } from "./topology-records.js";

/** What the decision looks at. The pool and zone were found already. */
export interface RegistrationFacts {
  readonly kind: ServerKind;
  readonly address: string;
  readonly poolId: number;
  readonly zoneId: number;
  /** The token the server presented, if it has one. */
  readonly token: string | undefined;
  /** The registration at the address, of either kind. */
  readonly atAddress: ServerRecord | undefined;
  /** Whether that registration hosts a copyset in the MDS's records. */
  readonly hostsCopysets: boolean;
}

/** A new registration, or the existing one returned again. */
export type RegistrationDecision =
  | { readonly kind: "new" }
  | { readonly kind: "existing"; readonly server: ServerRecord };

/** The reason for "no such server" of each kind. */
export function serverNotFound(kind: ServerKind): ErrorReason {
  return kind === "metaserver"
    ? ErrorReason.METASERVER_NOT_FOUND
    : ErrorReason.CHUNKSERVER_NOT_FOUND;
}

/**
 * Applies the decision table.
 * @throws CurveError SERVER_ADDRESS_IN_USE, SERVER_TOKEN_MISMATCH, METASERVER_NOT_FOUND /
 *   CHUNKSERVER_NOT_FOUND, as the table says.
 */
export function decideRegistration(facts: RegistrationFacts): RegistrationDecision {
  const existing = facts.atAddress;
  const meta = { address: facts.address };
  if (existing && existing.kind !== facts.kind) {
    throw new CurveError(
      ErrorReason.SERVER_ADDRESS_IN_USE,
      `a ${existing.kind} is registered at ${facts.address}`,
      { metadata: meta },
    );
  }
  if (!existing) {
    if (facts.token === undefined) return { kind: "new" };
    throw new CurveError(
      serverNotFound(facts.kind),
      `no ${facts.kind} is registered at ${facts.address}: discard the stored identity and register without a token`,
      { metadata: meta },
    );
  }
  if (facts.token !== undefined && facts.token !== existing.token) {
    throw new CurveError(
      ErrorReason.SERVER_TOKEN_MISMATCH,
      `the token does not match the ${facts.kind} registered at ${facts.address}`,
      { metadata: meta },
    );
  }
  if (facts.token === undefined && facts.hostsCopysets) {
    throw new CurveError(
      ErrorReason.SERVER_ADDRESS_IN_USE,
      `${facts.kind} ${existing.id} at ${facts.address} hosts copysets; present its token`,
      { metadata: meta },
    );
  }
  if (existing.poolId !== facts.poolId || existing.zoneId !== facts.zoneId) {
    throw new CurveError(
      ErrorReason.SERVER_ADDRESS_IN_USE,
      `${facts.kind} ${existing.id} at ${facts.address} is registered in another zone; a server never changes zone`,
      { metadata: meta },
    );
  }
  return { kind: "existing", server: existing };
}

/** Length of a server token: far more than the spec's minimum of 16. */
const TOKEN_LENGTH = 32;
const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A new server token: TOKEN_LENGTH characters of [a-z0-9] from a cryptographically secure source. */
export function newServerToken(): string {
  let token = "";
  for (let i = 0; i < TOKEN_LENGTH; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}
