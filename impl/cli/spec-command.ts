/**
 * `curve-rpc spec [--json]`: prints every service of the spec with its RPCs, so a user sees the
 * whole contract without reading the protos.
 */
import { parseArgs } from "node:util";
import type { DescMethod } from "@bufbuild/protobuf";
import { specServices } from "../spec/index.js";

interface ServiceSummary {
  service: string;
  rpcs: { name: string; request: string; response: string; kind: DescMethod["methodKind"] }[];
}

function summarize(): ServiceSummary[] {
  return specServices.map((service) => ({
    service: service.typeName,
    rpcs: service.methods.map((m) => ({
      name: m.name,
      request: m.input.typeName,
      response: m.output.typeName,
      kind: m.methodKind,
    })),
  }));
}

export async function specCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean", default: false } } });
  const services = summarize();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(services, null, 2)}\n`);
    return 0;
  }
  for (const { service, rpcs } of services) {
    process.stdout.write(`${service}\n`);
    for (const rpc of rpcs)
      process.stdout.write(`  ${rpc.name}(${rpc.request}) → ${rpc.response}\n`);
  }
  const total = services.reduce((n, s) => n + s.rpcs.length, 0);
  process.stdout.write(`\n${services.length} services, ${total} RPCs\n`);
  return 0;
}
