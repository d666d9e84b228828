/** The widget loader: one small classic script (IIFE, no React, no imports) at dist/web/widget.js. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  logLevel: 'warn',
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: false,
    target: 'es2018',
    sourcemap: false,
    copyPublicDir: false,
    lib: { entry: here('widget/loader.ts'), formats: ['iife'], name: 'ParceldeskWidget', fileName: () => 'widget.js' },
  },
});
