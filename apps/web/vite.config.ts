import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const API_ORIGIN = 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    proxy: {
      '/trpc': { target: API_ORIGIN, changeOrigin: false },
      '/health': { target: API_ORIGIN, changeOrigin: false },
      '/auth': { target: API_ORIGIN, changeOrigin: false },
    },
  },
});
