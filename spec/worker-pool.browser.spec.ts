import { from, lastValueFrom, range, toArray } from 'rxjs';
import { StreamInputError, pmap } from '../projects/npstreams-rx/src/public-api';
import { type WorkerPool, workerPool } from '../projects/npstreams-rx/worker/src/public-api';

interface Frame {
  data: Float32Array;
  shape: number[];
}

describe('workerPool (npstreams-rx/worker): functions in Web Workers, through comlink', () => {
  let pool: WorkerPool;
  const started: Worker[] = [];
  beforeAll(() => {
    pool = workerPool(
      () => {
        const w = new Worker('/base/.tmp/browser/functions.worker.js');
        started.push(w);
        return w;
      },
      { size: 2 },
    );
  });
  afterAll(async () => pool.terminate());

  it("runs off the page's thread, on `size` workers", async () => {
    expect(typeof document).toBe('object');
    // the pool starts its `size` workers when made (and one more for each it replaces: the
    // specs run in random order, so another may have come first)
    const before = started.length;
    expect(before).toBeGreaterThanOrEqual(2);
    const where = await lastValueFrom(
      range(0, 4).pipe(
        pmap(() => pool.exec<{ inWorker: boolean }>('whereAmI', []), { concurrency: 4 }),
        toArray(),
      ),
    );
    expect(where.every((w) => w.inWorker)).toBeTrue();
    expect(started.length).withContext('four calls on two workers start none').toBe(before);
  });

  it('pmap(pool.fn(name, { transfer: true }), { concurrency: pool.size }): in order, buffers moved both ways', async () => {
    const items: Frame[] = Array.from({ length: 6 }, (_, k) => ({ data: Float32Array.from({ length: 100 }, (_, i) => i + k), shape: [100] }));
    const copies = items.map((f) => f.data.slice());
    const out = await lastValueFrom(from(items).pipe(pmap(pool.fn<Frame, Frame & { byteLengthSeen: number }>('scale', { transfer: true }), { concurrency: pool.size }), toArray()));
    out.forEach((r, k) => {
      expect(Array.from(r.data)).toEqual(Array.from(copies[k], (v) => Math.fround(v * k)));
      expect(r.byteLengthSeen).toBe(400);
    });
    expect(items.every((f) => f.data.byteLength === 0))
      .withContext('the items were moved (detached)')
      .toBeTrue();
  });

  it('by default the items go as copies: they stay usable, the results are the same', async () => {
    const items: Frame[] = Array.from({ length: 3 }, (_, k) => ({ data: Float32Array.from({ length: 100 }, (_, i) => i - k), shape: [100] }));
    const out = await lastValueFrom(from(items).pipe(pmap(pool.fn<Frame, Frame>('scale'), { concurrency: pool.size }), toArray()));
    out.forEach((r, k) => expect(Array.from(r.data)).toEqual(Array.from(items[k].data, (v) => Math.fround(v * k))));
    expect(items.every((f) => f.data.byteLength === 400))
      .withContext('the items kept their buffers')
      .toBeTrue();
  });

  it("workerPool<typeof functions>: typed by what the worker exposes, fn(name) has its function's types", async () => {
    const typed = workerPool<typeof import('./helpers/workers/browser-functions').functions>(() => new Worker('/base/.tmp/browser/functions.worker.js'), { size: 1 });
    try {
      const items: Frame[] = [0, 1, 2].map((k) => ({ data: Float32Array.from({ length: 4 }, (_, i) => i + k), shape: [4] }));
      const out = await lastValueFrom(from(items).pipe(pmap(typed.fn('scale')), toArray()));
      out.forEach((r, k) => expect(Array.from(r.data)).toEqual(Array.from(items[k].data, (v) => v * k)));
      expect(out.map((r) => r.byteLengthSeen)).toEqual([16, 16, 16]);
      expect((await typed.exec('whereAmI', [])).inWorker).toBeTrue();
      // @ts-expect-error: the worker exposes no function named so
      typed.fn('denoise');
    } finally {
      await typed.terminate();
    }
  });

  it('an error in a worker comes back naming the item, with cause; an unknown function is named', async () => {
    const err = await lastValueFrom(from([{ data: new Float32Array(5), shape: [5] }]).pipe(pmap(pool.fn('fail')))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamInputError);
    expect((err as Error).message).toBe('pmap: item 0: cannot denoise a frame of 5 values');
    await expectAsync(pool.exec('nope', [])).toBeRejectedWithError(/exposes no function named 'nope'; it has whereAmI, scale, fail, sleep/);
  });

  it('unsubscribing cancels a call in flight: its worker is replaced, and the pool goes on', async () => {
    const t0 = performance.now();
    const before = started.length;
    const subscription = from([5000])
      .pipe(pmap((ms: number, _i, signal) => pool.exec('sleep', [ms], [], signal)))
      .subscribe();
    await new Promise((r) => setTimeout(r, 50));
    subscription.unsubscribe();
    expect(await pool.exec<number>('sleep', [5])).toBe(5);
    expect(started.length)
      .withContext('a replacement worker')
      .toBe(before + 1);
    expect(performance.now() - t0).toBeLessThan(4000);
  });
});
