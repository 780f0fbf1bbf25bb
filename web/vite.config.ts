import { defineConfig } from "vite";

// JSX is compiled by esbuild for Preact directly (no preset plugin needed for a small SPA).
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  // No source maps in the production build: the shipped code is all the browser needs (and all we publish).
  build: { outDir: "dist", sourcemap: false },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
