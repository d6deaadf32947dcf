import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { type VarOptions, momentsReduction } from '../reductions/moments';

/**
 * The running standard error of the mean of a stream of arrays (npstreams' `isem`), emitted after
 * every item.
 *
 * sqrt(variance / W), the variance computed as by `scanVar` (same one-pass update, frequency
 * weights, checks) and W the count or the sum of the weights. `ddof` defaults to 1, as
 * `scipy.stats.sem` and npstreams' `isem`, so the first emission is NaN (one value, no degree of
 * freedom). With the default axis the final emission equals
 * `scipy.stats.sem(np.stack(items, axis=-1), axis=-1)`.
 *
 * @param options `axis` (npstreams' convention), `ddof` (default 1), `weights` (frequency
 *   weights; default all 1), `ignoreNaN` (NaNs get zero weight).
 * @returns An operator emitting the running standard error after every item. Each emission stays
 *   valid until this operator's next emission or teardown: read it in `next`, or `.clone()` it
 *   to keep it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanSem } from 'npstreams-rx';
 *
 * from([[0, 1], [0, 1], [3, 7]])
 *   .pipe(scanSem())
 *   .subscribe((sem) => console.log(sem.arraySync())); // [NaN, NaN], then [0, 0], then [1, 2]
 * ```
 */
export function scanSem(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanSem', momentsReduction('scanSem', options, 'sem'), options, 'scan');
}

/**
 * The standard error of the mean of a whole stream of arrays (npstreams' `sem`), emitted once
 * when the stream completes; an empty stream errors with an `EmptyStreamError`. `ddof` defaults
 * to 1, as `scipy.stats.sem` (npstreams' `sem` defaults to 0, its `isem` to 1).
 *
 * @param options `axis` (npstreams' convention), `ddof` (default 1), `weights` (frequency
 *   weights; default all 1), `ignoreNaN` (NaNs get zero weight).
 * @returns An operator emitting the standard error once. The tensor belongs to the subscriber:
 *   dispose it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceSem } from 'npstreams-rx';
 *
 * const sem = await lastValueFrom(from([[0, 2], [0, 2], [3, 8]]).pipe(reduceSem()));
 * console.log(sem.arraySync()); // [1, 2]
 * sem.dispose();
 * ```
 */
export function reduceSem(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceSem', momentsReduction('reduceSem', options, 'sem'), options, 'reduce');
}
