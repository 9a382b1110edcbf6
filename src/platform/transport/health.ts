import { Code, ConnectError, type ConnectRouter, type ServiceImpl } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../../gen/grpc/health/v1/health_pb.js";

export { ServingStatus };

/**
 * Serving status per service name, as the gRPC health protocol reports it. The empty name is the
 * server as a whole; it starts NOT_SERVING so that nothing routes traffic here before start-up
 * says so with `setServing("", true)`.
 */
export class HealthState {
  readonly #statuses = new Map<string, ServingStatus>([["", ServingStatus.NOT_SERVING]]);
  readonly #waiters = new Set<() => void>();
  #version = 0;
  #shuttingDown = false;

  setServing(service: string, serving: boolean): void {
    // Once draining, nothing turns healthy again: a late start-up step must not undo shutdown.
    if (this.#shuttingDown) return;
    this.#statuses.set(service, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    this.#changed();
  }

  /** Every known service becomes NOT_SERVING, so load balancers stop sending new calls. */
  markShuttingDown(): void {
    this.#shuttingDown = true;
    for (const service of this.#statuses.keys()) this.#statuses.set(service, ServingStatus.NOT_SERVING);
    this.#changed();
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** The status of a service name, or undefined for a name that was never registered. */
  status(service: string): ServingStatus | undefined {
    return this.#statuses.get(service);
  }

  statuses(): ReadonlyMap<string, ServingStatus> {
    return this.#statuses;
  }

  /** Increases with every change; pass it to `changedSince` so a change in between is never missed. */
  get version(): number {
    return this.#version;
  }

  /** Resolves once anything changed after `version`, or when the signal aborts. */
  changedSince(version: number, signal: AbortSignal): Promise<void> {
    if (this.#version !== version || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#waiters.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      this.#waiters.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  #changed(): void {
    this.#version++;
    for (const wake of [...this.#waiters]) wake();
  }
}

/** grpc.health.v1.Health backed by a HealthState. */
export function healthService(state: HealthState): ServiceImpl<typeof Health> {
  return {
    check(request) {
      const status = state.status(request.service);
      // The health spec: an unknown service name fails the call with NOT_FOUND.
      if (status === undefined) throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      return { status };
    },
    async *watch(request, context) {
      let sent: ServingStatus | undefined;
      while (!context.signal.aborted) {
        const seen = state.version;
        // Watch, unlike Check, reports an unknown name as SERVICE_UNKNOWN and keeps watching.
        const status = state.status(request.service) ?? ServingStatus.SERVICE_UNKNOWN;
        if (status !== sent) {
          sent = status;
          yield { status };
        }
        // A draining server says NOT_SERVING and then ends the call (clients retry, per the spec),
        // so open watches never hold up a graceful shutdown until its grace period runs out.
        if (state.shuttingDown) return;
        await state.changedSince(seen, context.signal);
      }
    },
    list() {
      const statuses: Record<string, { status: ServingStatus }> = {};
      for (const [service, status] of state.statuses()) statuses[service] = { status };
      return { statuses };
    },
  };
}

export function registerHealth(router: ConnectRouter, state: HealthState): void {
  router.service(Health, healthService(state));
}
