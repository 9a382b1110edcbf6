/**
 * Where the console sends the pasted key. Its own origin always (the service serves the console); another API,
 * given as `?api=https://orders.example`, only if the deployment lists that origin in console-config.json beside
 * index.html (the service writes it from CONSOLE_API_ORIGINS; a static host puts the file there). Otherwise a
 * crafted link could make the console send `Authorization: Bearer <key>` to any host.
 *
 * Pure: no DOM, so the rule is unit-tested (test/web/api-target.unit.test.ts) apart from the browser.
 */

/** The file, relative to the console's index.html, that lists the other API origins the console may call. */
export const CONSOLE_CONFIG_FILE = "console-config.json";

export type ApiTarget =
  | {
      allowed: true;
      /** Base URL for the Connect transport: the origin and any path prefix, without a trailing slash. */
      baseUrl: string;
      origin: string;
      /** Whether it is another origin than the console's own. */
      crossOrigin: boolean;
    }
  | {
      allowed: false;
      /** What `?api=` asked for, as given (for the message; never used as an address). */
      requested: string;
      message: string;
    };

/**
 * The API the console at `pageUrl` may call: its own origin without `?api=`, else the `?api=` address if it is an
 * http(s) URL without credentials, query or fragment whose origin is the page's own or one of `allowedOrigins`.
 */
export function resolveApiTarget(pageUrl: string, allowedOrigins: readonly string[]): ApiTarget {
  const page = new URL(pageUrl);
  const requested = page.searchParams.get("api");
  if (requested === null || requested.trim() === "") {
    return { allowed: true, baseUrl: page.origin, origin: page.origin, crossOrigin: false };
  }
  const refuse = (why: string): ApiTarget => ({
    allowed: false,
    requested,
    message:
      `The API address in this link (?api=${clipped(requested)}) is refused: ${why}. ` +
      `This console sends keys only to ${[page.origin, ...allowedOrigins].join(", ")}.`,
  });
  let url: URL;
  try {
    url = new URL(requested, page.href);
  } catch {
    return refuse("it is not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return refuse("it is not an http or https URL");
  if (url.username !== "" || url.password !== "") return refuse("it carries credentials");
  if (url.search !== "" || url.hash !== "") return refuse("it has a query or fragment");
  const crossOrigin = url.origin !== page.origin;
  if (crossOrigin && !allowedOrigins.includes(url.origin)) {
    return refuse(`${url.origin} is not an API origin this console is configured for (CONSOLE_API_ORIGINS)`);
  }
  return {
    allowed: true,
    baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, "")}`,
    origin: url.origin,
    crossOrigin,
  };
}

/**
 * The origins listed in console-config.json (`{"apiOrigins": ["https://orders.example"]}`). Anything else — no file,
 * not JSON, entries that are not origins as browsers write them — lists nothing, so the console only calls its own
 * origin.
 */
export function allowedApiOrigins(config: unknown): string[] {
  if (typeof config !== "object" || config === null || !("apiOrigins" in config)) return [];
  const listed = config.apiOrigins;
  if (!Array.isArray(listed)) return [];
  return listed.filter((entry): entry is string => typeof entry === "string" && isOrigin(entry));
}

function clipped(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function isOrigin(entry: string): boolean {
  try {
    const url = new URL(entry);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === entry;
  } catch {
    return false;
  }
}
