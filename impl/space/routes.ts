/**
 * The SpaceAllocService handlers: leader check → (validation already done by the interceptor) →
 * the domain → the response message.
 */
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { ExtentSchema, VolumeInfoSchema } from "../gen/curve/common/v1/common_pb.js";
import { SpaceAllocService } from "../gen/curve/space/v1/space_pb.js";
import {
  allocateSpace,
  deallocateSpace,
  initSpace,
  type SpaceDeps,
  statSpace,
  uninitSpace,
} from "./space-service.js";

/** Serves curve.space.v1.SpaceAllocService on `router`. */
export function registerSpaceRoutes(router: ConnectRouter, deps: SpaceDeps): void {
  const serving = () => deps.ctx.gate.assertServing();
  router.service(SpaceAllocService, {
    async initSpace(req) {
      serving();
      const volume = req.volume ?? create(VolumeInfoSchema);
      return { space: await initSpace(deps, req.fsId, volume) };
    },

    async allocateSpace(req) {
      serving();
      const extents = await allocateSpace(deps, req.fsId, {
        size: req.size,
        hint: req.hint,
        requestId: req.requestId,
      });
      return { extents: extents.map((e) => create(ExtentSchema, e)) };
    },

    async deallocateSpace(req) {
      serving();
      return { freedBytes: await deallocateSpace(deps, req.fsId, req.extents, req.requestId) };
    },

    async statSpace(req) {
      serving();
      return { space: await statSpace(deps, req.fsId) };
    },

    async uninitSpace(req) {
      serving();
      return { discardedBytes: await uninitSpace(deps, req.fsId, req.force) };
    },
  });
}
