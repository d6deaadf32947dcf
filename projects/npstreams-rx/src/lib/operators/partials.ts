import type * as tf from '@tensorflow/tfjs-core';
import { partialOperator } from '../core/partial';
import type { Weights } from '../core/weights';
import { type UserUfunc, resolveUfunc } from '../kernels/ufuncs';
import { type MeanOptions, averageReduction } from '../reductions/average';
import { checkBins, histogramReduction } from '../reductions/histogram';
import { type AverageAndVar, type MomentsOutput, type VarOptions, momentsReduction } from '../reductions/moments';
import { type UfuncOptions, ufuncReduction } from '../reductions/ufunc';

type WithWeights<T> = T & { weights?: Weights };
let userUfuncs = 0;

/** What a partial result is, for mergePartials: the operator and the options that change the
 * state (not the weights, which are per part). */
const statistic = (name: string, options: object, extra = ''): string => {
  const { weights: _weights, ...rest } = options as { weights?: unknown };
  return `${name}${extra} ${JSON.stringify(rest)}`;
};

const moments = <O extends tf.Tensor | AverageAndVar>(name: string, output: MomentsOutput) => (options: WithWeights<VarOptions> = {}) =>
  partialOperator(name, momentsReduction<O>(name, options, output), options, statistic(name, options));

/**
 * Operators that reduce a (part of a) stream to its mergeable PartialResult, emitted once and
 * owned by the subscriber. Combine partial results with `mergePartials`, read the statistic with
 * `partialValue`, free them with `disposePartial`. `axis` may be -1 or null (an item axis
 * stacks finished results and has no state to merge).
 */
export const partials = {
  sum: (options: UfuncOptions = {}) =>
    partialOperator('partials.sum', ufuncReduction('partials.sum', resolveUfunc('partials.sum', 'add'), options), options, statistic('partials.sum', options)),
  ufunc: (ufunc: string | UserUfunc, options: UfuncOptions = {}) => {
    const resolved = resolveUfunc('partials.ufunc', ufunc);
    // a user's ufunc is its own statistic: two of them never merge
    const name = typeof ufunc === 'string' ? ufunc : `user ufunc #${++userUfuncs}`;
    return partialOperator('partials.ufunc', ufuncReduction('partials.ufunc', resolved, options), options, statistic('partials.ufunc', options, `(${name})`));
  },
  mean: (options: MeanOptions = {}) =>
    partialOperator('partials.mean', averageReduction('partials.mean', options), { axis: options.axis }, statistic('partials.mean', options)),
  average: (options: WithWeights<MeanOptions> = {}) =>
    partialOperator('partials.average', averageReduction('partials.average', options), options, statistic('partials.average', options)),
  var: moments<tf.Tensor>('partials.var', 'var'),
  std: moments<tf.Tensor>('partials.std', 'std'),
  sem: moments<tf.Tensor>('partials.sem', 'sem'),
  averageAndVar: moments<AverageAndVar>('partials.averageAndVar', 'averageAndVar'),
  histogram: (bins: ArrayLike<number>, options: { weights?: Weights } = {}) => {
    const edges = checkBins('partials.histogram', bins);
    const kind = options.weights !== undefined ? 'weighted' : 'counts';
    return partialOperator('partials.histogram', histogramReduction(edges, options.weights !== undefined), options, statistic('partials.histogram', {}, `(${kind}, ${Array.from(edges)})`));
  },
};

