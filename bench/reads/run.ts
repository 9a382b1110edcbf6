import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { OrdersService } from "../../gen/orders/v1/orders_service_pb.js";
import { ORDER_COLUMNS } from "../../src/orders/queries/read-orders.js";
import { migrateUnderLock } from "../../src/platform/database/migrate.js";
import { createOrm } from "../../src/database.js";
import { createScratchDatabase } from "../../test/support/scratch-database.js";
import { ServiceProcess } from "../../test/support/service-process.js";
import { monotonicUs, summarizeProfile, type MonotonicSpan } from "../report/profile-summary.js";
import { readsMarkdown, readsSummaryMarkdown, type ReadsRun } from "../report/reads-markdown.js";
import { postgresVersion } from "../support/postgres-version.js";
import { loadTenant } from "./load.js";
import { DELIVERED, measure, measureCall, walkTo, type ScenarioResult } from "./scenarios.js";

/**
 * `npm run bench:reads`: ListOrders on a tenant of a million orders. Loads the orders into a scratch
 * database (dropped afterwards unless --keep), starts the service against it, measures the first
 * page and a deep page (unfiltered and filtered) and GetOrder, and writes bench/results/reads-last-run.md.
 * `--orders 20000 --cpu-prof` is the quick way to profile the read path: a page costs the same at any depth of any
 * tenant, and the profile's summary of the measured windows goes to bench/results/reads-profile.md.
 */
const DEFAULT_OUT = "bench/results/reads-last-run.md";
/** README's two lines of the run (scripts/generated-sections.ts). */
const SUMMARY_OUT = "bench/results/reads-summary.md";

