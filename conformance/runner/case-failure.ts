/** A broken rule: what the case expected and what the target did. */
export class CaseFailure extends Error {
  override readonly name = "CaseFailure";
}

/** Fails the case with `message` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CaseFailure(message);
}
