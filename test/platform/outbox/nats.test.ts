import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectNats, type NatsHandle } from "../../../src/platform/outbox/nats.js";
import { PrivateNatsServer } from "../../support/nats-server.js";
import { RecordingLogger } from "./support/recording-logger.js";
import { waitFor } from "../../support/wait-for.js";

describe("connectNats", () => {
  let server: PrivateNatsServer;
  let logger: RecordingLogger;
  let handle: NatsHandle | null;

  beforeEach(async () => {
    server = await PrivateNatsServer.start();
    logger = new RecordingLogger();
    handle = null;
  });

  afterEach(async () => {
    await handle?.close();
    await server.dispose();
  });

  it("connects and drains on close", async () => {
    handle = connectNats(server.url, logger);
    await waitFor("a connection", () => handle?.current() !== null);
    const nc = handle.current();
    await handle.close();
    expect(nc?.isClosed()).toBe(true);
    expect(handle.current()).toBeNull();
    await handle.close(); // idempotent
  });

  it("does not fail while NATS is down, says events wait, and connects once it is up", async () => {
    await server.stop();
    handle = connectNats(server.url, logger, { retryIntervalMs: 100 });
    await sleep(300);
    expect(handle.current()).toBeNull();
    expect(logger.messages("warn")).toContain("NATS unreachable; events wait in the outbox, retrying");

    await server.resume();
    await waitFor("the first connection", () => handle?.current() !== null);
    expect(logger.messages("info")).toContain("connected to NATS");
  });

  it("reports no connection while reconnecting and the same one after the server is back", async () => {
    handle = connectNats(server.url, logger);
    await waitFor("a connection", () => handle?.current() !== null);
    const nc = handle.current();

    await server.stop();
    await waitFor("the disconnect", () => handle?.current() === null);
    expect(logger.messages("warn")).toContain("NATS disconnected; events wait in the outbox until it is back");

    await server.resume();
    await waitFor("the reconnect", () => handle?.current() !== null);
    expect(handle.current()).toBe(nc);
    expect(logger.messages("info")).toContain("NATS reconnected; publishing waiting events");
  });

  it("stops trying when closed during an outage", async () => {
    await server.stop();
    handle = connectNats(server.url, logger, { retryIntervalMs: 100 });
    await sleep(200);
    await handle.close();

    await server.resume();
    await sleep(500);
    expect(handle.current()).toBeNull();
  });

  it("closes a connection that is reconnecting without waiting for the server", async () => {
    handle = connectNats(server.url, logger);
    await waitFor("a connection", () => handle?.current() !== null);
    const nc = handle.current();
    await server.stop();
    await waitFor("the disconnect", () => handle?.current() === null);

    const started = Date.now();
    await handle.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(nc?.isClosed()).toBe(true);
  });
});
