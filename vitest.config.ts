import { defineConfig } from "vitest/config";

/**
 * Two projects, both run by `npm test`:
 * - `unit` (`npm run test:unit`): files named `*.unit.test.ts`, tests of pure code that need no database, no NATS
 *   and no socket. They run in seconds with nothing else running; there is no global setup, so a test that asks
 *   for the run's database (`inject("databaseUrl")`) fails there instead of finding one.
 * - `integration`: every other `*.test.ts`, against the real PostgreSQL and NATS JetStream, as before.
 * The fault suite (test/faults/) has its own config, vitest.faults.config.ts.
 */
export default defineConfig({
  test: {
    exclude: ["**/node_modules/**", "**/.git/**", "test/faults/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.unit.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.unit.test.ts"],
          // Integration tests share one PostgreSQL and one NATS server; files run in parallel
          // but each test file creates its own tenants, so they never see each other's rows.
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
    ],
  },
});
