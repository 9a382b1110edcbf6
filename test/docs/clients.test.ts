import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsFor } from "../support/clients.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

const run = promisify(execFile);
const PAGE = readFileSync("docs/clients.md", "utf8");
const DOCS_URL = "http://localhost:8080";

/** The commands of the sh block after the page's marker comment, continuation lines joined. */
function bufCurlCommands(): string[] {
  const marker = PAGE.indexOf("<!-- test/docs/clients.test.ts runs every command of the next block");
  const block = /```sh\n([\s\S]*?)```/.exec(PAGE.slice(marker))?.[1];
  if (marker < 0 || !block) throw new Error("docs/clients.md has no buf curl block after the marker");
  return block
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

let service: TestService;
let tenant: TestTenant;
let customerId: string;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  customerId = await createCustomerId(clientsFor("grpc-http2", service.url, tenant.key));
});
afterAll(() => ifSetUp(service)?.shutdown());

describe("docs/clients.md", () => {
  const commands = bufCurlCommands();

  it("has the buf curl examples for gRPC, Connect and gRPC-Web", () => {
    expect(commands.map((command) => /--protocol (\S+)/.exec(command)?.[1])).toEqual([
      "grpc",
      "connect",
      "grpcweb",
      "grpc",
      "grpc",
    ]);
  });

  it.each(commands.map((command, index) => [index + 1, command] as const))(
    "runs buf curl example %i as written",
    async (_index, command) => {
      const { stdout } = await run("bash", ["-c", command.replaceAll(DOCS_URL, service.url)], {
        env: {
          ...process.env,
          KEY: tenant.key,
          CUSTOMER_ID: customerId,
          PATH: `${join(process.cwd(), "node_modules/.bin")}:${process.env.PATH ?? ""}`,
        },
      });
      if (command.includes("--list-methods")) {
        expect(stdout.split("\n")).toEqual(
          expect.arrayContaining(["orders.v1.OrdersService/CreateOrder", "orders.v1.OrdersService/PreviewOrder"]),
        );
      } else if (command.includes("Health/Check")) {
        expect(JSON.parse(stdout)).toEqual({ status: "SERVING" });
      } else {
        expect(JSON.parse(stdout)).toMatchObject({ order: { customerId, subtotal: "2316.00", total: "2316.00" } });
      }
    },
  );

  it.each(["clients/python/example.py", "docs/examples/node-client.ts"])(
    "shows %s verbatim (its test runs that file)",
    (file) => {
      expect(PAGE).toContain(readFileSync(file, "utf8").trimEnd());
    },
  );
});
