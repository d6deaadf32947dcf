// The command as one bundle (esbuild): `npstreams-rx-cli.mjs` and the chunks it loads when it
// needs them, with tfjs-core and its cpu and wasm backends inside as ES modules, the wasm
// backend's binaries in wasm/ beside it, and the worker threads' scripts in ../node/. Node then
// loads a few compiled modules instead of hundreds of CommonJS files scanned for their exports:
// `--help` loads commander alone, a reduction tfjs (about 0.06 s), `submit` and `worker` BullMQ
// (left to node_modules, as ioredis). The browser backends are left out (the command runs on
// cpu or wasm).
//   buildCli(outdir)  the workspace's .tmp/cli (scripts/npstreams-rx.mjs) or the package's cli/
//   node scripts/build-cli.mjs [OUTDIR]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleDecodeWorker, bundleWorker } from './bundle-specs.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

// ES modules have no require, __filename or __dirname; the CommonJS code inside (workerpool,
// emscripten's glue of the wasm backend) uses them
const BANNER = [
  "import { createRequire as __nrxRequire } from 'node:module';",
  "import { fileURLToPath as __nrxPath } from 'node:url';",
  "import { dirname as __nrxDirname } from 'node:path';",
  'const require = __nrxRequire(import.meta.url);',
  'const __filename = __nrxPath(import.meta.url);',
  'const __dirname = __nrxDirname(__filename);',
].join(' ');

const browserOnly = {
  name: 'browser-only-backends',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-backend-(webgl|webgpu)$/ }, (args) => ({ path: args.path, namespace: 'browser-only' }));
    build.onLoad({ filter: /.*/, namespace: 'browser-only' }, () => ({ contents: '', loader: 'js' }));
  },
};

/** Builds the command into `outdir` (emptied first), and the decoding threads' script into
 * `outdir/../node/`; with `workers`, also the library's worker threads' script there (the
 * workspace's; the package ships its own node/worker.mjs). */
export async function buildCli(outdir, { workers = true } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  const cwd = process.cwd();
  process.chdir(root); // tsconfig paths and node_modules resolve from the workspace
  try {
    await build({
      entryPoints: { 'npstreams-rx-cli': resolve(root, 'projects/npstreams-rx/node/src/cli/main.ts') },
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'], // the ES module builds of tfjs (their side effects declared)
      // h5wasm: 4 MB of wasm, loaded from the installed package when an HDF5 file is read
      external: ['bullmq', 'ioredis', 'h5wasm', 'h5wasm-plugins'],
      banner: { js: BANNER },
      // `--version` (cli.ts): the library's own package.json, read once here
      define: { NPSTREAMS_RX_VERSION: JSON.stringify(JSON.parse(readFileSync(resolve(root, 'projects/npstreams-rx/package.json'), 'utf8')).version) },
      plugins: [browserOnly],
      outdir,
      outExtension: { '.js': '.mjs' },
      chunkNames: '[name]-[hash]',
      logLevel: 'warning',
    });
    const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
    mkdirSync(join(outdir, 'wasm'), { recursive: true });
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) copyFileSync(join(wasmDir, f), join(outdir, 'wasm', f));
    if (workers) bundleWorker(outdir);
    else bundleDecodeWorker(outdir);
    writeFileSync(join(outdir, 'built'), new Date().toISOString());
  } finally {
    process.chdir(cwd);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // node scripts/build-cli.mjs dist/npstreams-rx/cli: the package's (its node/worker.mjs is its own)
  const outdir = resolve(process.argv[2] ?? '.tmp/cli');
  await buildCli(outdir, { workers: process.argv[2] === undefined });
  console.log(`built the command into ${outdir}`);
}
