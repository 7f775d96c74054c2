import { existsSync } from "node:fs";
import { homedir } from "node:os";

/**
 * Whether a container engine answers, so that a provider may use testcontainers.
 *
 * Importing testcontainers alone costs ~0.8 s, so the common case (no engine on this machine)
 * is decided first from the environment and the usual socket paths, which costs nothing.
 * The answer is not cached: an engine may start between two calls.
 */
export async function dockerEngineReachable(): Promise<boolean> {
  if (!mayHaveDockerEngine()) return false;
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** False when nothing on this machine could point testcontainers at an engine. */
function mayHaveDockerEngine(): boolean {
  if (process.env.DOCKER_HOST) return true;
  const home = homedir();
  const uid = process.getuid?.() ?? 0;
  return [
    `${home}/.testcontainers.properties`,
    "/var/run/docker.sock",
    `${home}/.docker/run/docker.sock`,
    `/run/user/${uid}/docker.sock`,
    `/run/user/${uid}/podman/podman.sock`,
  ].some((path) => existsSync(path));
}