const { values: options } = parseArgs({
  options: {
    orders: { type: "string", default: "1000000" },
    calls: { type: "string", default: "300" },
    "deep-page": { type: "string", default: "1000" },
    keep: { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    out: { type: "string", default: DEFAULT_OUT },
    "profile-out": { type: "string", default: "bench/results/reads-profile.md" },
  },
});
const ORDERS = Number(options.orders);
const CALLS = Number(options.calls);
const DEEP_PAGE = Number(options["deep-page"]);
const PAGE_SIZE = 50;
// The filtered walk lists one order in four (DELIVERED).
if (ORDERS < DEEP_PAGE * PAGE_SIZE * 4)
  throw new Error(`--deep-page ${DEEP_PAGE} needs --orders of at least ${DEEP_PAGE * PAGE_SIZE * 4}`);

const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

async function main(): Promise<void> {
  const startedAt = new Date();
  const database = await createScratchDatabase(serverUrl, "orderspine_bench_reads");
  const databaseUrl = database.url;
  let service: ServiceProcess | undefined;
  try {
    const orm = await createOrm({ databaseUrl, poolMax: 2 });
    await migrateUnderLock(orm, databaseUrl);
    log(`loading ${ORDERS.toLocaleString("en-US")} orders into ${database.name} ...`);
    const tenant = await loadTenant(orm, databaseUrl, ORDERS);
    await orm.close(true);
    log(`loaded in ${(tenant.loadMs / 1000).toFixed(1)} s; starting the service`);

    const profileDir = options["cpu-prof"] ? await mkdtemp(join(tmpdir(), "orderspine-reads-profile-")) : undefined;
    service = await ServiceProcess.start(
      { DATABASE_POOL_MAX: "10", LOG_LEVEL: "warn" },
      {
        compiled: true,
        databaseUrl,
        natsUrl,
        logFile: join(tmpdir(), "orderspine-bench-reads.log"),
        nodeArguments: profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [],
      },
    );
    const servicePid = service.pid;
    const transport = createGrpcTransport({
      baseUrl: service.url,
      interceptors: [
        (next) => (req) => {
          req.header.set("authorization", `Bearer ${tenant.key}`);
          return next(req);
        },
      ],
    });
    const orders = createClient(OrdersService, transport);
    const customerId = tenant.customerIds[0] ?? "";

    const loadBefore = loadavg()[0] ?? 0;
    const scenarios: ScenarioResult[] = [];
    const walks = [];
    // The measured windows, for the profile's summary (walks and set-up stay out).
    const spans: MonotonicSpan[] = [];
    const measured = async (scenario: () => Promise<ScenarioResult>) => {
      const fromUs = monotonicUs();
      scenarios.push(await scenario());
      spans.push({ fromUs, toUs: monotonicUs() });
    };
    log("first pages ...");
    await measured(() =>
      measure(orders, servicePid, "first page", `page_size ${PAGE_SIZE}, no filter`, { pageSize: PAGE_SIZE }, CALLS),
    );
    await measured(() =>
      measure(
        orders,
        servicePid,
        "first page, by status",
        "status DELIVERED (1 in 4)",
        { ...DELIVERED, pageSize: PAGE_SIZE },
        CALLS,
      ),
    );
    await measured(() =>
      measure(
        orders,
        servicePid,
        "first page, by customer",
        "customer_id (1 in 1,000)",
        { customerId, pageSize: PAGE_SIZE },
        CALLS,
      ),
    );
    await measured(() =>
      measure(
        orders,
        servicePid,
        "first page of 500",
        "page_size 500, no filter",
        { pageSize: 500 },
        Math.ceil(CALLS / 3),
      ),
    );

    log(`walking to page ${DEEP_PAGE} ...`);
    const deep = await walkTo(orders, { pageSize: PAGE_SIZE }, DEEP_PAGE);
    walks.push({ name: `to page ${DEEP_PAGE}, no filter`, walk: deep.walk });
    await measured(() =>
      measure(
        orders,
        servicePid,
        `page ${DEEP_PAGE}`,
        `page_size ${PAGE_SIZE}, no filter, token of page ${DEEP_PAGE}`,
        { pageSize: PAGE_SIZE, pageToken: deep.token },
        CALLS,
      ),
    );
    const deepDelivered = await walkTo(orders, { ...DELIVERED, pageSize: PAGE_SIZE }, DEEP_PAGE);
    walks.push({ name: `to page ${DEEP_PAGE}, status DELIVERED`, walk: deepDelivered.walk });
    await measured(() =>
      measure(
        orders,
        servicePid,
        `page ${DEEP_PAGE}, by status`,
        `status DELIVERED, token of page ${DEEP_PAGE}`,
        { ...DELIVERED, pageSize: PAGE_SIZE, pageToken: deepDelivered.token },
        CALLS,
      ),
    );

    const first = await orders.listOrders({ pageSize: 1 });
    const orderId = first.orders[0]?.id ?? "";
    await measured(() =>
      measureCall(servicePid, "GetOrder", "one order by id", CALLS, async () =>
        (await orders.getOrder({ id: orderId })).order ? 1 : 0,
      ),
    );

    const loadAfter = loadavg()[0] ?? 0;
    await service.stop();
    if (profileDir) await writeProfileSummary(profileDir, spans);

    const run: ReadsRun = {
      startedAt,
      orders: ORDERS,
      pageSize: PAGE_SIZE,
      deepPage: DEEP_PAGE,
      calls: CALLS,
      loadMs: tenant.loadMs,
      machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, PostgreSQL ${await postgresVersion(databaseUrl)}`,
      loadAverage: [loadBefore, loadAfter],
      scenarios,
      walks,
      deepPlan: await deepPagePlan(databaseUrl, tenant.tenantId, (DEEP_PAGE - 1) * PAGE_SIZE),
      durationMs: Date.now() - startedAt.getTime(),
    };
    const markdown = readsMarkdown(run);
    await writeFile(options.out, markdown);
    // README's line, from a run that wrote the recorded results (not from one written elsewhere with --out).
    if (options.out === DEFAULT_OUT) await writeFile(SUMMARY_OUT, readsSummaryMarkdown(run));
    process.stdout.write(`${markdown}\nwritten to ${options.out}\n`);
  } finally {
    await service?.stop();
    if (options.keep) log(`kept ${databaseUrl}`);
    else await database.drop();
  }
}

/** Summarizes the service's profile (its main thread) over the measured windows into --profile-out. */
async function writeProfileSummary(dir: string, spans: readonly MonotonicSpan[]): Promise<void> {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
  const file = (await readdir(dir)).find((f) => f.endsWith(".cpuprofile") && f.split(".")[4] === "0");
  if (!file) {
    log(`no CPU profile found in ${dir}`);
    return;
  }
  const command = `npm run bench:reads -- ${process.argv.slice(2).join(" ")}`;
  const summary = `# Profile of the service during \`${command}\`\n\n${summarizeProfile(join(dir, file), spans, 30)}`;
  await writeFile(options["profile-out"], summary);
  log(`profile: ${join(dir, file)}; summary written to ${options["profile-out"]}`);
}

/** The plan of the deep page's keyset query, with the cursor of the order just before that page. */
async function deepPagePlan(databaseUrl: string, tenantId: string, offset: number): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ created_at: string; id: string }>(
      "select created_at::text, id from orders where tenant_id = $1 and not is_test order by created_at desc, id desc offset $2 limit 1",
      [tenantId, offset - 1],
    );
    const cursor = rows[0];
    if (!cursor) return "(no order at that depth)";
    const plan = await client.query<{ "QUERY PLAN": string }>(
      `explain (analyze, buffers, costs off)
       select ${ORDER_COLUMNS} from orders where tenant_id = $1 and not is_test and (created_at, id) < ($2::timestamptz, $3::uuid)
        order by created_at desc, id desc limit ${PAGE_SIZE + 1}`,
      [tenantId, cursor.created_at, cursor.id],
    );
    return plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
  } finally {
    await client.end();
  }
}

function log(message: string): void {
  process.stderr.write(`[bench:reads] ${message}\n`);
}

await main();
