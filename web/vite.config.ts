/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The build lands in target/classes/webroot, where the Maven module packs it into the
// dev.fleetgate.web bundle. `npm run dev` proxies the API to a core on FLEETGATE_URL.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'target/classes/webroot',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      // uPlot loads with the first chart, not with the login or the overview.
      output: { manualChunks: (id) => (id.includes('node_modules/uplot') ? 'uplot' : undefined) },
    },
  },
  server: {
    proxy: {
      '/api': process.env.FLEETGATE_URL ?? 'http://127.0.0.1:8080',
      '/metrics': process.env.FLEETGATE_URL ?? 'http://127.0.0.1:8080',
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['app/**/*.test.{ts,tsx}'],
    setupFiles: ['app/test/setup.ts'],
    restoreMocks: true,
    // Two cores shared with a Java build: user-event typing can be slow.
    testTimeout: 30_000,
  },
});
