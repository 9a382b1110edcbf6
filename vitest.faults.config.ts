import { defineConfig } from "vitest/config";

/**
 * The fault suite (`npm run test:faults`): scenarios that kill NATS, PostgreSQL and the service under load and
 * fuzz every protocol. They measure, so they run one file at a time on a quiet machine; FAULTS_PROFILE=short
 * is the quicker variant CI can afford (see test/faults/support/profile.ts).
 */
export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
    // A scenario that fails must say so once, with its figures, not be retried into a pass.
    retry: 0,
    globalSetup: [
      "test/faults/support/build-service.ts",
      "test/support/global-setup.ts",
      "test/faults/support/figures-setup.ts",
    ],
  },
});
