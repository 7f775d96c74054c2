import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests that start real servers (etcd, MinIO, clusters) need more than the 5 s default.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
