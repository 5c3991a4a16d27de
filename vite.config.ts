import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy } from './tools/contentSecurityPolicy';
import { routePreload } from './tools/routePreload';

export default defineConfig({
  plugins: [
    react(),
    contentSecurityPolicy(),
    // A deep link into a project fetches the workspace chunk with the entry chunk, not after it.
    routePreload({ module: '/src/app/WorkspaceRoute.tsx', prefix: '/project/' }),
    VitePWA({
      // A new version waits until the user chooses "Reload" (src/app/pwa.ts); it never swaps under them mid-work.
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        id: '/',
        name: 'Int Crucible',
        short_name: 'Crucible',
        description: 'A local-first reasoning workbench for iterating on complex designs.',
        theme_color: '#1f2a44',
        background_color: '#0f1420',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // Opening a project file from the OS lands on the project list, whose launchQueue consumer shows the import preview.
        file_handlers: [{ action: '/', accept: { 'application/json': ['.crucible.json'] } }],
        launch_handler: { client_mode: ['navigate-existing', 'auto'] },
      },
      workbox: {
        // The whole app shell, fonts and icons are precached: nothing is fetched from a CDN, every route works offline.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,woff,woff2,json,webmanifest}'],
        navigateFallback: '/index.html',
        // First install only (no earlier worker): controlling the page at once changes no code under the user.
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        // The bundled sample project and the engine worker must be available offline too.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
    }),
  ],
  preview: { port: 4173, strictPort: true },
  server: { port: 5173 },
  worker: { format: 'es' },
});
