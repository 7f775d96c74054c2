import { Code } from "@connectrpc/connect";

/** The code as the spec writes it: `not_found`, `invalid_argument`. */
export function codeName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/[A-Z]/g, (c, i: number) =>
    i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`,
  );
}
