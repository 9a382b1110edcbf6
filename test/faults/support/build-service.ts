import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** Global setup of the fault suite: compiles the service the scenarios run, as `npm start`'s prestart does. */
export default async function buildService(): Promise<void> {
  await promisify(execFile)(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"]);
}
