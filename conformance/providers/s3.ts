import { S3ObjectStore } from "../../impl/storage/s3-object-store.js";
import { dockerEngineReachable } from "./docker-engine.js";
import {
  findMinioBinary,
  MINIO_CACHED_BINARY,
  MINIO_MODULE,
  MINIO_VERSION,
  minioBinaryVersion,
} from "./minio-binary.js";
import { startNativeMinio } from "./minio-native.js";
import type { ProvidedService, S3Endpoint } from "./types.js";

/** The bucket tests use when the environment does not name one. */
export const DEFAULT_TEST_BUCKET = "curve-rpc-test";

/**
 * The MinIO image for the Docker path. MinIO stopped publishing to Docker Hub in October 2025;
 * quay.io still serves its releases. Override with CURVE_TEST_MINIO_IMAGE.
 */
export const DEFAULT_MINIO_IMAGE = "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z";

const REGION = "us-east-1";

/** One way of getting an S3 server: a service, or why this way does not apply here. */
type Attempt = ProvidedService<S3Endpoint> | { readonly skipped: string };

/**
 * A real S3 server for tests, with its bucket created. Tries, in order:
 * 1. `CURVE_TEST_S3_ENDPOINT` with `CURVE_TEST_S3_ACCESS_KEY`, `CURVE_TEST_S3_SECRET_KEY` and
 *    optionally `CURVE_TEST_S3_BUCKET` (default `curve-rpc-test`) and `CURVE_TEST_S3_REGION`;
 * 2. MinIO in a container, when a Docker engine answers;
 * 3. a native `minio` binary (on PATH, else built by scripts/install-minio.sh), started on free
 *    loopback ports with a temp data dir.
 * Throws one error that says how to get each when none works.
 */
export async function provideS3(): Promise<ProvidedService<S3Endpoint>> {
  const reasons: string[] = [];
  for (const attempt of [fromEnvironment, fromDocker, fromNativeBinary]) {
    const result = await attempt();
    if (!("skipped" in result)) return result;
    reasons.push(result.skipped);
  }
  throw new Error(noServerMessage(reasons));
}

async function fromEnvironment(): Promise<Attempt> {
  const env = process.env;
  const endpoint = env.CURVE_TEST_S3_ENDPOINT;
  if (!endpoint) return { skipped: "env: CURVE_TEST_S3_ENDPOINT is not set" };
  const accessKey = env.CURVE_TEST_S3_ACCESS_KEY;
  const secretKey = env.CURVE_TEST_S3_SECRET_KEY;
  if (!accessKey || !secretKey) {
    // Misconfiguration, not absence: silently testing against something else would mislead.
    throw new Error(
      "CURVE_TEST_S3_ENDPOINT is set but CURVE_TEST_S3_ACCESS_KEY or CURVE_TEST_S3_SECRET_KEY is not",
    );
  }
  const bucket = env.CURVE_TEST_S3_BUCKET || DEFAULT_TEST_BUCKET;
  const region = env.CURVE_TEST_S3_REGION || REGION;
  const s3 = { endpoint, region, accessKey, secretKey, bucket };
  await createBucket(s3);
  const server = await serverHeader(endpoint);
  return {
    endpoint: s3,
    description: `s3: env CURVE_TEST_S3_ENDPOINT ${endpoint} (server: ${server}), bucket ${bucket}`,
    stop: async () => {},
  };
}

async function fromDocker(): Promise<Attempt> {
  if (!(await dockerEngineReachable())) return { skipped: "docker: no reachable engine" };
  const image = process.env.CURVE_TEST_MINIO_IMAGE || DEFAULT_MINIO_IMAGE;
  const started = Date.now();
  try {
    const { MinioContainer } = await import("@testcontainers/minio");
    const container = await new MinioContainer(image).start();
    const s3 = {
      endpoint: container.getConnectionUrl(),
      region: REGION,
      accessKey: container.getUsername(),
      secretKey: container.getPassword(),
      bucket: DEFAULT_TEST_BUCKET,
    };
    await createBucket(s3).catch(async (error: unknown) => {
      await container.stop();
      throw error;
    });
    return {
      endpoint: s3,
      description: `s3: minio container ${image} at ${s3.endpoint}, bucket ${s3.bucket}, ready in ${Date.now() - started} ms`,
      stop: async () => {
        await container.stop();
      },
    };
  } catch (error) {
    return { skipped: `docker: starting ${image} failed: ${messageOf(error)}` };
  }
}

async function fromNativeBinary(): Promise<Attempt> {
  const binary = findMinioBinary();
  if (!binary) return { skipped: `native: no minio on PATH nor at ${MINIO_CACHED_BINARY}` };
  const started = Date.now();
  const version = await minioBinaryVersion(binary).catch(
    (error) => `unknown (${messageOf(error)})`,
  );
  try {
    const minio = await startNativeMinio(binary);
    const readyMs = Date.now() - started;
    const s3 = { ...minio, region: REGION, bucket: DEFAULT_TEST_BUCKET };
    await createBucket(s3).catch(async (error: unknown) => {
      await minio.stop();
      throw error;
    });
    return {
      endpoint: {
        endpoint: s3.endpoint,
        region: s3.region,
        accessKey: s3.accessKey,
        secretKey: s3.secretKey,
        bucket: s3.bucket,
      },
      description: `s3: native minio ${binary} (${version}) at ${s3.endpoint}, bucket ${s3.bucket}, ready in ${readyMs} ms`,
      restart: minio.restart,
      stop: minio.stop,
    };
  } catch (error) {
    return { skipped: `native: ${binary} did not start: ${messageOf(error)}` };
  }
}

async function createBucket(s3: S3Endpoint): Promise<void> {
  const store = new S3ObjectStore({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
  });
  try {
    await store.ensureBucket();
  } finally {
    await store.close();
  }
}

/** What the server calls itself (MinIO says "MinIO"), for the run log. */
async function serverHeader(endpoint: string): Promise<string> {
  try {
    const response = await fetch(endpoint, { signal: AbortSignal.timeout(2_000) });
    return response.headers.get("server") ?? "unknown";
  } catch {
    return "unknown";
  }
}

function noServerMessage(reasons: readonly string[]): string {
  return [
    "No S3 server for the tests. Any one of these works:",
    "  1. an S3 server you run: set CURVE_TEST_S3_ENDPOINT=http://host:port,",
    "     CURVE_TEST_S3_ACCESS_KEY, CURVE_TEST_S3_SECRET_KEY (and optionally CURVE_TEST_S3_BUCKET);",
    "  2. a Docker engine that `docker info` reaches (MinIO then runs from",
    `     ${DEFAULT_MINIO_IMAGE} via @testcontainers/minio);`,
    "  3. a native minio binary: put `minio` on PATH, or run scripts/install-minio.sh (Go ≥ 1.24;",
    `     go install ${MINIO_MODULE}@${MINIO_VERSION} into ${MINIO_CACHED_BINARY}).`,
    "Tried:",
    ...reasons.map((reason) => `  - ${reason}`),
  ].join("\n");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
