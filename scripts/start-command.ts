import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The node arguments of `npm start` (package.json), V8 flags included, so that the bench and the tests run the
 * service exactly as it is started. `npm start` runs the compiled service, so callers build it first
 * (`npm run build:service`; `npm run bench` does so in its prebench script).
 */
export function startArguments(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const words = (pkg.scripts?.start ?? "").trim().split(/\s+/);
  if (words[0] !== "node" || words.length < 2)
    throw new Error(`npm start is not a plain node command: ${pkg.scripts?.start}`);
  return words.slice(1);
}
