import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clientsFor } from "../../support/clients.js";
import { rejectionOf } from "../../support/errors.js";
import { createCustomerId, seedOrderRequest } from "../../support/fixtures.js";
import { scrape, type Scrape } from "../../support/metrics.js";
import { startTestService, type TestService } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

let service: TestService;
let served: Scrape;
beforeAll(async () => {
  service = await startTestService();
  const tenant = await service.newTenant();
  // A few calls over each protocol, one of them failing, so every call metric has series.
  for (const protocol of ["grpc-http2", "grpc-web-http1", "connect-json-http1"] as const) {
    const clients = clientsFor(protocol, service.url, tenant.key);
    await clients.orders.createOrder(seedOrderRequest(await createCustomerId(clients)));
    await rejectionOf(clients.orders.getOrder({ id: crypto.randomUUID() }));
  }
  served = await scrape(service.metricsUrl);
});
afterAll(() => ifSetUp(service)?.shutdown());

/** docs/metrics.md's table rows: | `name` | type | `label`, `label` | meaning |. */
function documented(): { name: string; type: string; labels: string[] }[] {
  const page = readFileSync("docs/metrics.md", "utf8");
  return [...page.matchAll(/^\| `([a-z0-9_:]+)` \| (\w+) \| ([^|]*) \|/gm)].map((row) => ({
    name: row[1] ?? "",
    type: row[2] ?? "",
    labels: [...(row[3] ?? "").matchAll(/`([a-z_]+)`/g)].map((label) => label[1] ?? ""),
  }));
}

/** The metric names a PromQL expression reads (ours, gRPC's, Node's and the process'). */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b(?:grpc_server|orderspine|nodejs|process)_[a-z0-9_]+\b/g)].map((m) => m[0]);
}

/** A name the scrape has: a metric, or a histogram's _bucket, _sum or _count series. */
function exists(name: string): boolean {
  if (served.types.has(name)) return true;
  const base = /^(.*)_(?:bucket|sum|count)$/.exec(name)?.[1];
  return base !== undefined && served.types.get(base) === "histogram";
}

describe("docs/metrics.md", () => {
  it("lists exactly the metrics the service exposes, with their types and labels", () => {
    const sort = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
    const exposed = service.metrics.describe().map(({ name, type, labels }) => ({ name, type, labels }));
    expect(sort(documented())).toEqual(sort(exposed));
    // The page's list is what a scrape shows, too.
    expect([...served.types.keys()].sort()).toEqual(
      documented()
        .map((row) => row.name)
        .sort(),
    );
  });
});

describe("docs/alerts.rules.yml", () => {
  interface Rule {
    alert: string;
    expr: string;
    for: string;
    labels: { severity: string };
    annotations: { summary: string; description: string };
  }
  const rules = (
    parse(readFileSync("docs/alerts.rules.yml", "utf8")) as { groups: { rules: Rule[] }[] }
  ).groups.flatMap((group) => group.rules);

  it("alerts on the outbox backlog growing, event lag and the error ratio, among others", () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining(["OrderspineOutboxBacklogGrowing", "OrderspineEventLagHigh", "OrderspineErrorRatioHigh"]),
    );
    for (const rule of rules) {
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(["warning", "critical"], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary, rule.alert).not.toBe("");
    }
  });

  it("names only metrics a running service exposes", () => {
    for (const rule of rules) {
      const names = metricsIn(rule.expr);
      expect(names.length, rule.alert).toBeGreaterThan(0);
      for (const name of names) expect(exists(name), `${rule.alert}: ${name}`).toBe(true);
    }
  });
});

describe("docs/grafana-dashboard.json", () => {
  interface Panel {
    title: string;
    type: string;
    targets?: { expr: string }[];
  }
  const dashboard = JSON.parse(readFileSync("docs/grafana-dashboard.json", "utf8")) as {
    panels: Panel[];
    templating: { list: { definition?: string }[] };
  };

  it("names only metrics a running service exposes, in every panel and variable", () => {
    const graphs = dashboard.panels.filter((panel) => panel.type !== "row");
    expect(graphs.length).toBeGreaterThan(10);
    for (const panel of graphs) {
      const names = (panel.targets ?? []).flatMap((target) => metricsIn(target.expr));
      expect(names.length, panel.title).toBeGreaterThan(0);
      for (const name of names) expect(exists(name), `${panel.title}: ${name}`).toBe(true);
    }
    for (const variable of dashboard.templating.list)
      for (const name of metricsIn(variable.definition ?? "")) expect(exists(name), name).toBe(true);
  });

  it("shows every metric this service defines", () => {
    const shown = new Set(
      dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => metricsIn(target.expr))),
    );
    const base = (name: string) => name.replace(/_(?:bucket|sum|count)$/, "");
    const ours = documented().filter((row) => /^(?:orderspine|grpc_server)_/.test(row.name));
    const missing = ours.filter((row) => !shown.has(row.name) && ![...shown].some((s) => base(s) === row.name));
    expect(missing.map((row) => row.name)).toEqual([]);
  });
});
