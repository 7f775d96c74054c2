/**
 * What the vitest global setup (global-setup.ts) hands to every test file through
 * `inject(...)`: the real servers started once for the whole run.
 */
import type { EtcdEndpoint, S3Endpoint } from "../../conformance/providers/types.js";

declare module "vitest" {
  interface ProvidedContext {
    /** The etcd every test file shares (each file uses its own key prefix). */
    etcd: EtcdEndpoint;
    /** The S3 server and bucket every test file shares (each file uses its own key prefix). */
    s3: S3Endpoint;
  }
}
