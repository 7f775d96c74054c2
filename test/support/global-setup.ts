/**
 * Starts the real servers once per `vitest run` — etcd and S3 (MinIO), each from the first
 * provider that works (conformance/providers) — prints which ones, hands their endpoints to the
 * tests (`inject("etcd")`, `inject("s3")`) and stops them at the end.
 */
import type { TestProject } from "vitest/node";
import { provideEtcd } from "../../conformance/providers/etcd.js";
import { provideS3 } from "../../conformance/providers/s3.js";
import type { ProvidedService } from "../../conformance/providers/types.js";
import "./provided-context.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [etcd, s3] = await Promise.allSettled([provideEtcd(), provideS3()]);
  const started = [etcd, s3].flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(started.map((service: ProvidedService<unknown>) => service.stop()));
  };
  if (etcd.status === "rejected" || s3.status === "rejected") {
    await stopAll();
    const reasons = [etcd, s3].flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
    throw new Error(reasons.join("\n\n"));
  }
  console.info(`[global-setup] ${etcd.value.description}`);
  console.info(`[global-setup] ${s3.value.description}`);
  project.provide("etcd", etcd.value.endpoint);
  project.provide("s3", s3.value.endpoint);
  return stopAll;
}
