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

type WithWeights<T> = T & { weights?: Weights };
let userUfuncs = 0;

/** The options of a recipe: those that change the state (not the weights, given per part). */
function stateOptions(options: object): Record<string, unknown> {
  const { weights: _weights, ...rest } = options as { weights?: unknown };
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** An operator emitting the PartialResult whose value (partialValue) is an O, with its recipe:
 * what a worker needs to run the same statistic (see parallelReduce in npstreams-rx/node). */
export type PartialOf<O> = OperatorFunction<ArrayInput, PartialResult<object, O>> & {
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

/** The partial operator a recipe describes (unweighted): what a worker runs on its share. */
export function partialOperatorOf(recipe: PartialRecipe): PartialOf<unknown> {
  return partialFor(recipe, recipe.kind === 'mean' ? { axis: recipe.options['axis'] } : recipe.options);
}

/**
 * Operators that reduce a (part of a) stream to its mergeable PartialResult, emitted once and
 * owned by the subscriber. Combine partial results with `mergePartials`, read the statistic with
 * `partialValue`, free them with `disposePartial`, move them between processes and machines with
 * `serializePartial` / `deserializePartial`. `axis` may be -1 or null (an item axis stacks
 * finished results and has no state to merge).
 */
export const partials = {
  sum: (options: UfuncOptions = {}) => partialFor({ kind: 'sum', options: stateOptions(options) }, options),
  ufunc: (ufunc: string | UserUfunc, options: UfuncOptions = {}) => {
    // a user's ufunc is its own statistic: two of them never merge, and it cannot be serialized
    const name = typeof ufunc === 'string' ? ufunc : `user ufunc #${++userUfuncs}`;
    const recipe: PartialRecipe = { kind: 'ufunc', ufunc: name, options: stateOptions(options) };
    return partialFor(recipe, options, ufuncReduction('partials.ufunc', resolveUfunc('partials.ufunc', ufunc), options) as never);
  },
  mean: (options: MeanOptions = {}) => partialFor({ kind: 'mean', options: stateOptions(options) }, { axis: options.axis }),
  average: (options: WithWeights<MeanOptions> = {}) => partialFor({ kind: 'average', options: stateOptions(options), weighted: options.weights !== undefined }, options),
  var: (options: WithWeights<VarOptions> = {}) => partialFor({ kind: 'var', options: stateOptions(options) }, options),
  std: (options: WithWeights<VarOptions> = {}) => partialFor({ kind: 'std', options: stateOptions(options) }, options),
  sem: (options: WithWeights<VarOptions> = {}) => partialFor({ kind: 'sem', options: stateOptions(options) }, options),
  averageAndVar: (options: WithWeights<VarOptions> = {}) => partialFor<AverageAndVar>({ kind: 'averageAndVar', options: stateOptions(options) }, options),
  histogram: (bins: ArrayLike<number>, options: { weights?: Weights } = {}) => {
    const edges = Array.from(checkBins('partials.histogram', bins));
    return partialFor({ kind: 'histogram', options: {}, bins: edges, weighted: options.weights !== undefined }, options);
  },
};
