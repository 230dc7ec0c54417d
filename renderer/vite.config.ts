// The renderer build: index.html + hashed assets into dist/renderer, served by `sharekeeper
// serve` and loaded by the Electron shell from its custom protocol. No inline scripts or styles
// (the CSP forbids them), no source maps in the shipped build.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
  logLevel: 'warn',
});
