import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import { type PartialRecipe, type PartialResult, partialOperator } from '../core/partial';
import type { Weights } from '../core/weights';
import { type UserUfunc, resolveUfunc } from '../ops/ufuncs';
import { reductionOf } from '../reductions/catalogue';
import type { MeanOptions } from '../reductions/average';
import { checkBins } from '../reductions/histogram';
import type { AverageAndVar, VarOptions } from '../reductions/moments';
import { type UfuncOptions, ufuncReduction } from '../reductions/ufunc';

/** Options `T` with the items' weights: one per item, a number or an array that broadcasts to
 * the item's shape (see `Weights`). */
export type WithWeights<T> = T & {
  /** One weight per item, from an iterable or a function `(item, index) => weight`. */
  weights?: Weights;
};
let userUfuncs = 0;

/** The options of a recipe: those that change the state (not the weights, given per part). */
function stateOptions(options: object): Record<string, unknown> {
  const { weights: _weights, ...rest } = options as { weights?: unknown };
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** An operator emitting the PartialResult whose value (partialValue) is an O, with its recipe:
 * what a worker needs to run the same statistic (see parallelReduce in npstreams-rx/node). */
export type PartialOf<O> = OperatorFunction<ArrayInput, PartialResult<object, O>> & {
  /** The statistic as plain data (kind, state options, bins): what travels to a worker. */
  readonly recipe: PartialRecipe;
  /** Weights were given: they belong to this stream and do not travel with the recipe. */
  readonly hasWeights: boolean;
};

/** The operator for a recipe: a reduction of the whole (part of the) stream to its PartialResult. */
function partialFor<O = tf.Tensor>(recipe: PartialRecipe, accumulateOptions: object, reduction = reductionOf(recipe)): PartialOf<O> {
  const operator = partialOperator(`partials.${recipe.kind}`, reduction, accumulateOptions, recipe);
  const hasWeights = (accumulateOptions as { weights?: unknown }).weights !== undefined;
  return Object.assign(operator, { recipe, hasWeights }) as unknown as PartialOf<O>;
}

/** The partial operator a recipe describes (unweighted): what a worker runs on its shards. */
export function partialOperatorOf(recipe: PartialRecipe): PartialOf<unknown> {
  return partialFor(recipe, recipe.kind === 'mean' ? { axis: recipe.options['axis'] } : recipe.options);
}

/**
 * Operators that reduce a (part of a) stream to its mergeable PartialResult (the partial results
 * of npstreams' `preduce`), emitted once when the stream completes and owned by the subscriber:
 * free it with `disposePartial`. Parts of a stream reduced apart merge with `mergePartials` into
 * what one pass over everything gives (Chan et al. for the moments); read the statistic with
 * `partialValue`, move partial results between processes and machines with `serializePartial` /
 * `deserializePartial`. Only partial results of one statistic with the same state options merge
 * (else a `MergeError`). `axis` may be -1 or null: an item axis stacks finished results and has
 * no state to merge, an `OptionError` when the stream completes. Each operator takes the options
 * of its `reduceX` counterpart and checks them as it does.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { disposePartial, mergePartials, partialValue, partials } from 'npstreams-rx';
 *
 * const first = await lastValueFrom(from([[1, 2], [3, 4]]).pipe(partials.var({ ddof: 1 })));
 * const second = await lastValueFrom(from([[5, 9]]).pipe(partials.var({ ddof: 1 })));
 * const both = mergePartials(first, second);
 * const variance = partialValue(both); // as reduceVar({ ddof: 1 }) over the three items
 * console.log(variance.arraySync()); // [4, 13]
 * [first, second, both].forEach(disposePartial);
 * variance.dispose();
 * ```
 */
export const partials = {
  /** The sum's partial result (`reduceSum`'s options); merged by compensated addition. */
  sum: (options: UfuncOptions = {}) => partialFor({ kind: 'sum', options: stateOptions(options) }, options),
  /** A ufunc reduction's partial result (`reduceUfunc`'s arguments). Only an associative ufunc's
   * merge; a user's ufunc makes a statistic of its own at each call (the partial results of two
   * calls never merge) and cannot be serialized. */
  ufunc: (ufunc: string | UserUfunc, options: UfuncOptions = {}) => {
    // a user's ufunc is a statistic of its own at each call (results of two calls never merge),
    // and it cannot be serialized
    const name = typeof ufunc === 'string' ? ufunc : `user ufunc #${++userUfuncs}`;
    const recipe: PartialRecipe = { kind: 'ufunc', ufunc: name, options: stateOptions(options) };
    return partialFor(recipe, options, ufuncReduction('partials.ufunc', resolveUfunc('partials.ufunc', ufunc), options) as never);
  },
  /** The mean's partial result (`reduceMean`'s options). */
  mean: (options: MeanOptions = {}) => partialFor({ kind: 'mean', options: stateOptions(options) }, { axis: options.axis }),
  /** The weighted average's partial result (`reduceAverage`'s options); weighted and unweighted
   * results are different statistics. */
  average: (options: WithWeights<MeanOptions> = {}) => partialFor({ kind: 'average', options: stateOptions(options), weighted: options.weights !== undefined }, options),
  /** The variance's partial result (`reduceVar`'s options, frequency weights). */
  var: (options: WithWeights<VarOptions> = {}) => partialFor({ kind: 'var', options: stateOptions(options) }, options),
  /** The standard deviation's partial result (`reduceStd`'s options, frequency weights). */
  std: (options: WithWeights<VarOptions> = {}) => partialFor({ kind: 'std', options: stateOptions(options) }, options),
  /** The standard error's partial result (`reduceSem`'s options: ddof 1 by default). */
  sem: (options: WithWeights<VarOptions> = {}) => partialFor({ kind: 'sem', options: stateOptions(options) }, options),
  /** The partial result of `{ average, variance }` (`reduceAverageAndVar`'s options). */
  averageAndVar: (options: WithWeights<VarOptions> = {}) => partialFor<AverageAndVar>({ kind: 'averageAndVar', options: stateOptions(options) }, options),
  /** The histogram's partial result (`reduceHistogram`'s arguments); weighted and unweighted
   * counts are different statistics. */
  histogram: (bins: ArrayLike<number>, options: { weights?: Weights } = {}) => {
    const edges = Array.from(checkBins('partials.histogram', bins));
    return partialFor({ kind: 'histogram', options: {}, bins: edges, weighted: options.weights !== undefined }, options);
  },
};
