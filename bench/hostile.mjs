// npm run bench:hostile: the attacker's run of issue 15 (see bench/hostile/run.ts), built here
// (esbuild: the harness, the watched process, and the decoding threads' script beside them) and run.
//   node bench/hostile.mjs [--mutants 3000] [--seed 15] [--limit-s 10] [--limit-mb 1024] [--md FILE]
import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleDecodeWorker } from '../scripts/bundle-specs.mjs';

const work = resolve('.tmp/hostile');
for (const name of ['run', 'child']) {
  await build({
    entryPoints: [resolve(`bench/hostile/${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: join(work, `${name}.mjs`),
    logLevel: 'warning',
  });
}
// load's decoding threads start from ../node/decode-worker.mjs beside the watched process
bundleDecodeWorker(work);
await import(pathToFileURL(join(work, 'run.mjs')).href);
