import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The curl commands of the sh block that follows `marker` in the page `file`: each starts a line with `curl `
 * and runs on to the next one (continuation lines and JSON bodies spread over lines belong to it).
 */
export function curlCommands(file: string, marker: string): string[] {
  const page = readFileSync(file, "utf8");
  const at = page.indexOf(marker);
  const block = /```sh\n([\s\S]*?)```/.exec(page.slice(at))?.[1];
  if (at < 0 || !block) throw new Error(`${file} has no sh block after "${marker}"`);
  const commands: string[][] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("curl ")) commands.push([line]);
    else if (line.trim() !== "") commands.at(-1)?.push(line);
  }
  return commands.map((lines) => lines.join("\n"));
}

/** Runs one documented command as written, against `url` instead of localhost:8080, and parses its JSON answer. */
export async function runCurl(command: string, url: string, env: Record<string, string>): Promise<unknown> {
  const { stdout } = await run("bash", ["-c", command.replaceAll("http://localhost:8080", url)], {
    env: { ...process.env, ...env, PATH: `${join(process.cwd(), "node_modules/.bin")}:${process.env.PATH ?? ""}` },
  });
  return JSON.parse(stdout);
}
