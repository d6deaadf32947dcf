import * as tf from '@tensorflow/tfjs-core';
import { asyncScheduler, auditTime, combineLatest, filter, from, interval, lastValueFrom, map, observeOn, sampleTime, shareReplay, take, tap, throttleTime } from 'rxjs';
import { lastValue, reduceMean, scanMean, scanSum } from '../projects/npstreams-rx/src/public-api';
import { describeOnBackends } from './helpers/backends';
import { runStream } from './helpers/streams';

/** 20 frames [i, 2i] every 2 ms: their running mean after k frames is [(k-1)/2, k-1]. */
const frames$ = () =>
  interval(2).pipe(
    take(20),
    map((i) => [i, 2 * i]),
  );

describeOnBackends('ownership of emitted tensors', () => {
  it('a scan emission stays valid until the next one, then the operator disposes it', async () => {
    const seen: tf.Tensor[] = [];
    const disposedAtNext: boolean[] = [];
    await runStream(
      from([[1], [2], [3]]).pipe(
        scanSum(),
        tap((t) => {
          if (seen.length) disposedAtNext.push(seen[seen.length - 1].isDisposed);
          expect(t.isDisposed).toBeFalse();
          seen.push(t);
        }),
      ),
      false,
    );
    expect(disposedAtNext).toEqual([true, true]);
    expect(seen.every((t) => t.isDisposed))
      .withContext('all released after complete')
      .toBeTrue();
  });

  it('.clone() keeps an emission after the operator moved on; the clone belongs to the subscriber', async () => {
    const before = tf.memory().numTensors;
    let first: tf.Tensor | null = null;
    await new Promise<void>((resolve) =>
      from([
        [1, 2],
        [3, 4],
      ])
        .pipe(scanMean())
        .subscribe({ next: (t) => (first ??= t.clone()), complete: resolve }),
    );
    expect(Array.from(await first!.data())).toEqual([1, 2]);
    first!.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sampleTime previews read valid running means and leak nothing', async () => {
    const { emissions, error } = await runStream(frames$().pipe(scanMean(), sampleTime(7)), false);
    expect(error).toBeUndefined();
    expect(emissions.length).toBeGreaterThan(0);
    for (const e of emissions)
      expect(e.values[1])
        .withContext('a running mean [m, 2m]')
        .toBeCloseTo(2 * e.values[0], 5);
  });

  it('auditTime delivers the final running mean after the source completed, then releases it', async () => {
    const { emissions, error } = await runStream(frames$().pipe(scanMean(), auditTime(10)), false);
    expect(error).toBeUndefined();
    expect(emissions[emissions.length - 1].values).toEqual([9.5, 19]);
  });

  it('... also behind synchronous operators', async () => {
    const chain$ = frames$().pipe(
      scanMean(),
      map((t) => t),
      filter(() => true),
      auditTime(10),
    );
    const { emissions, error } = await runStream(chain$, false);
    expect(error).toBeUndefined();
    expect(emissions[emissions.length - 1].values).toEqual([9.5, 19]);
  });

  it('throttleTime with a trailing emission works the same way', async () => {
    const { emissions, error } = await runStream(frames$().pipe(scanMean(), throttleTime(10, undefined, { leading: true, trailing: true })), false);
    expect(error).toBeUndefined();
    expect(emissions[0].values).toEqual([0, 0]);
    expect(emissions[emissions.length - 1].values).toEqual([9.5, 19]);
  });

  it('unsubscribing mid-stream frees everything the operator made', async () => {
    const before = tf.memory().numTensors;
    await new Promise<void>((resolve) => {
      let n = 0;
      const sub = interval(1)
        .pipe(
          map((i) => [i, i]),
          scanMean(),
        )
        .subscribe(() => {
          if (++n === 5) {
            sub.unsubscribe();
            resolve();
          }
        });
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reduceX and lastValue() give the subscriber a tensor it owns (valid after complete)', async () => {
    const before = tf.memory().numTensors;
    const results: tf.Tensor[] = [];
    await new Promise<void>((resolve) =>
      from([
        [1, 2],
        [3, 6],
      ])
        .pipe(reduceMean())
        .subscribe({ next: (t) => results.push(t), complete: resolve }),
    );
    await new Promise<void>((resolve) =>
      frames$()
        .pipe(scanMean(), lastValue())
        .subscribe({ next: (t) => results.push(t), complete: resolve }),
    );
    expect(results.map((t) => t.isDisposed)).toEqual([false, false]);
    expect(Array.from(await results[0].data())).toEqual([2, 4]);
    expect(Array.from(await results[1].data())).toEqual([9.5, 19]);
    results.forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  // Previews of synchronous sources (issue 7): `from(frames)` runs the whole stream, and tears the
  // scan down, before a timed operator hands the last value on.
  const syncFrames = () =>
    from([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);

  it('auditTime after a synchronous source delivers the final running mean', async () => {
    const { emissions, error } = await runStream(syncFrames().pipe(scanMean(), auditTime(5)), false);
    expect(error).toBeUndefined();
    expect(emissions.map((e) => e.values)).toEqual([[3, 4]]);
  });

  it('a trailing throttleTime after a synchronous source ends with the final running mean', async () => {
    const { emissions, error } = await runStream(syncFrames().pipe(scanMean(), throttleTime(5, asyncScheduler, { leading: true, trailing: true })), false);
    expect(error).toBeUndefined();
    expect(emissions.map((e) => e.values)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('combineLatest over a scan that completed first combines its (still valid) final value', async () => {
    const combined = combineLatest([syncFrames().pipe(scanMean()), interval(3).pipe(take(3))]).pipe(map(([mean]) => mean));
    const { emissions, error } = await runStream(combined, false);
    expect(error).toBeUndefined();
    expect(emissions.map((e) => e.values)).toEqual([
      [3, 4],
      [3, 4],
      [3, 4],
    ]);
  });

  it("the README's preview chain (throttleTime, a read in tap, lastValue()) ends with the final mean, every time", async () => {
    for (let run = 0; run < 10; run++) {
      const source = run % 2 ? syncFrames() : frames$();
      const reads: Promise<unknown>[] = [];
      const chain$ = source.pipe(
        scanMean(),
        throttleTime(3, asyncScheduler, { leading: true, trailing: true }),
        tap((mean) => reads.push(mean.data())),
        lastValue(),
      );
      const { emissions, error } = await runStream(chain$, true);
      await Promise.all(reads);
      expect(error).toBeUndefined();
      expect(emissions.map((e) => e.values))
        .withContext(`run ${run}`)
        .toEqual([run % 2 ? [3, 4] : [9.5, 19]]);
    }
  });

  it('lastValue() behind sampleTime (which drops the final emission) ends with the last sample, valid, every time', async () => {
    for (let run = 0; run < 10; run++) {
      const { emissions, error } = await runStream(frames$().pipe(scanMean(), sampleTime(7), lastValue()), true);
      expect(error).toBeUndefined();
      const [m, twice] = emissions[0].values;
      expect(twice)
        .withContext('a running mean [m, 2m]')
        .toBeCloseTo(2 * m, 5);
    }
  });

  it('a read (data()) started in next survives the next item, which replaces the emission (webgpu frees at once)', async () => {
    const before = tf.memory().numTensors;
    const reads: Promise<number[]>[] = [];
    await new Promise<void>((resolve) =>
      syncFrames()
        .pipe(scanMean())
        .subscribe({ next: (t) => reads.push(t.data().then((v) => Array.from(v))), complete: resolve }),
    );
    expect(await Promise.all(reads)).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('observeOn(asyncScheduler) delivers emissions after the scan replaced them: clone first (documented), then each clone is yours', async () => {
    const before = tf.memory().numTensors;
    const reads: Promise<number[]>[] = [];
    await new Promise<void>((resolve) =>
      syncFrames()
        .pipe(
          scanMean(),
          map((t) => t.clone()),
          observeOn(asyncScheduler),
        )
        .subscribe({ next: (t) => reads.push(t.data().then((v) => (t.dispose(), Array.from(v)))), complete: resolve }),
    );
    expect(await Promise.all(reads)).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('shareReplay(1): share the final value (lastValue, then shareReplay), valid for a late subscriber, disposed by you', async () => {
    const before = tf.memory().numTensors;
    const final$ = syncFrames().pipe(scanMean(), lastValue(), shareReplay(1));
    const first = await lastValueFrom(final$);
    const late = await lastValueFrom(final$);
    expect(late === first)
      .withContext('the same tensor, replayed')
      .toBeTrue(); // (not toBe(tensor): Jasmine would read it synchronously)
    expect(Array.from(await late.data())).toEqual([3, 4]);
    first.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
