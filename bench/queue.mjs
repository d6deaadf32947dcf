// `npm run bench:queue`: the queue (issue 10) measured, side by side in one run, on this machine:
// - frames/s of one `npstreams-rx worker` process against two and three, reducing the same files (mean of
//   `--files` .npy frames of `--side`² float32 in `--shards` shards), alternating, `--rounds` each;
// - the queue's overhead per shard: shards of one small file each through one worker, the time
//   from submit to merged state minus the worker's own time, against a shard's reduction time in
//   the first case.
// Redis: Debian's redis-server on a loopback port (scripts/redis-server.mjs). The submit side is
// reduceOnQueue in this process (the library from its sources, bundled by esbuild).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { from } from 'rxjs';
import { redisServer } from '../scripts/redis-server.mjs';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => a.replace(/^--/, '').split('='))
    .map(([k, v]) => [k, v ?? 'true']),
);
const FILES = Number(args.files ?? 96);
const SIDE = Number(args.side ?? 1024);
const SHARDS = Number(args.shards ?? 12);
const ROUNDS = Number(args.rounds ?? 2);

// the library, bundled from its sources
await build({
  stdin: {
    contents: `export * from './projects/npstreams-rx/node/src/public-api.ts'; export * from './projects/npstreams-rx/src/public-api.ts';`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: '.tmp/bench-queue/lib.mjs',
  logLevel: 'warning',
});
const lib = await import(join(process.cwd(), '.tmp/bench-queue/lib.mjs'));
await lib.useBackend('wasm');
// the workers' command, built once
if (spawnSync('node', ['scripts/npstreams-rx.mjs', '--version']).status !== 0) throw new Error('the command does not build');

const bin = redisServer();
if (!bin) throw new Error('no redis-server (apt-get install redis-server)');
const port = 20000 + Math.floor(Math.random() * 20000);
const redis = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 300));
const url = `redis://127.0.0.1:${port}/0`;

const dir = mkdtempSync(join(tmpdir(), 'npstreams-rx-bench-queue-'));
const files = [];
for (let k = 0; k < FILES; k++) {
  const data = new Float32Array(SIDE * SIDE);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 2654435761 + k * 40503) % 1000) / 10;
  const path = join(dir, `f${String(k).padStart(4, '0')}.npy`);
  writeFileSync(path, await lib.encodeArray({ data, shape: [SIDE, SIDE], dtype: 'float32' }));
  files.push(path);
}
const small = [];
mkdirSync(join(dir, 'small'));
for (let k = 0; k < 24; k++) {
  const path = join(dir, 'small', `s${k}.npy`);
  writeFileSync(path, await lib.encodeArray({ data: new Float32Array(64 * 64).fill(k), shape: [64, 64], dtype: 'float32' }));
  small.push(path);
}

