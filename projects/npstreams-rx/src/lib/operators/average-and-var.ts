import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { type AverageAndVar, type VarOptions, momentsReduction } from '../reductions/moments';

/**
 * The running weighted average and variance of a stream of arrays, both from one pass (the
 * running form of npstreams' `average_and_var`), emitted after every item as
 * `{ average, variance }`.
 *
 * The state, the options and the checks are `scanVar`'s: frequency weights (a negative or NaN
 * weight is a `StreamInputError` naming the item), the divisor W - ddof for the variance, float32
 * results. With the default axis the final emission equals NumPy's `np.average` and `np.var` of
 * `np.stack(items, axis=-1)` along `axis=-1`.
 *
 * @param options `axis` (npstreams' convention), `ddof` of the variance (default 0), `weights`
 *   (frequency weights; default all 1), `ignoreNaN` (NaNs get zero weight).
 * @returns An operator emitting `{ average, variance }` after every item. Both tensors stay valid
 *   until this operator's next emission or teardown: read them in `next`, or `.clone()` them to
 *   keep them longer. The library disposes them; never dispose them yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanAverageAndVar } from 'npstreams-rx';
 *
 * from([[1, 0], [1, 6], [4, 3]])
 *   .pipe(scanAverageAndVar())
 *   .subscribe(({ average, variance }) => console.log(average.arraySync(), variance.arraySync()));
 * // [1, 0] [0, 0], then [1, 3] [0, 9], then [2, 3] [2, 6]
 * ```
 */
export function scanAverageAndVar(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, AverageAndVar> {
  return accumulate('scanAverageAndVar', momentsReduction<AverageAndVar>('scanAverageAndVar', options, 'averageAndVar'), options, 'scan');
}

/**
 * The weighted average and variance of a whole stream of arrays, both from one pass (npstreams'
 * `average_and_var`), emitted once as `{ average, variance }` when the stream completes; an empty
 * stream errors with an `EmptyStreamError`. Computed and checked as by `scanVar`.
 *
 * @param options `axis` (npstreams' convention), `ddof` of the variance (default 0), `weights`
 *   (frequency weights; default all 1), `ignoreNaN` (NaNs get zero weight).
 * @returns An operator emitting `{ average, variance }` once. Both tensors belong to the
 *   subscriber: dispose them when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceAverageAndVar } from 'npstreams-rx';
 *
 * // frequency weights: the second item counts twice
 * const both = reduceAverageAndVar({ weights: [1, 2] });
 * const { average, variance } = await lastValueFrom(from([[0, 1], [3, 1]]).pipe(both));
 * console.log(average.arraySync(), variance.arraySync()); // [2, 1] [2, 0]
 * average.dispose();
 * variance.dispose();
 * ```
 */
export function reduceAverageAndVar(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, AverageAndVar> {
  return accumulate('reduceAverageAndVar', momentsReduction<AverageAndVar>('reduceAverageAndVar', options, 'averageAndVar'), options, 'reduce');
}
