/**
 * grpc.health.v1.Health over Connect, gRPC and gRPC-Web: Check, Watch and List answer from the
 * process's HealthStatuses. Check of a service the process does not serve is `not_found`, as the
 * health spec says; Watch reports it as SERVICE_UNKNOWN and keeps the stream open.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import {
  Health,
  type HealthCheckResponse,
  HealthCheckResponseSchema,
} from "../gen-grpc/grpc/health/v1/health_pb.js";
import type { HealthStatuses } from "./health-statuses.js";

export function registerHealthService(router: ConnectRouter, statuses: HealthStatuses): void {
  router.service(Health, {
    check(req) {
      const status = statuses.status(req.service);
      if (status === undefined) {
        throw new ConnectError(`unknown service "${req.service}"`, Code.NotFound);
      }
      return { status };
    },
    async *watch(req, ctx) {
      for await (const status of statuses.watch(req.service, ctx.signal)) {
        yield { status };
      }
    },
    list() {
      const entries: Record<string, HealthCheckResponse> = {};
      for (const [service, status] of statuses.all()) {
        entries[service] = create(HealthCheckResponseSchema, { status });
      }
      return { statuses: entries };
    },
  });
}
