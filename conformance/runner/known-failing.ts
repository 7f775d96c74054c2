/**
 * The known-failing list: one case id or glob per line, `#` starts a comment. Listed cases
 * still run; a listed case that passes fails the run, so the list cannot go stale silently.
 */
import { readFile } from "node:fs/promises";
import { globToRegExp } from "./glob.js";

export interface KnownFailing {
  /** The file it was read from ("" when none was given). */
  readonly source: string;
  readonly patterns: readonly string[];
}

export const NO_KNOWN_FAILING: KnownFailing = { source: "", patterns: [] };

export function parseKnownFailing(text: string, source: string): KnownFailing {
  const patterns = text
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line !== "");
  return { source, patterns };
}

export async function readKnownFailing(path: string): Promise<KnownFailing> {
  return parseKnownFailing(await readFile(path, "utf8"), path);
}

export function isKnownFailing(list: KnownFailing, id: string): boolean {
  return list.patterns.some((pattern) => globToRegExp(pattern).test(id));
}

/** Entries that match no case of the suite at all: typos, or cases that were removed. */
export function staleEntries(list: KnownFailing, allIds: readonly string[]): string[] {
  return list.patterns.filter((pattern) => !allIds.some((id) => globToRegExp(pattern).test(id)));
}

export type CaseStatus = "pass" | "fail" | "known_fail" | "skip";

/**
 * The status of a case that ran: a failure of a listed case is expected, a pass of a listed
 * case is not (the message says to remove it from the list).
 */
export function classify(
  outcome: { readonly passed: boolean; readonly message: string },
  listed: boolean,
  source: string,
): { status: CaseStatus; message: string } {
  if (!listed) return { status: outcome.passed ? "pass" : "fail", message: outcome.message };
  if (!outcome.passed) return { status: "known_fail", message: outcome.message };
  return {
    status: "fail",
    message: `unexpected pass: the case is listed in ${source || "the known-failing list"} but passed; remove it from the list`,
  };
}
