/**
 * The browser build: the customer portal (React, pages split into chunks) into dist/web; public/
 * (the widget demo page) is copied as is. The widget loader is built on its own
 * (vite.widget.config.ts) as one classic script.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: {
      input: {
        portal: here('portal/index.html'),
      },
    },
  },
});
