import * as tf from '@tensorflow/tfjs-core';
import { type OperatorFunction, concatMap, defer, finalize, map } from 'rxjs';
import { meanAll } from '../kernels/accumulators';

/** What frameStats gives per emission. */
export interface FrameStats {
  /** Emissions seen so far (the frames reduced, behind a scanX). */
  frames: number;
  /** Frames per second over the last second or so (the last 30 emissions at most). */
  fps: number;
  /** The mean of the emission over all its elements: behind scanSem, the mean standard error,
   * the convergence curve of a running mean. */
  mean: number;
}

/**
 * Per emission of a running result (a `scanX`, typically `scanSem()`), the frames seen, the
 * frames/s and the mean over all elements as a JS number, for convergence plots. The mean is
 * computed on the device when the emission arrives (while it is valid) and read back
 * asynchronously (one scalar); the stats come out in order. Frees what it made on complete,
 * error and unsubscribe.
 *
 * @returns An operator emitting one `FrameStats` (plain numbers, nothing to dispose) per tensor
 *   it receives. It reads each tensor when it arrives and never disposes or keeps it.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { frameStats, scanMean } from 'npstreams-rx';
 *
 * from([[1, 2], [3, 4]])
 *   .pipe(scanMean(), frameStats())
 *   .subscribe(({ frames, mean }) => console.log(frames, mean)); // 1 1.5, then 2 2.5
 * ```
 */
export function frameStats(): OperatorFunction<tf.Tensor, FrameStats> {
  return (source) =>
    defer(() => {
      let frames = 0;
      const times: number[] = [];
      const pending = new Set<tf.Tensor>();
      return source.pipe(
        map((t) => {
          const now = performance.now();
          frames++;
          times.push(now);
          if (times.length > 30) times.shift();
          while (times.length > 2 && now - times[0] > 1000) times.shift();
          const fps = times.length > 1 ? ((times.length - 1) * 1000) / (now - times[0]) : 0;
          const mean = tf.tidy(() => meanAll(t));
          pending.add(mean);
          return { frames, fps, mean };
        }),
        concatMap(async ({ frames: n, fps, mean }) => {
          try {
            return { frames: n, fps, mean: (await mean.data())[0] };
          } finally {
            pending.delete(mean);
            mean.dispose();
          }
        }),
        finalize(() => {
          for (const t of pending) t.dispose();
          pending.clear();
        }),
      );
    });
}
