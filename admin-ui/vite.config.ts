// The admin portal's build: static files in admin-ui/dist/, served by the platform at /portal/
// (handlers/platform-app.ts). Relative asset URLs, so a path prefix (PUBLIC_URL's, e.g. a gateway
// stage) needs no rebuild. Run by `npm run generate`; the output is committed like generated/.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [svelte()],
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 200 },
});
