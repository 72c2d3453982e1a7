// Build of the three processes. The renderer's Vite config is exported on its own so the web-mode
// host builds exactly the same renderer the desktop app loads.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';
import { RENDERER_CSP } from './src-shared/security/csp';

const root = import.meta.dirname;

/** Writes the CSP into index.html so it also holds under file://, where no header can be set. */
function cspMetaPlugin(): Plugin {
  return {
    name: 'duet-csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler: () => [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: RENDERER_CSP }, injectTo: 'head-prepend' },
      ],
    },
  };
}

export function rendererViteConfig(outDir = resolve(root, 'out/renderer')): UserConfig {
  return {
    root: resolve(root, 'src-renderer'),
    base: './',
    plugins: [react(), cspMetaPlugin()],
    build: {
      outDir,
      emptyOutDir: true,
      // electron-vite leaves bundles unminified by default; the renderer is large enough to care.
      // DUET_NO_MINIFY=1: readable function names in a profile (bench/meeting-live.bench.ts).
      minify: !process.env.DUET_NO_MINIFY,
      chunkSizeWarningLimit: 1500,
      rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(root, 'src-main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      // Sandboxed preloads cannot load ES modules or node_modules: one self-contained CommonJS file.
      rollupOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererViteConfig(),
});
