import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectNats, type NatsHandle } from "../../../src/platform/outbox/nats.js";
import { ensureStream } from "../../../src/platform/outbox/stream.js";
import { NatsCluster } from "../../support/nats-cluster.js";
import { ifSetUp } from "../../support/set-up.js";
import { waitFor } from "../../support/wait-for.js";
import { RecordingLogger } from "./support/recording-logger.js";

// STREAM_REPLICAS and a NATS_URL seed list against a three-node cluster of this file's own.
describe("on a three-node NATS cluster", () => {
  const stream = { name: "CLUSTERED", subjects: "clustered.>" };
  let cluster: NatsCluster;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    cluster = await NatsCluster.start(3);
    nc = await cluster.connect();
    jsm = await jetstreamManager(nc);
  }, 60_000);

  afterAll(async () => {
    await ifSetUp(nc)?.close();
    await ifSetUp(cluster)?.dispose();
  });

  beforeEach(async () => {
    await jsm.streams.delete(stream.name).catch(() => false);
  });

  it("creates a stream with the replicas asked for, raises one with fewer and never lowers one with more", async () => {
    expect((await ensureStream(jsm, stream, { replicas: 3 })).config.num_replicas).toBe(3);
    await jsm.streams.delete(stream.name);

    expect((await ensureStream(jsm, stream)).config.num_replicas).toBe(1);
    expect((await ensureStream(jsm, stream, { replicas: 3 })).config.num_replicas).toBe(3);
    // A replica started with the default (1) leaves the operator's three copies alone.
    expect((await ensureStream(jsm, stream, { replicas: 1 })).config.num_replicas).toBe(3);
    const info = await cluster.waitForStreamCurrent(stream.name, 30_000);
    expect([info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((r) => r.name)].sort()).toEqual([
      "n1",
      "n2",
      "n3",
    ]);
  });

  it("connectNats takes the seed list and moves to another node when its server dies; an R3 stream keeps taking events", async () => {
    await ensureStream(jsm, stream, { replicas: 3 });
    const logger = new RecordingLogger();
    let handle: NatsHandle | null = null;
    let killed: NatsCluster["nodes"][number] | undefined;
    try {
      handle = connectNats(cluster.url, logger, { retryIntervalMs: 100 });
      await waitFor("a connection", () => handle?.current() !== null);
      const first = handle.current()?.getServer();
      killed = cluster.nodes.find((node) => first?.endsWith(`:${node.server.port}`));
      expect(killed, `connected to ${first}, one of ${cluster.url}`).toBeDefined();
      await killed?.server.stop("SIGKILL");

      await waitFor("a connection to another node", () => (handle?.current()?.getServer() ?? first) !== first, 30_000);
      const js = jetstream(handle.current() as NatsConnection, { timeout: 10_000 });
      // When the killed node led JetStream or the stream, publishes find no responder until the others elect a new
      // leader (seconds on a loaded machine): the relay retries then, and so does this, with the same message id.
      let stored = false;
      await waitFor(
        "the stream to take an event while a node is down",
        async () => {
          stored = await js.publish("clustered.t.created", "while a node is down", { msgID: "while-down" }).then(
            () => true,
            () => false,
          );
          return stored;
        },
        30_000,
      );
      expect(stored).toBe(true);
      expect(logger.messages("info")).toContain("NATS reconnected; publishing waiting events");
    } finally {
      await handle?.close();
      await killed?.server.resume();
    }
    await cluster.waitForJetStream(30_000);
    const info = await cluster.waitForStreamCurrent(stream.name, 30_000);
    expect(info.state.messages).toBe(1);
  });
});
