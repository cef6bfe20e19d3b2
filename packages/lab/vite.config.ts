// The static site: root site/, relative base (any static host, any path, offline), output dist/site.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// tfjs' wasm backend, as @bss2/tensor imports it (the lab has no dependency of its own on it): the training worker
// calls its setWasmPaths with the .wasm files' URLs (`?url` imports, served from the site's own origin). Both must
// resolve to the same module, so the alias points at the real directory of the copy @bss2/tensor resolves.
const tfjsBackendWasm = realpathSync(fileURLToPath(new URL('../tensor/node_modules/@tensorflow/tfjs-backend-wasm', import.meta.url)));

export default defineConfig({
  root: fileURLToPath(new URL('./site', import.meta.url)),
  base: './',
  publicDir: false,
  resolve: { alias: [{ find: /^@tensorflow\/tfjs-backend-wasm(?=\/|$)/, replacement: tfjsBackendWasm }] },
  build: {
    outDir: fileURLToPath(new URL('./dist/site', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    // The training worker's chunk holds tfjs and h5wasm (its wasm inlined): ≈ 6.8 MB, loaded only on that page.
    chunkSizeWarningLimit: 8192,
    rollupOptions: {
      onwarn(warning, warn) {
        // @bss2/tensor imports tfjs' backends dynamically (Node loads only the one it picks); in the training worker
        // both are in one chunk anyway (the wasm backend for setWasmPaths, the cpu one through @tensorflow/tfjs).
        if (warning.code === 'INEFFECTIVE_DYNAMIC_IMPORT' && /@tensorflow\/tfjs-backend-(wasm|cpu)/.test(warning.message)) return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
  server: { fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] } },
});
