import { describe, expect, it } from "vitest";
import { loadConfig, natsServers } from "../../../src/platform/config/config.js";

describe("NATS_URL", () => {
  it("defaults to the local server and takes one server or a cluster's comma-separated seed list", () => {
    expect(loadConfig({}).natsUrl).toBe("nats://127.0.0.1:4222");
    expect(loadConfig({ NATS_URL: " " }).natsUrl).toBe("nats://127.0.0.1:4222");
    expect(natsServers("nats://10.0.0.1:4222")).toEqual(["nats://10.0.0.1:4222"]);
    const seeds = "nats://n1.nats:4222, nats://n2.nats:4222 ,tls://n3.nats:4222,n4.nats:4222";
    expect(loadConfig({ NATS_URL: seeds }).natsUrl).toBe(seeds);
    expect(natsServers(seeds)).toEqual([
      "nats://n1.nats:4222",
      "nats://n2.nats:4222",
      "tls://n3.nats:4222",
      "n4.nats:4222",
    ]);
    expect(natsServers("nats://user:pass@n1.nats:4222")).toEqual(["nats://user:pass@n1.nats:4222"]);
  });

  it.each([",", "http://n1:4222", "nats://n1:4222/orders", "nats://n1:4222?x=1", "nats://", "n1 n2:4222"])(
    "refuses %j, naming the entry",
    (raw) => {
      expect(() => loadConfig({ NATS_URL: raw })).toThrow(/NATS_URL/);
    },
  );

  it("names the bad entry of a seed list", () => {
    expect(() => natsServers("nats://n1:4222,http://n2:4222")).toThrow(/"http:\/\/n2:4222"/);
  });
});

describe("STREAM_REPLICAS", () => {
  it("defaults to one copy, what a single server allows, and takes 1 to 5", () => {
    expect(loadConfig({}).streamReplicas).toBe(1);
    expect(loadConfig({ STREAM_REPLICAS: "3" }).streamReplicas).toBe(3);
    expect(loadConfig({ STREAM_REPLICAS: "5" }).streamReplicas).toBe(5);
  });

  it.each(["0", "6", "-1", "2.5", "three"])("refuses %j", (raw) => {
    expect(() => loadConfig({ STREAM_REPLICAS: raw })).toThrow(/STREAM_REPLICAS/);
  });
});
