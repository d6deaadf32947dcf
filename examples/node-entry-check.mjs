// A plain Node 20 ESM consumer of the installed package's Node entry (npstreams-rx/node):
// load() of .npy and PNG fixtures (written by NumPy and ImageMagick), save() and a read back,
// parallelReduce on 2 worker threads (the threads find node/worker.mjs in the installed
// package) before any backend is chosen and against one pass, and workerPool running a module of this consumer in threads.
// Run by scripts/test-dist.mjs in a fresh consumer project: node check-node.mjs <fixtures dir>.
// Prints one line per check and `dist-node: N passed, N failed`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { from, lastValueFrom, toArray } from 'rxjs';
import { decodeFile, partials, pmap, reduceVar, useBackend } from 'npstreams-rx';
import { load, parallelReduce, reduceOnQueue, runCli, save, workerPool } from 'npstreams-rx/node';

const fixtures = process.argv[2];
const expected = JSON.parse(readFileSync(`${fixtures}/expected.json`, 'utf8'));
let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${detail}`}`);
};
const same = (a, b) => a.length === b.length && Array.from(a).every((v, i) => v === b[i] || (Number.isNaN(v) && b[i] === null));

// no backend chosen yet: parallelReduce starts one for this thread (it reads the items and merges)
const early = await lastValueFrom(
  from([
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
  ]).pipe(parallelReduce(partials.mean(), { workers: 2, chunkSize: 1 })),
);
check('parallelReduce before any backend is chosen: the mean of nested arrays', same(await early.data(), [4, 5]), String(Array.from(await early.data())));
early.dispose();

await useBackend('cpu');
const frames = await lastValueFrom(load([`${fixtures}/f4.npy`, `${fixtures}/gray16.png`]).pipe(toArray()));
check('load .npy', same(frames[0].data, expected['f4.npy'].values), String(Array.from(frames[0].data)));
check('load 16-bit PNG', same(frames[1].data, expected['gray16.png'].values));

await save(frames[0], 'saved.npy');
const [back] = await decodeFile(readFileSync('saved.npy'), 'saved.npy');
check('save .npy and read it back', same(back.data, expected['f4.npy'].values));

const items = Array.from({ length: 12 }, (_, k) => ({ data: Float32Array.from({ length: 64 }, (_, i) => Math.sin(i + k) * 100 + k), shape: [8, 8] }));
const one = await (await lastValueFrom(from(items).pipe(reduceVar({ ddof: 1 })))).data();
const par = await (await lastValueFrom(from(items).pipe(parallelReduce(partials.var({ ddof: 1 }), { workers: 2, chunkSize: 2 })))).data();
const worst = Math.max(...Array.from(one, (v, i) => Math.abs(v - par[i]) / Math.max(1, Math.abs(v))));
check('parallelReduce on 2 worker threads equals one pass (rtol 1e-6)', worst <= 1e-6, `worst ${worst}`);

writeFileSync('double.mjs', 'export function double(frame) { return { data: frame.data.map((v) => 2 * v), shape: frame.shape }; }\n');
const pool = workerPool(new URL('./double.mjs', `file://${process.cwd()}/`), { size: 2 });
const doubled = await lastValueFrom(from(items.slice(0, 4).map((f) => ({ data: f.data.slice(), shape: f.shape }))).pipe(pmap(pool.fn('double'), { concurrency: 2 }), toArray()));
await pool.terminate();
check(
  'workerPool runs a module of the consumer in threads',
  doubled.every((f, k) =>
    same(
      f.data,
      Array.from(items[k].data, (v) => Math.fround(2 * v)),
    ),
  ),
);

// the queue's packages are optional peers: not installed with the package, and asked for by name
check('bullmq and ioredis are not installed with the package', !existsSync('node_modules/bullmq') && !existsSync('node_modules/ioredis'));
const queued = await lastValueFrom(from([['x.npy']]).pipe(reduceOnQueue(partials.mean(), { queue: 'redis://127.0.0.1:1' }))).catch((e) => e);
check(
  'reduceOnQueue without them: an error saying what to install',
  /^reduceOnQueue: the queue needs the packages bullmq and ioredis.*npm install bullmq/.test(queued?.message ?? ''),
  queued?.message,
);
const cli = await runCli(['--help']).catch((e) => e);
check('commander and cli-progress are not installed with the package either', !existsSync('node_modules/commander') && !existsSync('node_modules/cli-progress'));
check('runCli without them: an error saying what to install', /^runCli: the command line needs the packages commander and cli-progress.*npm install commander/.test(cli?.message ?? ''), cli?.message);

console.log(`dist-node: ${passed} passed, ${failed} failed`);
process.exitCode = failed || !passed ? 1 : 0;
