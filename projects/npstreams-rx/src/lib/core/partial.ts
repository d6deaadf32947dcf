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
  readonly reduction: Reduction<S, O>;
  /** What the state is, as plain data (the statistic, the options that change the state): what
   * `deserializePartial` rebuilds the reduction from. */
  readonly recipe: PartialRecipe;
  /** The recipe as text ('partials.var {"ddof":1}'): only partial results of one statistic merge. */
  readonly statistic: string;
  readonly state: S;
}

/** The statistics of `partials` (reductions/catalogue.ts maps each to its reduction). */
export const STATISTIC_KINDS = ['sum', 'ufunc', 'mean', 'average', 'var', 'std', 'sem', 'averageAndVar', 'histogram'] as const;

/** A statistic of `partials`, as plain data. */
export interface PartialRecipe {
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

/** Chan et al.-style merge of two partial results of the same reduction, as a new partial result
 * (a and b are left as they are; dispose them when done). The merged state may reuse an input's
 * tensor (a shift, a count): it gets its own copy. */
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

/** The final value of a partial result, as new tensors (the partial result stays valid). */
export function partialValue<S extends object, O>(p: PartialResult<S, O>): O {
  return tidyState(() => finalizeOwned(p.reduction, p.state));
}

/** Disposes the tensors of a partial result. */
export function disposePartial(p: PartialResult): void {
  disposeExcept(new Set(), p.state);
}
