import { type OperatorFunction, map } from 'rxjs';
import { type AccumulateOptions, accumulateState, finalizeOwned } from './accumulate';
import { IntegerOverflow, overflowError } from './errors';
import type * as tf from '@tensorflow/tfjs-core';
import { type ArrayInput, formatShape } from './inputs';
import type { Reduction } from './reduction';
import { disposeExcept, tensorsIn, tidyState, withOwnTensors } from './tensors';

/**
 * The mergeable state of a reduction over part of a stream, with the definition that made it:
 * partial results computed on separate streams (files, workers, machines) merge into what one
 * pass over everything gives. Owned by the subscriber: dispose it with `disposePartial`.
 */
export interface PartialResult<S extends object = object, O = unknown> {
  /** The reduction that made the state, and merges and finalizes it. */
  readonly reduction: Reduction<S, O>;
  /** What the state is, as plain data (the statistic, the options that change the state): what
   * `deserializePartial` rebuilds the reduction from. */
  readonly recipe: PartialRecipe;
  /** The recipe as text ('partials.var {"ddof":1}'): only partial results of one statistic merge. */
  readonly statistic: string;
  /** The running state (tensors and numbers), as the reduction keeps it; read it through
   * `partialValue`. */
  readonly state: S;
}

/** The statistics of `partials` (reductions/catalogue.ts maps each to its reduction). */
export const STATISTIC_KINDS = ['sum', 'ufunc', 'mean', 'average', 'var', 'std', 'sem', 'averageAndVar', 'histogram'] as const;

/** A statistic of `partials`, as plain data. */
export interface PartialRecipe {
  /** The statistic: the name of its `partials` function. */
  kind: (typeof STATISTIC_KINDS)[number];
  /** The options that change the state (axis, dtype, ddof, ignoreNaN), JSON-safe. */
  options: Record<string, unknown>;
  /** The ufunc's name (partials.ufunc). */
  ufunc?: string;
  /** The histogram's edges. */
  bins?: number[];
  /** Weights were given (average, histogram: the state differs). */
  weighted?: boolean;
}

/** The text of a recipe, for messages and comparison. */
export function statisticOf(recipe: PartialRecipe): string {
  const detail = recipe.kind === 'ufunc' ? `(${recipe.ufunc})` : recipe.kind === 'histogram' ? `(${recipe.weighted ? 'weighted' : 'counts'}, ${recipe.bins})` : '';
  return `partials.${recipe.kind}${detail} ${JSON.stringify(recipe.options)}`;
}

/** The operator behind every `partials.x(...)`: emits the PartialResult of the whole stream once. */
export function partialOperator<S extends object, O>(
  operator: string,
  reduction: Reduction<S, O>,
  options: AccumulateOptions,
  recipe: PartialRecipe,
): OperatorFunction<ArrayInput, PartialResult<S, O>> {
  const statistic = statisticOf(recipe);
  return (source) =>
    source.pipe(
      accumulateState(operator, reduction, options),
      map((state) => ({ reduction, recipe, statistic, state })),
    );
}

/** Raised by mergePartials for partial results that cannot merge: different statistics, or
 * states of different shapes (parts of streams of different items). */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/** Refuses to merge partial results of different statistics or of items of different shapes
 * (tfjs would broadcast them into a plausible wrong number). */
function checkMergeable(a: PartialResult, b: PartialResult): void {
  if (a.statistic !== b.statistic) throw new MergeError(`mergePartials: partial results of different statistics cannot merge: ${a.statistic} and ${b.statistic}`);
  const ta = [...tensorsIn(a.state)];
  const tb = [...tensorsIn(b.state)];
  const shapes = (ts: tf.Tensor[]) => ts.map((t) => formatShape(t.shape)).join(', ');
  if (ta.length !== tb.length || ta.some((t, i) => t.dtype !== tb[i].dtype || formatShape(t.shape) !== formatShape(tb[i].shape))) {
    throw new MergeError(`mergePartials: the partial results hold states of different shapes or dtypes (${shapes(ta)} and ${shapes(tb)}): they reduced items of different shapes`);
  }
}

/**
 * Two partial results of the same statistic merged into one (npstreams' `preduce` combines its
 * parts so): the state one pass over both parts of the stream would have reached, by Chan et
 * al.'s formulas for the moments.
 *
 * Only partial results of one statistic (same options, bins, ufunc) over items of one shape
 * merge; anything else is a `MergeError`. Partial results of a ufunc that is not associative
 * (subtract, divide...) do not merge (an `OptionError`). An int32 sum that leaves the int32 range
 * is an `OverflowError`.
 *
 * @param a The partial result of the first part of the stream.
 * @param b The partial result of the part after it.
 * @returns A new partial result, yours: dispose it with `disposePartial`. `a` and `b` are left
 *   as they are (the merged state shares no tensor with them): dispose them too when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { disposePartial, mergePartials, partialValue, partials } from 'npstreams-rx';
 *
 * // two parts of one stream, reduced apart (in workers, on other machines...)
 * const a = await lastValueFrom(from([[1, 2], [3, 4]]).pipe(partials.var()));
 * const b = await lastValueFrom(from([[5, 6], [7, 8]]).pipe(partials.var()));
 * const both = mergePartials(a, b);
 * const variance = partialValue(both);
 * console.log(variance.arraySync()); // [5, 5], as np.var of the four items
 * variance.dispose();
 * [a, b, both].forEach(disposePartial);
 * ```
 */
export function mergePartials<S extends object, O>(a: PartialResult<S, O>, b: PartialResult<S, O>): PartialResult<S, O> {
  checkMergeable(a as PartialResult, b as PartialResult);
  let state: S;
  try {
    state = tidyState(() => withOwnTensors(a.reduction.merge(a.state, b.state), [a.state, b.state]));
  } catch (err) {
    throw err instanceof IntegerOverflow ? overflowError('mergePartials', -1, err) : err;
  }
  return { reduction: a.reduction, recipe: a.recipe, statistic: a.statistic, state };
}

/**
 * The statistic a partial result stands for: what the matching `reduceX` operator would have
 * emitted for its part of the stream (a tensor, or `{ average, variance }` for
 * `partials.averageAndVar`).
 *
 * @param p A partial result (from a `partials` operator, `mergePartials` or `deserializePartial`).
 * @returns New tensors, yours to dispose; `p` stays valid (merge it further, or dispose it
 *   with `disposePartial`).
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { disposePartial, partialValue, partials } from 'npstreams-rx';
 *
 * const part = await lastValueFrom(from([[1, 2], [3, 4]]).pipe(partials.mean()));
 * const mean = partialValue(part);
 * console.log(mean.arraySync()); // [2, 3]
 * mean.dispose();
 * disposePartial(part);
 * ```
 */
export function partialValue<S extends object, O>(p: PartialResult<S, O>): O {
  return tidyState(() => finalizeOwned(p.reduction, p.state));
}

/**
 * Disposes the tensors of a partial result: the one way to free a partial result you own (what
 * a `partials` operator emits, `mergePartials` and `deserializePartial` return). The values
 * taken from it with `partialValue` are yours apart and stay valid.
 *
 * @param p The partial result; it must not be used afterwards.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { disposePartial, partials } from 'npstreams-rx';
 *
 * const part = await lastValueFrom(from([[1, 2], [3, 4]]).pipe(partials.sum()));
 * disposePartial(part);
 * ```
 */
export function disposePartial(p: PartialResult): void {
  disposeExcept(new Set(), p.state);
}
