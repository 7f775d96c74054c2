/**
 * The replicated state machine of the simulation: a key-value map written by put commands that
 * travel through the log (reads are served by read index and never enter it). Every put carries
 * a unique id, so a command applied twice is visible.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface PutCommand {
  /** Unique per client operation: "c<client>.<op>". */
  readonly id: string;
  readonly key: string;
  readonly value: string;
}

export function encodePut(command: PutCommand): Uint8Array {
  return encoder.encode(JSON.stringify(command));
}

export function decodePut(data: Uint8Array): PutCommand {
  return JSON.parse(decoder.decode(data)) as PutCommand;
}

export class KvStateMachine {
  private readonly map = new Map<string, string>();

  get(key: string): string | null {
    return this.map.get(key) ?? null;
  }

  apply(command: PutCommand): void {
    this.map.set(command.key, command.value);
  }

  /** A canonical text of the whole state: equal states give equal strings. */
  fingerprint(): string {
    return JSON.stringify([...this.map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** The snapshot payload (the fingerprint is a complete serialization). */
  serialize(): Uint8Array {
    return encoder.encode(this.fingerprint());
  }

  /** The state a snapshot holds; the bootstrap snapshot's empty payload is the empty map. */
  static restore(data: Uint8Array): KvStateMachine {
    const machine = new KvStateMachine();
    if (data.length === 0) return machine;
    for (const [key, value] of JSON.parse(decoder.decode(data)) as [string, string][]) {
      machine.map.set(key, value);
    }
    return machine;
  }
}
