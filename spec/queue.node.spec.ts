import * as tf from '@tensorflow/tfjs-core';
import { Queue } from 'bullmq';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from } from 'rxjs';
import { OptionError, decodeFile, disposePartial, encodeArray, partialValue, partials, useBackend } from '../projects/npstreams-rx/src/public-api';
import { parseQueueUrl, queueWorker, reduceOnQueue } from '../projects/npstreams-rx/node/src/public-api';
import { checkShardJob } from '../projects/npstreams-rx/node/src/queue/shard';
import { type RedisServer, startRedis } from './helpers/redis';
import { cli } from './helpers/cli';

const COUNT = 60;
const SIDE = 16;
/** Float32 tolerances against float64 (relative to max(|value|, 1)): a mean of 60 frames merged
 * from 6 compensated partial states, and a variance (Chan's merge in float32). Counts are exact. */
const RTOL_MEAN = 1e-6;
const RTOL_VAR = 1e-5;

/** Frame k: seeded values in [0, 100) (a float32 each). */
function frame(k: number): Float32Array {
  let s = (k + 1) * 2654435761;
  return Float32Array.from({ length: SIDE * SIDE }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 100;
  });
}

/** One pass in float64: the mean, the variance (ddof 0) and the counts of 10 bins over [0, 100]. */
function onePass(frames: Float32Array[]): { mean: number[]; var: number[]; counts: number[] } {
  const n = frames.length;
  const mean = Array.from({ length: SIDE * SIDE }, (_, i) => frames.reduce((a, f) => a + f[i], 0) / n);
  const variance = mean.map((m, i) => frames.reduce((a, f) => a + (f[i] - m) ** 2, 0) / n);
  const counts = new Array(10).fill(0);
  for (const f of frames) for (const v of f) counts[Math.min(9, Math.floor(v / 10))]++;
  return { mean, var: variance, counts };
}

function expectClose(actual: ArrayLike<number>, want: number[], rtol: number, context: string): void {
  expect(actual.length).withContext(context).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(actual[i] - want[i]) / Math.max(Math.abs(want[i]), 1));
  expect(worst).withContext(`${context}: largest relative difference`).toBeLessThanOrEqual(rtol);
}

async function readNpy(path: string) {
  const [f] = await decodeFile(readFileSync(path), path);
  return f;
}

interface WorkerProcess {
  child: ChildProcess;
  log: () => string;
}

/** `npstreams-rx worker` as a process of its own (the workspace's command, built once). */
async function startWorker(url: string, ...extra: string[]): Promise<WorkerProcess> {
  const child = spawn('node', ['scripts/npstreams-rx.mjs', 'worker', '--queue', url, '--lock-ms', '1500', '--backend', 'wasm', ...extra], {
    env: { ...process.env, NPSTREAMS_RX_PREBUILT: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const t0 = Date.now();
  while (!log.includes('ready on')) {
    if (child.exitCode !== null || Date.now() - t0 > 30000) throw new Error(`the worker did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, log: () => log };
}

/** SIGTERM (the worker finishes the shards in hand), SIGKILL after 5 s. */
async function stop(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = new Promise((r) => worker.child.once('exit', r));
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** The pid of the process that has `path` open, among `pids`. */
function holderOf(path: string, pids: number[]): number | null {
  for (const pid of pids) {
    try {
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`) === path)) return pid;
    } catch {
      // gone
    }
  }
  return null;
}

