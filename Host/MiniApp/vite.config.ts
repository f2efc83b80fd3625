import { defineConfig } from 'vite';

// Built into dist/; the Host's build copies it to its output's wwwroot/app and serves it at /app/ on the HTTP port.
export default defineConfig({
  base: '/app/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
});
