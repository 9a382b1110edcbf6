import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager, type StreamInfo } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { PrivateNatsServer } from "./nats-server.js";
import { freePort } from "./ports.js";
import { waitFor } from "./wait-for.js";

/** One server of a NatsCluster: its name in the cluster (n1, n2, ...) and the process. */
export interface NatsClusterNode {
  readonly name: string;
  readonly server: PrivateNatsServer;
}

/**
 * A NATS JetStream cluster of its own for one test, as production runs one: every node its own client port,
 * cluster (route) port and store directory under one temporary folder, routes to the others on loopback. A node
 * can be stopped (SIGKILL for a crash) and resumed on the same ports and store, and it rejoins and catches up.
 */
export class NatsCluster {
  private constructor(
    readonly nodes: readonly NatsClusterNode[],
    readonly root: string,
  ) {}

  /** Starts `size` nodes (3 by default) and waits until JetStream answers on each (a metadata leader is elected). */
  static async start(size = 3, timeoutMs = 30_000): Promise<NatsCluster> {
    const root = await mkdtemp(join(tmpdir(), "orderspine-nats-cluster-"));
    const clusterName = `orderspine-${randomBytes(3).toString("hex")}`;
    const names = Array.from({ length: size }, (_, i) => `n${i + 1}`);
    // A client and a route port per node, all different: a port just closed can come back from the next ask.
    const ports = new Set<number>();
    while (ports.size < 2 * size) ports.add(await freePort());
    const [clientPorts, routePorts] = [[...ports].slice(0, size), [...ports].slice(size)];
    const routes = routePorts.map((port) => `nats://127.0.0.1:${port}`);
    const nodes: NatsClusterNode[] = [];
    const cluster = new NatsCluster(nodes, root);
    try {
      for (const [i, name] of names.entries()) {
        const server = await PrivateNatsServer.start({
          port: clientPorts[i],
          storeDir: join(root, name),
          arguments: [
            ["-n", name, "--cluster_name", clusterName, "-cluster", routes[i] ?? ""],
            ["-routes", routes.filter((_, j) => j !== i).join(",")],
          ].flat(),
        });
        nodes.push({ name, server });
      }
      await cluster.waitForJetStream(timeoutMs);
    } catch (error) {
      await cluster.dispose();
      throw error;
    }
    return cluster;
  }

  /** Every node's client URL. */
  get urls(): string[] {
    return this.nodes.map((node) => node.server.url);
  }

  /** The seed list as NATS_URL takes it: every node, comma-separated. */
  get url(): string {
    return this.urls.join(",");
  }

  node(name: string): NatsClusterNode {
    const node = this.nodes.find((n) => n.name === name);
    if (node === undefined) throw new Error(`no node ${name} in the cluster`);
    return node;
  }

  /** Connects to the cluster through its seed list, as the service does. */
  connect(): Promise<NatsConnection> {
    return connect({ servers: this.urls });
  }

  /** The stream's information as the cluster's JetStream reports it (its leader and replicas in `cluster`). */
  async streamInfo(stream: string): Promise<StreamInfo> {
    const nc = await this.connect();
    try {
      return await (await jetstreamManager(nc)).streams.info(stream);
    } finally {
      await nc.close();
    }
  }

  /** Waits until the stream has a leader and every other copy is current (a resumed node has caught up). */
  async waitForStreamCurrent(stream: string, timeoutMs: number): Promise<StreamInfo> {
    let info: StreamInfo | undefined;
    await waitFor(
      `every copy of stream ${stream} to be current`,
      async () => {
        info = await this.streamInfo(stream).catch(() => undefined);
        const replicas = info?.cluster?.replicas ?? [];
        return (
          info?.cluster?.leader !== undefined &&
          replicas.length === info.config.num_replicas - 1 &&
          replicas.every((replica) => replica.current && !replica.offline)
        );
      },
      timeoutMs,
    );
    if (info === undefined) throw new Error(`no information on stream ${stream}`);
    return info;
  }

  /** Waits until every running node's JetStream answers, which needs an elected metadata leader. */
  async waitForJetStream(timeoutMs: number): Promise<void> {
    await waitFor(
      "JetStream to answer on every node of the cluster",
      async () => {
        const answers = await Promise.all(
          this.nodes.map(async ({ server }) => {
            const nc = await connect({ servers: server.url }).catch(() => null);
            if (nc === null) return false;
            try {
              await (await jetstreamManager(nc, { timeout: 1_000 })).getAccountInfo();
              return true;
            } catch {
              return false;
            } finally {
              await nc.close();
            }
          }),
        );
        return answers.every(Boolean);
      },
      timeoutMs,
    );
  }

  async dispose(): Promise<void> {
    await Promise.all(this.nodes.map(({ server }) => server.dispose()));
    await rm(this.root, { recursive: true, force: true });
  }
}
