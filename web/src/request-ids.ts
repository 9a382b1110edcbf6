/**
 * request_ids that outlive a lost answer. A request keeps its id until a call with it succeeds, so sending it again
 * after the answer was lost (a dropped connection, a timeout) never makes the change twice: the service answers a
 * request_id it has seen with the first call's answer. A changed request is another request with another id, and
 * changing a request back to one that was sent finds that request's id again. Requests are told apart by their
 * JSON, which is deterministic here: the console builds each request's fields in one fixed order.
 *
 * Pure: no DOM, so it is unit-tested (test/web/request-ids.unit.test.ts) apart from the browser.
 */
export interface RequestIds {
  /** The request_id to send `request` with: the one it was sent with before, unless that call succeeded. */
  idFor(request: object): string;
  /** Forgets the id of a request that succeeded: sending the same request again is a new one (say, a second order). */
  succeeded(request: object): void;
}

/** Request ids drawn from `newId` (a UUID v4 in the console, see ids.ts). */
export function requestIds(newId: () => string): RequestIds {
  const unsettled = new Map<string, string>();
  return {
    idFor(request) {
      const key = JSON.stringify(request);
      const id = unsettled.get(key) ?? newId();
      unsettled.set(key, id);
      return id;
    },
    succeeded(request) {
      unsettled.delete(JSON.stringify(request));
    },
  };
}

/** Sends `request` with its request_id (see RequestIds); once the call succeeded, the id is forgotten. */
export async function sendWithRequestId<R extends object, A>(
  ids: RequestIds,
  request: R,
  call: (request: R & { requestId: string }) => Promise<A>,
): Promise<A> {
  const answer = await call({ ...request, requestId: ids.idFor(request) });
  ids.succeeded(request);
  return answer;
}
