import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web app: built to web/dist and served by the NestJS service at / (pages under /app).
// Vite's built-in transform handles TSX (automatic React runtime); no framework plugin is needed for a build.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // modulepreload polyfill is an inline-free module; keep scripts same-origin for the CSP
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // antd marks its files "use client" (for React Server Components): meaningless in a browser bundle
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react)[\\/]/ },
          ],
        },
      },
    },
  },
  server: { proxy: { '^/(?!app|src|@|node_modules|assets).*': 'http://127.0.0.1:3000' } },
});
