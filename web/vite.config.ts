import { defineConfig } from "vite";

/**
 * `npm run build:web` builds web/ into web/dist, which the service serves at `/`. The console
 * imports the generated contract from ../gen, outside this root, which the dev server must be
 * allowed to read.
 */
export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs, so web/dist works from any path of any static host, not only from "/".
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: true },
  server: { fs: { allow: [".."] } },
});
