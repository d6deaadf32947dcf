// npm run bench:parallel: bundles bench/parallel/parallel.ts (with the worker threads' script
// where npstreams-rx/node looks for it) and runs it; arguments pass through.
import { buildSync } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { bundleWorker } from '../scripts/bundle-specs.mjs';

// calibrate.mjs starts worker threads on its own file: it stays a file of its own beside the bundle
mkdirSync('.tmp/bench', { recursive: true });
copyFileSync('bench/parallel/calibrate.mjs', '.tmp/bench/calibrate.mjs');
buildSync({
  entryPoints: ['bench/parallel/parallel.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  external: ['./calibrate.mjs'],
  outfile: '.tmp/bench/parallel.mjs',
  logLevel: 'warning',
});
bundleWorker('.tmp/bench');
await import(new URL('../.tmp/bench/parallel.mjs', import.meta.url).href);
