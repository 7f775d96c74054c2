/**
 * The metaserver's trash task: deleting the data of inodes unlinked to nlink 0, then purging
 * them through Raft, on the copysets this server leads.
 */
export { type FsStorageLookup, StaticFsStorageLookup } from "./fs-storage-lookup.js";
export { MdsFsStorageLookup, type MdsFsStorageLookupOptions } from "./mds-fs-storage-lookup.js";
export { TrashCollector, type TrashOptions } from "./trash-collector.js";