describe('parseQueueUrl', () => {
  it('redis:// with a password: ioredis options, and a display with the password hidden', () => {
    const c = parseQueueUrl('redis://:p%40ss%3Aw0rd@10.1.2.3:6390/4');
    expect(c.options).toEqual(jasmine.objectContaining({ host: '10.1.2.3', port: 6390, db: 4, password: 'p@ss:w0rd' }));
    expect(c.display).toBe('redis://:***@10.1.2.3:6390/4');
    expect(c.redact('auth failed for p@ss:w0rd (p%40ss%3Aw0rd)')).toBe('auth failed for *** (***)');
    expect(c.options.tls).toBeUndefined();
  });

  it('rediss:// turns TLS on (SNI for names only); defaults: port 6379, db 0; a user name is kept', () => {
    const c = parseQueueUrl('rediss://alice:secret@redis.example.org');
    expect(c.options).toEqual(jasmine.objectContaining({ host: 'redis.example.org', port: 6379, db: 0, username: 'alice', password: 'secret' }));
    expect(c.options.tls).toEqual({ servername: 'redis.example.org' });
    expect(c.display).toBe('rediss://alice:***@redis.example.org/0');
    expect(parseQueueUrl('rediss://127.0.0.1:7000').options.tls).toEqual({});
  });

  it('refuses other schemes, bad databases and non-URLs, never echoing the password', () => {
    expect(() => parseQueueUrl('http://h:1')).toThrowError(/scheme http: is not redis: or rediss:/);
    expect(() => parseQueueUrl('redis://:hunter2@h:1/x')).toThrowError(/database x is not a non-negative integer/);
    try {
      parseQueueUrl('redis://:hunter2@h:1/x');
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
    expect(() => parseQueueUrl('not a url hunter2')).toThrowError(/^parseQueueUrl: not a URL; expected redis:/);
    expect(() => parseQueueUrl('not a url hunter2', {}, '--queue')).toThrowError(/^--queue: not a URL; expected redis:/);
  });
});

describe('checkShardJob (what a worker accepts)', () => {
  const good = () => ({ kind: 'npstreams-rx/shard', version: 1, run: 'run-12345678', shard: 3, files: ['/data/a.npy'], recipe: { kind: 'mean', options: { axis: null } }, skipBad: false });

  it('a shard descriptor passes as it is', () => {
    expect(checkShardJob(good())).toEqual(good() as never);
    expect(checkShardJob({ ...good(), recipe: { kind: 'histogram', options: {}, bins: [0, 1, 2] }, loader: 'tiff' }).loader).toBe('tiff');
  });

  it('anything else is refused, naming what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [null, /the data is null/],
      [[1, 2], /the data is an array/],
      ['rm -rf /', /the data is string/],
      [{ ...good(), extra: 1 }, /unknown fields extra/],
      [{ ...good(), kind: 'eval' }, /kind is "eval"/],
      [{ ...good(), version: 2 }, /version 2/],
      [{ ...good(), run: '../../etc' }, /run is not 8 to 64 letters/],
      [{ ...good(), shard: -1 }, /shard is not an integer/],
      [{ ...good(), shard: 1.5 }, /shard is not an integer/],
      [{ ...good(), files: 'a.npy' }, /files is not a list/],
      [{ ...good(), files: [] }, /files is not a list/],
      [{ ...good(), files: ['a\0b'] }, /files holds "a\\u0000b", not a path/],
      [{ ...good(), files: [{ path: 'a' }] }, /files holds \{"path":"a"\}, not a path/],
      [{ ...good(), skipBad: 'yes' }, /skipBad is not a boolean/],
      [{ ...good(), loader: 'exe' }, /loader "exe"/],
      [{ ...good(), recipe: { kind: 'eval', options: {} } }, /recipe.kind "eval" is no statistic/],
      [{ ...good(), recipe: { kind: 'mean', options: { __proto__x: 1 } } }, /recipe.options.__proto__x is no option/],
      [{ ...good(), recipe: { kind: 'var', options: { ddof: -1 } } }, /recipe.options.ddof is -1/],
      [{ ...good(), recipe: { kind: 'mean', options: {}, weighted: true } }, /recipe.weighted: files carry no weights/],
      [{ ...good(), recipe: { kind: 'ufunc', ufunc: 'system', options: {} } }, /recipe: .*system/],
      [{ ...good(), recipe: { kind: 'histogram', options: {}, bins: [2, 1] } }, /recipe: /],
    ];
    for (const [data, message] of cases)
      expect(() => checkShardJob(data))
        .withContext(JSON.stringify(data))
        .toThrowError(new RegExp(`^not a shard descriptor: ${message.source}`));
  });
});

