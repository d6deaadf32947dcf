import * as tf from '@tensorflow/tfjs-core';
import { isMainThread, threadId } from 'node:worker_threads';
import { from, lastValueFrom, map, range, toArray } from 'rxjs';
import { type Frame, OptionError, type PartialResult, StreamInputError, disposePartial, partialValue, partials, pmap } from '../projects/npstreams-rx/src/public-api';
import { type ParallelPool, type WorkerPool, parallelPartial, parallelPool, parallelReduce, reduceFilesPartial, workerPool } from '../projects/npstreams-rx/node/src/public-api';
import expectedJson from './fixtures/io/expected.json';
import { describeOnBackends } from './helpers/backends';
import { fromJson } from './helpers/fixture-files';
import { normal } from './helpers/random';

const FUNCTIONS = new URL('../../spec/helpers/workers/functions.mjs', import.meta.url); // from .tmp/node/specs.mjs
const EXPECTED = expectedJson as Record<string, { values?: (number | string | null)[] }>;

function frames(n: number, size: number, seed: number, offset = 0): Frame[] {
  const draw = normal(seed);
  return Array.from({ length: n }, (_, k) => ({ data: Float32Array.from({ length: size }, () => offset + 3 * draw() + k / n), shape: [size], dtype: 'float32' as const }));
}

/** Mean and variance (ddof) along the stream in float64, two passes: the closed form to compare with. */
function meanVar(items: Frame[], ddof: number): { mean: number[]; variance: number[] } {
  const n = items.length;
  const size = items[0].data.length;
  const mean = Array.from({ length: size }, (_, i) => items.reduce((s, f) => s + f.data[i], 0) / n);
  const variance = mean.map((m, i) => items.reduce((s, f) => s + (f.data[i] - m) ** 2, 0) / (n - ddof));
  return { mean, variance };
}

function expectClose(actual: ArrayLike<number>, expected: number[], rtol: number, context: string): void {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-30));
  expect(worst).withContext(`${context}: largest relative difference`).toBeLessThanOrEqual(rtol);
}

