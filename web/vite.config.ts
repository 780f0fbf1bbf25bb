import { defineConfig } from "vite";

// JSX is compiled by esbuild for Preact directly (no preset plugin needed for a small SPA).
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist", sourcemap: true },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