const started = [];
async function startWorkers(n) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const child = spawn('node', ['scripts/npstreams-rx.mjs', 'worker', '--queue', url, '--backend', 'wasm', '-q'], {
        env: { ...process.env, NPSTREAMS_RX_PREBUILT: '1' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      started.push(child);
      let log = '';
      child.stdout.on('data', (d) => (log += d));
      while (!log.includes('ready on')) await new Promise((r) => setTimeout(r, 20));
      return child;
    }),
  );
}
/** CPU seconds a process has used (Linux: /proc/<pid>/stat, user + system, 100 ticks a second). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function stopWorkers(children) {
  await Promise.all(children.map((c) => new Promise((r) => (c.once('exit', r), c.kill('SIGTERM')))));
}

/** One submit: wall seconds, and the per-shard timings. */
async function submit(shards) {
  const t0 = performance.now();
  let last;
  const merged = await new Promise((resolve, reject) =>
    from(shards)
      .pipe(lib.reduceOnQueue(lib.partials.mean(), { queue: url, onProgress: (p) => (last = p) }))
      .subscribe({ next: resolve, error: reject }),
  );
  const seconds = (performance.now() - t0) / 1000;
  lib.partialValue(merged).dispose();
  lib.disposePartial(merged);
  return { seconds, timings: last.timings, workers: last.workers.length };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const split = (list, k) => Array.from({ length: k }, (_, i) => list.slice(Math.floor((i * list.length) / k), Math.floor(((i + 1) * list.length) / k)));

console.log(
  `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; Node ${process.version}; Redis on loopback; ${FILES} files of ${SIDE}x${SIDE} float32 (${((SIDE * SIDE * 4) / 2 ** 20).toFixed(0)} MiB each) in ${SHARDS} shards, mean, wasm\n`,
);
const results = { 1: [], 2: [], 3: [] };
const cores = { 1: [], 2: [], 3: [] };
const shardMs = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of [1, 2, 3]) {
      const workers = await startWorkers(n);
      const cpu0 = workers.map((w) => cpuSeconds(w.pid));
      const own0 = process.cpuUsage();
      const redis0 = cpuSeconds(redis.pid);
      const r = await submit(split(files, SHARDS));
      const workerCpu = workers.reduce((a, w, i) => a + cpuSeconds(w.pid) - cpu0[i], 0);
      const own = process.cpuUsage(own0);
      const submitCpu = (own.user + own.system) / 1e6;
      const redisCpu = cpuSeconds(redis.pid) - redis0;
      await stopWorkers(workers);
      cores[n].push((workerCpu + submitCpu + redisCpu) / r.seconds);
      results[n].push(FILES / r.seconds);
      if (n === 1) shardMs.push(...r.timings.map((t) => t.workerMs));
      console.log(
        `round ${round + 1}, ${n} worker process${n > 1 ? 'es' : ''}: ${r.seconds.toFixed(2)} s, ${(FILES / r.seconds).toFixed(1)} frames/s (${r.workers} took shards); ` +
          `CPU s: workers ${workerCpu.toFixed(2)}, submit ${submitCpu.toFixed(2)}, Redis ${redisCpu.toFixed(2)}: ${((workerCpu + submitCpu + redisCpu) / r.seconds).toFixed(2)} cores busy`,
      );
    }
  }
  // overhead: 24 shards of one 64x64 file, one worker, one after another
  const workers = await startWorkers(1);
  const overheads = [];
  for (let round = 0; round < ROUNDS; round++) {
    const r = await submit(small.map((f) => [f]));
    overheads.push((r.seconds * 1000 - r.timings.reduce((a, t) => a + t.workerMs, 0)) / small.length);
  }
  await stopWorkers(workers);
  const [one, two, three] = [median(results[1]), median(results[2]), median(results[3])];
  console.log(`\ncores busy, medians: 1 worker ${median(cores[1]).toFixed(2)}, 2 workers ${median(cores[2]).toFixed(2)}, 3 workers ${median(cores[3]).toFixed(2)} (of ${cpus().length})`);
  console.log(`frames/s, medians of ${ROUNDS}: 1 worker ${one.toFixed(1)}, 2 workers ${two.toFixed(1)} (x${(two / one).toFixed(2)}), 3 workers ${three.toFixed(1)} (x${(three / one).toFixed(2)})`);
  console.log(
    `queue overhead per shard: ${median(overheads).toFixed(1)} ms (submit to merged state, less the worker's own time; 24 one-file shards in a row), ` +
      `against ${median(shardMs).toFixed(0)} ms to reduce a shard of ${FILES / SHARDS} frames (${(median(shardMs) / (FILES / SHARDS)).toFixed(1)} ms a frame)`,
  );
  mkdirSync('.tmp', { recursive: true });
  writeFileSync(
    '.tmp/bench-queue.json',
    JSON.stringify(
      { date: new Date().toISOString(), cpus: cpus().length, files: FILES, side: SIDE, shards: SHARDS, framesPerSecond: results, coresBusy: cores, overheadMsPerShard: overheads, shardMs },
      null,
      2,
    ),
  );
} finally {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  redis.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
