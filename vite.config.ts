import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import pkg from './package.json' with { type: 'json' };

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
  },
  plugins: [
    react(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'Int Crucible',
        short_name: 'Crucible',
        description: 'A local-first reasoning workbench for iterating on complex designs.',
        theme_color: '#1f2a44',
        background_color: '#0f1420',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2,json}'],
        navigateFallback: '/index.html',
      },
    }),
  ],
  preview: { port: 4173, strictPort: true },
  server: { port: 5173 },
  worker: { format: 'es' },
});
