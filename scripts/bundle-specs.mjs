// Bundles every spec (spec/**/*.spec.ts) into one file with esbuild, for Node (ESM, packages
// left to node_modules) or for the browser (one self-contained script served by Karma).
import { buildSync } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * Every *.spec.ts under spec/, sorted, as paths relative to the repo root; spec/demo/ (the
 * dashboard's Angular specs) and spec/angular/ (npstreams-rx/angular's) run under `ng test demo`
 * instead (scripts/test-demo.mjs).
 */
export function specFiles(dir = 'spec') {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (path === join('spec', 'demo') || path === join('spec', 'angular')) return [];
      return statSync(path).isDirectory() ? specFiles(path) : name.endsWith('.spec.ts') ? [path] : [];
    })
    .sort();
}

/** Writes .tmp/<platform>/specs.(m)js and returns its path. NPSTREAMS_SPECS (comma-separated
 * names, e.g. kernels,exact) narrows the bundle to those spec files, for quick runs. */
export function bundleSpecs(platform) {
  const outDir = resolve(`.tmp/${platform}`);
  mkdirSync(outDir, { recursive: true });
  const entry = join(outDir, 'entry.ts');
  const only = process.env.NPSTREAMS_SPECS?.split(',').filter(Boolean);
  // *.node.spec.ts: Node only (they read files or run Node tools); *.browser.spec.ts: browser only
  const files = specFiles()
    .filter((f) => (platform === 'node' ? !f.endsWith('.browser.spec.ts') : !f.endsWith('.node.spec.ts')))
    .filter((f) => !only || only.some((name) => ['.spec.ts', '.node.spec.ts', '.browser.spec.ts'].some((end) => f.endsWith(`/${name}${end}`))));
  const imports = files.map((f) => `import './${relative(outDir, resolve(f)).replace(/\\/g, '/')}';`);
  writeFileSync(entry, imports.join('\n') + '\n');
  const outfile = join(outDir, platform === 'node' ? 'specs.mjs' : 'specs.js');
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform,
    format: platform === 'node' ? 'esm' : 'iife',
    target: platform === 'node' ? 'node20' : 'es2022',
    // in the browser bundle, the Node built-ins that Node-only code paths import dynamically stay unresolved
    ...(platform === 'node' ? { packages: 'external' } : { external: ['node:*'] }),
    // the command's version, as its bundle has it (scripts/build-cli.mjs)
    define: { NPSTREAMS_RX_VERSION: JSON.stringify(JSON.parse(readFileSync('projects/npstreams-rx/package.json', 'utf8')).version) },
    sourcemap: 'inline',
    outfile,
    logLevel: 'warning',
  });
  if (platform === 'node') bundleWorker(outDir);
  else {
    // the Web Workers the browser specs start (served by Karma at /base/.tmp/browser/): the pool
    // spec's functions, and the preview spec's drawing into an OffscreenCanvas (the library inside)
    for (const [entry, out] of [
      ['browser-functions.ts', 'functions.worker.js'],
      ['draw-worker.ts', 'draw.worker.js'],
      ['hdf5-worker.ts', 'hdf5.worker.js'],
    ]) {
      buildSync({
        entryPoints: [`spec/helpers/workers/${entry}`],
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        external: ['node:*'],
        outfile: join(outDir, out),
        logLevel: 'warning',
      });
    }
  }
  return outfile;
}

/**
 * The worker threads' scripts for code run from source (the specs, the workspace's CLI), at
 * <dir>/../node/ relative to the bundle that starts the pools: where npstreams-rx/node looks for
 * them (in the package: node/ beside fesm2022/). worker.mjs runs the library (workerPool,
 * parallelReduce); decode-worker.mjs only reads and decodes files (load({ workers })).
 */
export function bundleWorker(bundleDir) {
  buildSync({
    stdin: {
      contents: "import { runWorker } from './projects/npstreams-rx/node/src/worker';\nawait runWorker();\n",
      resolveDir: resolve('.'),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: resolve(bundleDir, '../node/worker.mjs'),
    logLevel: 'warning',
  });
  bundleDecodeWorker(bundleDir);
}

/** node/decode-worker.mjs (for the package too: it imports workerpool, nothing of the library's
 * entries, so no tfjs). */
export function bundleDecodeWorker(bundleDir) {
  buildSync({
    entryPoints: [resolve('projects/npstreams-rx/node/src/decode-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // the library's few values the threads' shared modules import (hdf5.ts), without its entry
    alias: { 'npstreams-rx': resolve('projects/npstreams-rx/node/src/decode-worker-lib.ts') },
    outfile: resolve(bundleDir, '../node/decode-worker.mjs'),
    logLevel: 'warning',
  });
}
