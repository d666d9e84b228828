/**
 * The browser build into dist/web: two entries, the customer portal and the agent workspace
 * (React, pages split into chunks; what they share — React, the API client, the i18n core — goes
 * into shared chunks, so neither loads the other's code); public/ (the widget demo page) is copied
 * as is. The widget loader is built on its own (vite.widget.config.ts) as one classic script.
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
    // The ECharts chunk (bars, gauge, grid, legend, tooltip, canvas: ~520 kB, ~175 kB gzipped) is the largest on purpose.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      input: {
        portal: here('portal/index.html'),
        agent: here('agent/index.html'),
      },
      // React in a chunk of its own, named so: both apps load it, and the build output shows each
      // app's own size beside it.
      // ECharts (with zrender) likewise, loaded only by the supervisor dashboard's chunk.
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'echarts', test: /[\\/]node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
});