describe('the queue (BullMQ on Redis): submit, workers in processes of their own', () => {
  const PASSWORD = 'pa:ss/w@rd';
  let dir: string;
  let files: string[];
  let frames: Float32Array[];
  let redis: RedisServer;
  let workers: WorkerProcess[] = [];
  const out = (name: string) => join(dir, 'out', name);
  const submit = (...argv: string[]) => cli('submit', ...argv, '--queue', redis.url, '-q');

  beforeAll(async () => {
    await useBackend('wasm');
    // the command's bundle, built once for the worker processes
    const built = spawnSync('node', ['scripts/npstreams-rx.mjs', '--version'], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(built.stderr);
    dir = mkdtempSync(join(tmpdir(), 'npstreams-rx-queue-'));
    mkdirSync(join(dir, 'out'));
    frames = Array.from({ length: COUNT }, (_, k) => frame(k));
    files = [];
    for (let k = 0; k < COUNT; k++) {
      const path = join(dir, `f${String(k).padStart(3, '0')}.npy`);
      writeFileSync(path, await encodeArray({ data: frames[k], shape: [SIDE, SIDE], dtype: 'float32' }));
      files.push(path);
    }
    redis = await startRedis({ password: PASSWORD });
    workers = await Promise.all([0, 1, 2].map(() => startWorker(redis.url)));
  }, 120000);

  afterAll(async () => {
    await Promise.all(workers.map(stop));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60000);

  it('one submit, three workers, 60 files in 6 shards: mean, var and histogram equal one pass; the password is never printed', async () => {
    const want = onePass(frames);
    const runs = {
      mean: await submit('mean', join(dir, '*.npy'), '--shards', '6', '-o', out('mean.npy')),
      var: await submit('var', join(dir, '*.npy'), '--shards', '6', '-o', out('var.npy')),
      histogram: await submit('histogram', join(dir, '*.npy'), '--shards', '6', '--bins', '0:100:10', '-o', out('hist.npy')),
    };
    for (const [name, r] of Object.entries(runs)) {
      expect(r.code).withContext(`${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout).withContext(name).toContain(`${name} of 60 frames from 60 files in 6 shards (6 merged, each once)`);
    }
    expectClose((await readNpy(out('mean.npy'))).data, want.mean, RTOL_MEAN, 'mean');
    expectClose((await readNpy(out('var.npy'))).data, want.var, RTOL_VAR, 'var');
    const hist = await readNpy(out('hist.npy'));
    expect(hist.dtype).toBe('int32');
    expect(Array.from(hist.data)).toEqual(want.counts);
    const printed = [...Object.values(runs).flatMap((r) => [r.stdout, r.stderr]), ...workers.map((w) => w.log())].join('\n');
    expect(printed).toContain('redis://:***@127.0.0.1');
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD)]) expect(printed).not.toContain(secret);
  }, 60000);

  it('a worker killed (SIGKILL) in the middle of a shard: another takes the shard, the result is the same, each shard merged once', async () => {
    // file 25 (shard 2 of 6: files 20-29) is a named pipe: the worker that reaches it has read
    // files 20-24 and waits there until it is killed; the pipe's bytes go to its successor
    const fifoDir = join(dir, 'fifo');
    mkdirSync(fifoDir);
    const paths = files.map((f, k) => (k === 25 ? join(fifoDir, 'f025.npy') : f));
    expect(spawnSync('mkfifo', [paths[25]]).status).toBe(0);
    const mark = new Map(workers.map((w) => [w, w.log().length]));
    const since = (w: WorkerProcess) => w.log().slice(mark.get(w));
    const running = submit('mean', ...paths, '--shards', '6', '-o', out('mean-killed.npy'));
    // opening a pipe for writing waits for a reader: the worker that reached file 25
    const first = await open(paths[25], 'w');
    const holder = holderOf(
      paths[25],
      workers.map((w) => w.child.pid!),
    );
    expect(holder).withContext('a worker has the pipe open').not.toBeNull();
    const victim = workers.find((w) => w.child.pid === holder)!;
    expect(since(victim)).not.toContain(' shard 2:');
    const gone = new Promise((r) => victim.child.once('exit', r));
    victim.child.kill('SIGKILL');
    await gone; // its end of the pipe is closed once it has exited
    await first.close(); // nothing written: the victim never read it
    // the shard's lock expires, another worker takes it over and opens the pipe: it gets the bytes
    await writeFile(paths[25], readFileSync(files[25]));
    const r = await running;
    expect(r.code).withContext(r.stderr).toBe(0);
    expect(r.stdout).toContain('mean of 60 frames from 60 files in 6 shards (6 merged, each once; 1 retried)');
    expectClose((await readNpy(out('mean-killed.npy'))).data, onePass(frames).mean, RTOL_MEAN, 'mean');
    const successor = workers.find((w) => w !== victim && since(w).includes(' shard 2:'));
    expect(successor).withContext('another worker reduced shard 2').toBeDefined();
    workers = [...workers.filter((w) => w !== victim), await startWorker(redis.url)];
  }, 60000);

  it('a file that does not decode fails the submit naming it (exit 1, no output written); --skip-bad skips it', async () => {
    const bad = join(dir, 'bad', 'broken.npy');
    mkdirSync(join(dir, 'bad'));
    writeFileSync(bad, 'not an array');
    const paths = [...files.slice(0, 10), bad, ...files.slice(10, 20)];
    const failed = await submit('mean', ...paths, '--shards', '3', '-o', out('bad.npy'));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/shard 1 \(.*\) failed after 1 attempt\(s\): shard 1: .*broken\.npy/);
    expect(existsSync(out('bad.npy'))).toBeFalse();
    const skipped = await submit('mean', ...paths, '--shards', '3', '--skip-bad', '-o', out('skipped.npy'));
    expect(skipped.code).withContext(skipped.stderr).toBe(0);
    expect(skipped.stdout).toContain('mean of 20 frames from 20 files (1 skipped) in 3 shards');
    expectClose((await readNpy(out('skipped.npy'))).data, onePass(frames.slice(0, 20)).mean, RTOL_MEAN, 'mean');
  }, 60000);

  it('a file missing at first (a shared file system catching up) fails the attempt; the engine retries the shard and it succeeds', async () => {
    const late = join(dir, 'late', 'f-late.npy');
    mkdirSync(join(dir, 'late'));
    const mark = new Map(workers.map((w) => [w, w.log().length]));
    const running = submit('mean', ...files.slice(0, 9), late, '--shards', '1', '--attempts', '3', '-o', out('late.npy'));
    // the first attempt fails on the missing file (ENOENT), named in the worker's log
    for (const t0 = Date.now(); !workers.some((w) => w.log().slice(mark.get(w)).includes('f-late.npy: cannot be read'));) {
      if (Date.now() - t0 > 20000) throw new Error('no attempt failed on the missing file');
      await new Promise((r) => setTimeout(r, 20));
    }
    writeFileSync(late, readFileSync(files[9])); // the file shows up before the retry (backoff 1 s)
    const r = await running;
    expect(r.code).withContext(r.stderr).toBe(0);
    expect(r.stdout).toContain('mean of 10 frames from 10 files in 1 shard (1 merged, each once; 1 retried)');
    expectClose((await readNpy(out('late.npy'))).data, onePass(frames.slice(0, 10)).mean, RTOL_MEAN, 'mean');
  }, 60000);

  it('hostile job payloads: each such job fails at once (no retry), the workers go on serving', async () => {
    const { options } = parseQueueUrl(redis.url);
    const queue = new Queue('npstreams-rx', { connection: options as never });
    const shard = { kind: 'npstreams-rx/shard', version: 1, run: 'hostile-run-1', shard: 0, files: [files[0]], recipe: { kind: 'mean', options: {} }, skipBad: false };
    const payloads: [string, unknown, RegExp][] = [
      ['npstreams-rx/shard', { evil: 'require("child_process")' }, /not a shard descriptor: unknown fields evil/],
      ['npstreams-rx/shard', { ...shard, files: 'rm -rf /' }, /not a shard descriptor: files is not a list/],
      ['npstreams-rx/shard', { ...shard, recipe: { kind: 'mean', options: { axis: 'constructor' } } }, /not a shard descriptor: recipe.options.axis/],
      ['npstreams-rx/shard', { ...shard, run: 'x:../../state' }, /not a shard descriptor: run is not/],
      ['flushall', shard, /not a shard descriptor: the job's name is "flushall"/],
    ];
    try {
      for (const [name, data, reason] of payloads) {
        const job = await queue.add(name, data, { attempts: 3 });
        // the job's state is polled, as reduceOnQueue does besides listening: a QueueEvents
        // missed a job's end here now and then (seed 34427: the job failed at once, its state
        // 'failed', and no event came within 45 s).
        // The workers may still be finishing the previous spec's jobs on a loaded machine: the
        // bound is generous, the check is that the job fails (at once, on its first attempt)
        let state = await queue.getJobState(job.id!);
        for (const t0 = Date.now(); state !== 'failed' && state !== 'completed' && Date.now() - t0 < 45000; state = await queue.getJobState(job.id!)) {
          await new Promise((r) => setTimeout(r, 50));
        }
        const done = await queue.getJob(job.id!);
        expect(state)
          .withContext(`${name}: the job's state (queue ${JSON.stringify(await queue.getJobCounts())})`)
          .toBe('failed');
        expect(done?.failedReason).withContext(name).toMatch(reason);
        expect(done?.attemptsMade).withContext('no retry of a payload that is not a shard').toBe(1);
      }
    } finally {
      await queue.close();
    }
    for (const w of workers) expect(w.child.exitCode).withContext('a worker stopped').toBeNull();
    const r = await submit('mean', join(dir, '*.npy'), '--shards', '3', '-o', out('after.npy'));
    expect(r.code).withContext(r.stderr).toBe(0);
  }, 150000);

  it('--allow: a worker reads only the folders it is given (a shard naming another path fails, named)', async () => {
    const guarded = await startWorker(redis.url, '--name', 'guarded', '--allow', join(dir, 'fifo'));
    try {
      const r = await cli('submit', 'mean', files[0], '--queue', redis.url, '--name', 'guarded', '-o', out('guarded.npy'), '-q');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${files[0]} is outside the folders this worker reads (--allow)`);
    } finally {
      await stop(guarded);
    }
  }, 60000);

  it('Redis gone mid-run: the submit exits 3 saying so within its --timeout; no output file', async () => {
    const doomed = await startRedis();
    const started = Date.now();
    const running = cli('submit', 'mean', join(dir, '*.npy'), '--queue', doomed.url, '--shards', '4', '--timeout', '2', '-o', out('doomed.npy'), '-q');
    await new Promise((r) => setTimeout(r, 1500)); // no worker on this Redis: the shards wait
    doomed.kill();
    const r = await running;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`lost the queue at redis://127.0.0.1:${doomed.port}/0 for 2 s`);
    expect(r.stderr).toContain('no result');
    expect(Date.now() - started).toBeLessThan(15000);
    expect(existsSync(out('doomed.npy'))).toBeFalse();
  }, 60000);

  it("rediss:// (TLS, the server's certificate checked against a CA file): the same result", async () => {
    const tls = join(dir, 'tls');
    mkdirSync(tls);
    const openssl = (...args: string[]) =>
      expect(spawnSync('openssl', args, { cwd: tls }).status)
        .withContext(`openssl ${args[0]}`)
        .toBe(0);
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=npstreams-rx test CA');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(tls, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf');
    const secure = await startRedis({
      scheme: 'rediss',
      extra: ['--tls-cert-file', join(tls, 'server.pem'), '--tls-key-file', join(tls, 'server.key'), '--tls-ca-cert-file', join(tls, 'ca.pem'), '--tls-auth-clients', 'no'],
    });
    const worker = await startWorker(secure.url, '--tls-ca', join(tls, 'ca.pem'));
    try {
      const r = await cli('submit', 'mean', join(dir, '*.npy'), '--queue', secure.url, '--tls-ca', join(tls, 'ca.pem'), '--shards', '2', '-o', out('tls.npy'), '-q');
      expect(r.code).withContext(r.stderr).toBe(0);
      expectClose((await readNpy(out('tls.npy'))).data, onePass(frames).mean, RTOL_MEAN, 'mean over TLS');
      // without the CA, the server's certificate is not trusted: the submit gives up
      const untrusted = await cli('submit', 'mean', files[0], '--queue', secure.url, '--timeout', '1', '-o', out('untrusted.npy'), '-q');
      expect(untrusted.code).toBe(3);
      expect(untrusted.stderr).toMatch(/self[- ]signed|unable to verify|certificate/i);
    } finally {
      await stop(worker);
      await secure.stop();
    }
  }, 60000);

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`reduceOnQueue in a pipeline on ${backend}: an Observable of shards through an in-process queueWorker; tensors back where they were`, async () => {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      const worker = await queueWorker({ queue: redis.url, name: `in-process-${backend}`, backend, log: () => undefined });
      try {
        const progress: number[] = [];
        const merged = await new Promise<import('../projects/npstreams-rx/src/public-api').PartialResult>((resolve, reject) =>
          from([files.slice(0, 7), { files: files.slice(7, 12) }, files.slice(12, 30)])
            .pipe(reduceOnQueue(partials.var({ ddof: 1 }), { queue: redis.url, name: `in-process-${backend}`, onProgress: (p) => progress.push(p.merged) }))
            .subscribe({ next: resolve, error: reject }),
        );
        expect(tf.getBackend()).toBe(backend);
        const value = partialValue(merged) as tf.Tensor;
        disposePartial(merged);
        const sample = frames.slice(0, 30);
        const mean = Array.from({ length: SIDE * SIDE }, (_, i) => sample.reduce((a, f) => a + f[i], 0) / 30);
        expectClose(
          await value.data(),
          mean.map((m, i) => sample.reduce((a, f) => a + (f[i] - m) ** 2, 0) / 29),
          RTOL_VAR,
          'var ddof 1',
        );
        value.dispose();
        expect(Math.max(...progress)).toBe(3);
      } finally {
        await worker.close();
        await useBackend('wasm');
      }
      expect(tf.memory().numTensors).toBe(before);
    }, 60000);
  }

  it('reduceOnQueue refuses, when made, what cannot travel or reach a queue: weights, a user ufunc (as parallelReduce), a URL that is not redis://, a run id workers refuse', () => {
    expect(() => reduceOnQueue(partials.average({ weights: [1, 2] }), { queue: redis.url })).toThrowError(OptionError, /reduceOnQueue: weights do not travel to the workers/);
    expect(() => reduceOnQueue(partials.ufunc({ fn: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b) }), { queue: redis.url })).toThrowError(
      OptionError,
      /^reduceOnQueue: a user ufunc cannot run on a worker \(functions do not travel\)/,
    );
    expect(() => reduceOnQueue(partials.mean(), { queue: 'http://127.0.0.1:1' })).toThrowError(/scheme http: is not redis: or rediss:/);
    expect(() => reduceOnQueue(partials.mean(), { queue: 'redis://:hunter2@h:1/x' })).toThrowError(/^reduceOnQueue: queue: the database x is not a non-negative integer$/);
    // a short id or one with a colon (it goes into Redis keys) would fail every shard at the workers
    for (const run of ['abc', 'run:12345678', 'x'.repeat(65)]) {
      expect(() => reduceOnQueue(partials.mean(), { queue: redis.url, run }))
        .withContext(run)
        .toThrowError(OptionError, /^reduceOnQueue: run must be 8 to 64 letters, digits, - or _/);
    }
  });
});
