/**
 * Case selection by glob over case ids, as connectrpc/conformance does over test names: `*`
 * matches within one dot-separated component, `**` across components; everything else is
 * literal. `mds.*.invalid_name` selects that rule of every MDS RPC, `topology.**` the service.
 */
export function globToRegExp(glob: string): RegExp {
  let pattern = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob.charAt(i);
    if (char === "*" && glob.charAt(i + 1) === "*") {
      pattern += ".*";
      i++;
    } else if (char === "*") {
      pattern += "[^.]*";
    } else {
      pattern += char.replace(/[\\^$+?.()|[\]{}]/g, "\\$&");
    }
  }
  return new RegExp(`^${pattern}$`);
}

/** Whether `id` matches at least one of `globs`. */
export function matchesAny(id: string, globs: readonly string[]): boolean {
  return globs.some((glob) => globToRegExp(glob).test(id));
}

/** The ids selected by `--only` (all when empty) minus those of `--skip`. */
export function selectIds(
  ids: readonly string[],
  only: readonly string[],
  skip: readonly string[],
): string[] {
  return ids.filter((id) => (only.length === 0 || matchesAny(id, only)) && !matchesAny(id, skip));
}
