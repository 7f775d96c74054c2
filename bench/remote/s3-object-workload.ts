/**
 * S3 PutObject / GetObject of whole objects, either through our adapter (S3ObjectStore) or
 * through the raw @aws-sdk/client-s3 configured the way the adapter configures it (path style,
 * checksums only when required, keep-alive sockets): the difference is the adapter's own cost.
 */
import { Agent } from "node:http";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { S3Endpoint } from "../../conformance/providers/types.js";
import { S3ObjectStore } from "../../impl/storage/s3-object-store.js";
import type { Workload, WorkloadProcess } from "../harness/workload.js";

export interface S3ObjectParams {
  readonly s3: S3Endpoint;
  readonly via: "adapter" | "raw-sdk";
  readonly op: "put" | "get";
  readonly objectBytes: number;
}

/** Puts overwrite this many keys per caller, so a long run does not fill the disk. */
const PUT_KEYS_PER_CALLER = 4;

/** Sockets per client process: the adapter's default. */
const MAX_SOCKETS = 64;

export interface Objects {
  put(key: string, body: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

export async function createWorkload(
  params: S3ObjectParams,
  process: WorkloadProcess,
): Promise<Workload> {
  const objects = params.via === "adapter" ? adapter(params.s3) : rawSdk(params.s3);
  const body = new Uint8Array(params.objectBytes).fill(0x62);
  const prefix = `bench/s3/${params.objectBytes}/${params.via}/${process.index}`;
  const getKey = (caller: number) => `${prefix}/get-${caller}`;
  if (params.op === "get") {
    // Every caller reads its own object, written here, outside the measurement.
    await Promise.all(
      Array.from({ length: process.callers }, (_, caller) => objects.put(getKey(caller), body)),
    );
  }
  return {
    run:
      params.op === "put"
        ? (caller, seq) => objects.put(`${prefix}/put-${caller}-${seq % PUT_KEYS_PER_CALLER}`, body)
        : async (caller) => {
            const got = await objects.get(getKey(caller));
            if (got.byteLength !== params.objectBytes) throw new Error("s3 get: wrong size");
          },
    close: () => objects.close(),
  };
}

function adapter(s3: S3Endpoint): Objects {
  const store = new S3ObjectStore({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
    maxSockets: MAX_SOCKETS,
  });
  return {
    put: async (key, body) => {
      await store.put(key, body);
    },
    get: (key) => store.get(key),
    close: () => store.close(),
  };
}

/** The raw SDK with the adapter's settings: the baseline of everything stored in S3. */
export function rawSdk(s3: S3Endpoint): Objects {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }) },
  });
  return {
    put: async (key, body) => {
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
    },
    get: async (key) => {
      const out = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
      return (await out.Body?.transformToByteArray()) ?? new Uint8Array(0);
    },
    close: async () => client.destroy(),
  };
}