describeOnBackends('workerPool: functions of a module in worker threads', () => {
  let pool: WorkerPool;
  beforeAll(() => {
    pool = workerPool(FUNCTIONS, { size: 2 });
  });
  afterAll(async () => pool.terminate());

  it('runs off the main thread, on `size` threads', async () => {
    expect(isMainThread).toBeTrue();
    const where = await lastValueFrom(
      range(0, 6).pipe(
        pmap(() => pool.exec<{ threadId: number; isMainThread: boolean }>('sleep', [20]).then(() => pool.exec<{ threadId: number; isMainThread: boolean }>('whereAmI', [])), { concurrency: 4 }),
        toArray(),
      ),
    );
    expect(where.every((w) => !w.isMainThread && w.threadId !== threadId)).toBeTrue();
    expect(new Set(where.map((w) => w.threadId)).size)
      .withContext('distinct threads')
      .toBeLessThanOrEqual(2);
    expect(pool.size).toBe(2);
  });

  it('pmap(pool.fn(name, { transfer: true }), { concurrency: pool.size }): results in order, buffers moved (not copied) both ways', async () => {
    const items = frames(6, 1000, 1);
    const copies = items.map((f) => Float32Array.from(f.data));
    const out = await lastValueFrom(from(items).pipe(pmap(pool.fn<Frame, Frame & { byteLengthSeen: number }>('scale', { transfer: true }), { concurrency: pool.size }), toArray()));
    out.forEach((r, k) => {
      // scale(frame, index): each value times its item's index
      expect(Array.from(r.data)).toEqual(Array.from(copies[k], (v) => Math.fround(v * k)));
      expect(r.data).toBeInstanceOf(Float32Array);
      expect(r.byteLengthSeen).toBe(4000);
    });
    // moved to the worker: the caller's buffers are detached
    expect(items.every((f) => f.data.byteLength === 0))
      .withContext('items detached by the transfer')
      .toBeTrue();
  });

  it("by default (as transfer: false) copies are sent, the items stay usable; tensors are sent as {data, shape, dtype} and stay their owner's", async () => {
    const [item, other] = frames(2, 10, 2);
    const [r] = await lastValueFrom(from([item]).pipe(pmap(pool.fn<Frame, Frame>('scale')), toArray()));
    expect(item.data.byteLength).toBe(40);
    expect(Array.from(r.data)).toEqual(Array.from(item.data, (v) => v * 0)); // index 0: times 0
    await lastValueFrom(from([other]).pipe(pmap(pool.fn<Frame, Frame>('scale', { transfer: false }))));
    expect(other.data.byteLength).toBe(40);
    const before = tf.memory().numTensors;
    const t = tf.tensor1d([1, 2, 3]);
    const [s] = await lastValueFrom(
      from([t, t]).pipe(
        pmap(pool.fn<tf.Tensor, Frame>('scale')),
        toArray(),
        map((a) => a.slice(1)),
      ),
    );
    expect(Array.from(s.data)).toEqual([1, 2, 3]);
    expect(t.isDisposed).toBeFalse();
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("workerPool<M>: typed by the module, fn(name) has its function's item and result types; exec its arguments; other names do not compile", async () => {
    // the type of spec/helpers/workers/functions.mjs (a JS module: its type written here)
    type Functions = {
      scale: (frame: Frame, k?: number, busyMs?: number) => Frame & { byteLengthSeen: number };
      whereAmI: () => { threadId: number; isMainThread: boolean };
    };
    const typed = workerPool<Functions>(FUNCTIONS, { size: 1 });
    try {
      const items = frames(2, 4, 5);
      const copies = items.map((f) => Array.from(f.data));
      const out: (Frame & { byteLengthSeen: number })[] = await lastValueFrom(from(items).pipe(pmap(typed.fn('scale')), toArray()));
      out.forEach((r, k) => expect(Array.from(r.data)).toEqual(copies[k].map((v) => Math.fround(v * k))));
      const where = await typed.exec('whereAmI', []);
      expect(where.isMainThread).toBeFalse();
      // @ts-expect-error: the module has no function named so
      typed.fn('denoise');
      // @ts-expect-error: scale takes frames, not strings
      from(['a frame?']).pipe(pmap(typed.fn('scale')));
      // @ts-expect-error: exec's arguments are the function's
      void typed.exec('scale', ['a frame?']).catch(() => undefined);
    } finally {
      await typed.terminate();
    }
  });

  it('an error in a worker reaches the subscriber naming the item, with cause', async () => {
    const err = await lastValueFrom(from(frames(3, 5, 3)).pipe(pmap(pool.fn('fail')))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamInputError);
    expect((err as Error).message).toBe('pmap: item 0: cannot denoise a frame of 5 values');
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('unsubscribing cancels the calls in flight (their threads are replaced), and the pool goes on', async () => {
    const started = Date.now();
    const subscription = from([5000, 5000])
      .pipe(pmap((ms, i, signal) => pool.exec('sleep', [ms], [], signal), { concurrency: 2 }))
      .subscribe();
    await new Promise((r) => setTimeout(r, 50));
    subscription.unsubscribe();
    const ms = await pool.exec<number>('sleep', [10]);
    expect(ms).toBe(10);
    expect(Date.now() - started)
      .withContext('did not wait for the cancelled 5 s calls')
      .toBeLessThan(4000);
  });

  it('refuses a bad size', () => {
    expect(() => workerPool(FUNCTIONS, { size: 0 })).toThrowError(OptionError, /size must be a positive integer/);
  });
});

describeOnBackends('parallelReduce: shares reduced by worker threads, merged, equal to one pass', (backend) => {
  let pool: ParallelPool;
  beforeAll(() => {
    pool = parallelPool({ workers: 2, backend });
  });
  afterAll(async () => pool.terminate());

  it('var (ddof 1), mean and std of 23 frames in shares of 4, against float64 two-pass values', async () => {
    const before = tf.memory().numTensors;
    const items = frames(23, 257, 7, 1000);
    const { mean, variance } = meanVar(items, 1);
    const v = (await lastValueFrom(from(items).pipe(parallelReduce(partials.var({ ddof: 1 }), { pool, chunkSize: 4 })))) as tf.Tensor;
    // float32 data, a large common offset: the shifted moments keep ~1e-6 relative
    expectClose(await v.data(), variance, 2e-5, 'var');
    const m = (await lastValueFrom(from(items).pipe(parallelReduce(partials.mean(), { pool, chunkSize: 5 })))) as tf.Tensor;
    expectClose(await m.data(), mean, 1e-6, 'mean');
    const s = (await lastValueFrom(from(items).pipe(parallelReduce(partials.std({ ddof: 1 }), { pool, chunkSize: 3 })))) as tf.Tensor;
    expectClose(await s.data(), variance.map(Math.sqrt), 1e-5, 'std');
    tf.dispose([v, m, s]);
    expect(items[0].data.byteLength)
      .withContext('items copied, not moved, by default')
      .toBe(257 * 4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('tensors as items: reduced from copies, left intact to their owner', async () => {
    const items = frames(5, 8, 11);
    const tensors = items.map((f) => tf.tensor(f.data, f.shape));
    const before = tf.memory().numTensors;
    const sum = (await lastValueFrom(from(tensors).pipe(parallelReduce(partials.sum(), { pool, chunkSize: 2 })))) as tf.Tensor;
    expectClose(
      await sum.data(),
      Array.from({ length: 8 }, (_, i) => items.reduce((s, f) => s + f.data[i], 0)),
      1e-6,
      'sum',
    );
    sum.dispose();
    for (const [k, t] of tensors.entries())
      expect(Array.from(await t.data()))
        .withContext(`tensor ${k}`)
        .toEqual(Array.from(items[k].data));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(tensors);
  });

  it('a pool of its own per subscription; items of another shape fail naming the items of the share', async () => {
    const before = tf.memory().numTensors;
    const items = [...frames(5, 4, 1), { data: new Float32Array(3), shape: [3], dtype: 'float32' as const }];
    const err = await lastValueFrom(from(items).pipe(parallelReduce(partials.sum(), { workers: 2, chunkSize: 2, backend }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamInputError);
    expect((err as Error).message).toBe('parallelReduce: item 5 has shape [3], expected [4] (the shape of item 0)');
    expect((err as StreamInputError).index).toBe(5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('parallelPartial gives the merged partial result; an empty stream is an EmptyStreamError', async () => {
    const before = tf.memory().numTensors;
    const items = frames(7, 6, 9);
    const p = (await lastValueFrom(from(items).pipe(parallelPartial(partials.sum(), { pool, chunkSize: 2 })))) as PartialResult;
    const total = partialValue(p) as tf.Tensor;
    const expected = Array.from({ length: 6 }, (_, i) => items.reduce((s, f) => s + f.data[i], 0));
    expectClose(await total.data(), expected, 1e-6, 'sum');
    total.dispose();
    disposePartial(p);
    await expectAsync(lastValueFrom(from([] as Frame[]).pipe(parallelReduce(partials.sum(), { pool })))).toBeRejectedWith(jasmine.objectContaining({ name: 'EmptyStreamError' }));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses what cannot travel: weights, a user ufunc, a non-partials statistic', () => {
    expect(() => parallelReduce(partials.var({ weights: [1, 2] }))).toThrowError(OptionError, /weights belong to one stream/);
    expect(() => parallelReduce(partials.ufunc({ fn: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b) }))).toThrowError(OptionError, /user ufunc cannot run in a worker/);
    expect(() => parallelReduce(map((x) => x) as never)).toThrowError(OptionError, /must be a partials\.x/);
    expect(() => parallelReduce(partials.sum(), { chunkSize: 0 })).toThrowError(OptionError, /chunkSize must be a positive integer/);
  });

  it('reduceFilesPartial: workers read their own files; bad ones skipped and reported; progress counted', async () => {
    const before = tf.memory().numTensors;
    const skipped: string[] = [];
    const progress: number[] = [];
    const files = ['spec/fixtures/io/gray16.png', 'spec/fixtures/io/corrupt.png', 'spec/fixtures/io/pages.tif', 'spec/fixtures/io/gray16.tif'];
    const p = await lastValueFrom(reduceFilesPartial(partials.mean(), files, { pool, chunkSize: 2, skipBad: true, onSkip: (e) => skipped.push(e.file), onProgress: (s) => progress.push(s.frames) }));
    const mean = partialValue(p) as tf.Tensor;
    // gray16 twice and the pages (gray16 + 0, 1000, 2000): the mean is gray16 + 600
    const g = fromJson(EXPECTED['gray16.png'].values!);
    expectClose(
      await mean.data(),
      g.map((v) => v + 600),
      1e-7,
      'mean of the files',
    );
    expect(skipped).toEqual(['spec/fixtures/io/corrupt.png']);
    expect(progress[progress.length - 1]).toBe(5);
    mean.dispose();
    disposePartial(p);
    const err = await lastValueFrom(reduceFilesPartial(partials.mean(), files, { pool, chunkSize: 2 })).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/corrupt\.png: cannot be decoded as png/);
    await expectAsync(lastValueFrom(reduceFilesPartial(partials.mean(), 'spec/fixtures/io/*.nothing', { pool }))).toBeRejectedWith(
      jasmine.objectContaining({ message: 'spec/fixtures/io/*.nothing: no file matches this glob' }),
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
