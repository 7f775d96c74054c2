import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Starts etcd and S3 once per run (first provider that works) and hands them to the tests.
    globalSetup: ["test/support/global-setup.ts"],
    // Tests that start real servers (etcd, MinIO, clusters) need more than the 5 s default.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
