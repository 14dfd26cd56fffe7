// Builds the web app into the folder `tenure serve` serves (web/CMakeLists.txt
// passes it as --outDir). Hashed file names under assets/ let the server
// cache them for good; nothing is fetched from another host at run time.
/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2022',
    assetsDir: 'assets',
    sourcemap: false,
    // Inline nothing as data: URLs; every file is a file the CSP allows.
    assetsInlineLimit: 0,
  },
  // Unit tests only (vitest); e2e/ runs under node --test against a server.
  test: { include: ['src/**/*.test.ts'] },
  server: {
    // `npm run dev` against a `tenure serve` on 8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
