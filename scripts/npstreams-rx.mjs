#!/usr/bin/env node
// The workspace's `npx npstreams-rx ...` (package.json "bin"): the command from the library's
// sources, bundled by esbuild into .tmp/cli/ (with the worker threads' script beside it, where
// npstreams-rx/node looks for it), then run. The built package carries the same command as
// bin/npstreams-rx.mjs.
import { buildSync } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleWorker } from './bundle-specs.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, '.tmp/cli');
const cwd = process.cwd();
process.chdir(root); // esbuild and bundleWorker resolve from the workspace
// NPSTREAMS_RX_PREBUILT=1 runs the last build (specs that start many processes at once)
if (process.env.NPSTREAMS_RX_PREBUILT !== '1') buildSync({
  entryPoints: [resolve(root, 'projects/npstreams-rx/node/src/public-api.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: resolve(outdir, 'npstreams-rx-node.mjs'),
  logLevel: 'warning',
});
if (process.env.NPSTREAMS_RX_PREBUILT !== '1') bundleWorker(outdir);
process.chdir(cwd); // the user's paths are relative to where the command was run
const { runCli } = await import(pathToFileURL(resolve(outdir, 'npstreams-rx-node.mjs')).href);
process.exitCode = await runCli(process.argv.slice(2));
