/**
 * The spec as data: every generated file descriptor of `proto/curve`, and a registry over them.
 *
 * Used by the server (reflection, JSON type lookup), the CLI (`curve-rpc spec`) and the tests
 * that pin the contract (inventory, round trips, validation rules).
 */
import { createRegistry, type DescFile, type DescService } from "@bufbuild/protobuf";
import { file_curve_common_v1_common } from "../gen/curve/common/v1/common_pb.js";
import { file_curve_common_v1_error } from "../gen/curve/common/v1/error_pb.js";

/** Every file of the spec, in dependency order. */
export const specFiles: readonly DescFile[] = [
  file_curve_common_v1_common,
  file_curve_common_v1_error,
];

/** A registry of every message, enum, extension and service of the spec. */
export const specRegistry = createRegistry(...specFiles);

/** Every service of the spec, sorted by fully qualified name. */
export const specServices: readonly DescService[] = specFiles
  .flatMap((file) => file.services)
  .sort((a, b) => a.typeName.localeCompare(b.typeName));
