import { defineConfig } from 'vite';

// Built into the Host's static files; the Host serves them at /app/ on the HTTP port.
export default defineConfig({
  base: '/app/',
  build: {
    outDir: '../NanoBanana.Host/wwwroot/app',
    emptyOutDir: true,
    target: 'es2022',
  },
});
