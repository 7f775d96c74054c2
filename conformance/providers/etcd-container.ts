import { etcdVersion, waitForEtcdHealth } from "./etcd-http.js";
import { freeLoopbackPort } from "./free-port.js";

/** The etcd image for the Docker path; override with CURVE_TEST_ETCD_IMAGE. */
export const DEFAULT_ETCD_IMAGE = "quay.io/coreos/etcd:v3.5.17";

const CLIENT_PORT = 2379;
const DATA_DIR = "/etcd-data";
const READY_TIMEOUT_MS = 60_000;

/** An etcd container we started. */
export interface EtcdContainer {
  readonly clientUrl: string;
  readonly image: string;
  readonly version: string;
  /** Stops the container, runs `whileDown`, starts it again (same host port, same data). */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts etcd in a container with the test flags. Its data lives in the container's own
 * filesystem with --unsafe-no-fsync (3.5+): unlike a tmpfs mount, that survives a container
 * restart, which the fault tests need. The client port is bound to a fixed free host port so
 * that a restart keeps the address.
 */
export async function startEtcdContainer(image = DEFAULT_ETCD_IMAGE): Promise<EtcdContainer> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import("testcontainers");
  const hostPort = await freeLoopbackPort();
  const clientUrl = `http://127.0.0.1:${hostPort}`;
  const container = await new GenericContainer(image)
    .withCommand([
      "etcd",
      "--name=curve-test",
      `--data-dir=${DATA_DIR}`,
      `--listen-client-urls=http://0.0.0.0:${CLIENT_PORT}`,
      `--advertise-client-urls=${clientUrl}`,
      "--heartbeat-interval=10",
      "--election-timeout=100",
      "--unsafe-no-fsync",
      "--log-level=error",
    ])
    .withExposedPorts({ container: CLIENT_PORT, host: hostPort })
    .withWaitStrategy(Wait.forHttp("/health", CLIENT_PORT).forStatusCode(200))
    .withStartupTimeout(READY_TIMEOUT_MS)
    .start();
  return {
    clientUrl,
    image,
    version: await etcdVersion(clientUrl),
    restart: async (whileDown) => {
      const runtime = await getContainerRuntimeClient();
      const handle = runtime.container.getById(container.getId());
      await runtime.container.stop(handle, { timeout: 0 });
      await whileDown?.();
      await runtime.container.start(handle);
      await waitForEtcdHealth(clientUrl, READY_TIMEOUT_MS);
    },
    stop: async () => {
      await container.stop();
    },
  };
}
