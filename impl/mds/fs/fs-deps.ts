/** What the domain modules of the file-system area share (built once per MDS process). */
import type { KeyedMutex } from "../keyed-mutex.js";
import type { MdsContext } from "../mds-context.js";
import type { MetaServerClient } from "../metaserver-client.js";
import type { FsPartitions, VolumeSpaces } from "./fs-ports.js";
import type { FsRepository } from "./fs-repository.js";
import type { MountSessions } from "./mount-sessions.js";
import type { StorageProbe } from "./storage-probe.js";

export interface FsDeps {
  readonly ctx: MdsContext;
  readonly repo: FsRepository;
  readonly partitions: FsPartitions;
  readonly metaServers: MetaServerClient;
  readonly spaces: VolumeSpaces;
  readonly probe: StorageProbe;
  readonly sessions: MountSessions;
  /** CreateFs and DeleteFs of one name run one at a time ("calls for one name are serialised"). */
  readonly nameLocks: KeyedMutex<string>;
  /** Changes to the mount points, usage and rename lock of one fs run one at a time. */
  readonly fsLocks: KeyedMutex<number>;
}
