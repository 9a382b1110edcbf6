import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Webhook } from "standardwebhooks";

/** A request the receiver got, as it came, with what verifying it found. */
export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The secrets (by index in `secrets`) whose Webhook.verify accepted it; empty when none did. */
  verifiedBy: number[];
}

/** The body of a delivery (docs/webhooks.md). */
export interface DeliveryBody {
  type: string;
  id: string;
  subject: string;
  tenantid: string;
  testmode: boolean;
  time: string;
  /** The order's (or product's) event sequence, 10 digits: deliveries are not ordered, this orders them. */
  sequence?: string;
  data: Record<string, unknown> & { order?: { id: string; isTest?: boolean }; product?: { id: string } };
}

/** What the receiver answers a request on a path: by default 204. */
export type Behaviour = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A webhook receiver on a loopback port, as a partner would run one: it verifies every request with the
 * `standardwebhooks` package's own Webhook.verify against the secrets it knows, and records it. It can go down
 * (connections refused) and come back on the same port, and each path can be told how to answer.
 */
export class Receiver {
  readonly received: Received[] = [];
  readonly secrets: string[] = [];
  readonly #behaviours = new Map<string, Behaviour>();
  readonly #sockets = new Set<Socket>();
  #server: Server | null = null;

  private constructor(public port: number) {}

  static async start(): Promise<Receiver> {
    const receiver = new Receiver(0);
    await receiver.up();
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** How requests to `path` are answered from now on. */
  on(path: string, behaviour: Behaviour): void {
    this.#behaviours.set(path, behaviour);
  }

  /** The requests to `path`. */
  at(path: string): Received[] {
    return this.received.filter((request) => request.path === path);
  }

  /** The parsed bodies of the requests to `path`. */
  bodies(path: string): DeliveryBody[] {
    return this.at(path).map((request) => JSON.parse(request.body) as DeliveryBody);
  }

  async up(): Promise<void> {
    const server = createServer((request, response) => void this.#handle(request, response));
    server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    server.listen(this.port, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    this.port = address.port;
    this.#server = server;
  }

  /** Goes down: connections are refused until up(). */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server === null) return;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string") headers[name] = value;
    }
    const verifiedBy = this.secrets.flatMap((secret, index) => {
      try {
        new Webhook(secret).verify(body, headers);
        return [index];
      } catch {
        return [];
      }
    });
    const path = request.url ?? "/";
    this.received.push({ path, headers, body, verifiedBy });
    const behaviour = this.#behaviours.get(path);
    if (behaviour) behaviour(request, response);
    else response.writeHead(204).end();
  }
}
