/**
 * etcd's plain-HTTP endpoints on the client port: readiness (`/health`) and version (`/version`).
 */

/** Polls between readiness checks: etcd with test flags is ready in ~0.1 s. */
const POLL_MS = 20;

async function healthy(clientUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { health?: unknown };
    return response.ok && body.health === "true";
  } catch {
    return false;
  }
}

/**
 * Resolves once etcd at `clientUrl` reports healthy; rejects after `timeoutMs`, or as soon as
 * `failure()` returns a reason (e.g. the process exited).
 */
export async function waitForEtcdHealth(
  clientUrl: string,
  timeoutMs: number,
  failure: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failure();
    if (reason !== undefined) throw new Error(reason);
    if (await healthy(clientUrl)) return;
    if (Date.now() > deadline)
      throw new Error(`etcd at ${clientUrl} not healthy within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The server version etcd reports (e.g. "3.4.23"), or "unknown". */
export async function etcdVersion(clientUrl: string): Promise<string> {
  try {
    const response = await fetch(`${clientUrl}/version`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json()) as { etcdserver?: unknown };
    return typeof body.etcdserver === "string" ? body.etcdserver : "unknown";
  } catch {
    return "unknown";
  }
}
