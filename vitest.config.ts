import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.git/**", "test/faults/**"],
    // Integration tests share one PostgreSQL and one NATS server; files run in parallel
    // but each test file creates its own tenants, so they never see each other's rows.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["test/support/global-setup.ts"],
  },
});
