/** The client's S3 data path: buffered writes, block objects, newest-first reads. */
export * from "./file-data-client.js";
export * from "./file-data-handle.js";
export * from "./file-data-port.js";
export * from "./proto-mapping.js";
