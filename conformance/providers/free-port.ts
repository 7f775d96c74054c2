import { createServer } from "node:net";

/**
 * Asks the kernel for a free TCP port on 127.0.0.1 and releases it at once.
 *
 * Another process may take the port before the caller binds it; the window is tiny on a test
 * machine, and a server that fails to bind reports it clearly, so providers accept the race.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}
