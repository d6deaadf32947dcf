import { type Observable, delay, from, lastValueFrom, map, of, range, toArray } from 'rxjs';
import { OptionError, StreamInputError, pipeArrays, pmap, pmapUnordered } from '../projects/npstreams-rx/src/public-api';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    });
  });

/** A project that takes a different time per item and records how many are started but not yet
 * emitted downstream (in flight, or finished and held in the reorder buffer). */
function probe(delays: number[]) {
  const stats = { started: 0, emitted: 0, peak: 0, aborted: 0 };
  const project = async (x: number, i: number, signal: AbortSignal) => {
    stats.started++;
    stats.peak = Math.max(stats.peak, stats.started - stats.emitted);
    signal.addEventListener('abort', () => stats.aborted++);
    await sleep(delays[i % delays.length], signal);
    return x * 10;
  };
  const count = <T>(o: Observable<T>) => o.pipe(map((v) => (stats.emitted++, v)));
  return { stats, project, count };
}

describe('pmap, the scheduler', () => {
  it('ordered: results in source order, never more than `concurrency` started and not yet emitted', async () => {
    const { stats, project, count } = probe([30, 1, 12, 1, 5, 20, 2]);
    const out = await lastValueFrom(count(range(0, 14).pipe(pmap(project, { concurrency: 3 }))).pipe(toArray()));
    expect(out).toEqual(Array.from({ length: 14 }, (_, i) => i * 10));
    expect(stats.peak).withContext('in flight + held in the reorder buffer').toBeLessThanOrEqual(3);
    expect(stats.peak).withContext('the bound is used').toBe(3);
  });

  it('unordered: results as they complete, at most `concurrency` in flight', async () => {
    const { stats, project, count } = probe([40, 1, 1]);
    const out = await lastValueFrom(count(range(0, 3).pipe(pmapUnordered(project, { concurrency: 3 }))).pipe(toArray()));
    expect(out).toEqual([10, 20, 0]); // item 0 takes longest
    expect(stats.peak).toBeLessThanOrEqual(3);
  });

  it('concurrency 1 is concatMap: one at a time, in order', async () => {
    const { stats, project, count } = probe([5, 1, 3]);
    const out = await lastValueFrom(count(range(0, 6).pipe(pmap(project))).pipe(toArray()));
    expect(out).toEqual([0, 10, 20, 30, 40, 50]);
    expect(stats.peak).toBe(1);
  });

  it('takes values, Promises and Observables (each value of an Observable, in order); an array is one value', async () => {
    const out: unknown[] = await lastValueFrom(
      of(1, 2, 3, 4).pipe(
        pmap((x: number): unknown => (x === 1 ? x : x === 2 ? Promise.resolve(x) : x === 3 ? of(30, 31).pipe(delay(5)) : [x, x]), { concurrency: 4 }),
        toArray(),
      ),
    );
    expect(out).toEqual([1, 2, 30, 31, [4, 4]]);
  });

  it('an error aborts the work in flight and reaches the subscriber, naming the item, with the original as cause', async () => {
    const boom = new Error('bad frame');
    const { stats } = probe([1]);
    const project = async (x: number, i: number, signal: AbortSignal) => {
      signal.addEventListener('abort', () => stats.aborted++);
      if (i === 2) {
        await sleep(5);
        throw boom;
      }
      await sleep(200, signal);
      return x;
    };
    const err = await lastValueFrom(range(0, 6).pipe(pmap(project, { concurrency: 3 }))).catch((e) => e);
    expect(err).toBeInstanceOf(StreamInputError);
    expect(err.message).toBe('pmap: item 2: bad frame');
    expect(err.index).toBe(2);
    expect(err.cause).toBe(boom);
    expect(stats.aborted).withContext('items 0 and 1, in flight').toBe(2);
  });

  it('unsubscribing aborts the work in flight', async () => {
    let aborted = 0;
    const sub = range(0, 5)
      .pipe(pmap((_x: number, _i: number, signal: AbortSignal) => (signal.addEventListener('abort', () => aborted++), sleep(1000, signal).catch(() => 0)), { concurrency: 2 }))
      .subscribe();
    await sleep(5);
    sub.unsubscribe();
    expect(aborted).toBe(2);
  });

  it('bad options are refused when the operator is made', () => {
    expect(() => pmap((x) => x, { concurrency: 0 })).toThrowError(OptionError, 'pmap: concurrency must be a positive integer or Infinity; received 0');
    expect(() => pmap((x) => x, { concurrency: 1.5 })).toThrowError(OptionError, /received 1.5/);
    expect(() => pmap(5 as never)).toThrowError(OptionError, /pmap: project must be a function/);
  });
});

describe('pipeArrays (npstreams ipipe)', () => {
  it('applies the functions last first, as npstreams: pipeArrays(f, g, h) gives f(g(h(x)))', async () => {
    const f = (x: number) => x + 1;
    const g = async (x: number) => (await sleep(1), x * 2);
    const h = (x: number) => x - 3;
    const out = await lastValueFrom(from([3, 5, 10]).pipe(pipeArrays<number, number>(f, g, h, { concurrency: 2 }), toArray()));
    expect(out).toEqual([1, 5, 15]); // (x - 3) * 2 + 1
    expect(() => pipeArrays()).toThrowError(OptionError, 'pipeArrays: give at least one function');
  });
});
