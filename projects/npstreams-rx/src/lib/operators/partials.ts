import type * as tf from '@tensorflow/tfjs-core';
import { partialOperator } from '../core/partial';
import type { Weights } from '../core/weights';
import { type UserUfunc, resolveUfunc } from '../kernels/ufuncs';
import { type MeanOptions, averageReduction } from '../reductions/average';
import { checkBins, histogramReduction } from '../reductions/histogram';
import { type AverageAndVar, type MomentsOutput, type VarOptions, momentsReduction } from '../reductions/moments';
import { type UfuncOptions, ufuncReduction } from '../reductions/ufunc';

type WithWeights<T> = T & { weights?: Weights };
const moments = <O extends tf.Tensor | AverageAndVar>(name: string, output: MomentsOutput) => (options: WithWeights<VarOptions> = {}) =>
  partialOperator(name, momentsReduction<O>(options, output), options);

/**
 * Operators that reduce a (part of a) stream to its mergeable PartialResult, emitted once and
 * owned by the subscriber. Combine partial results with `mergePartials`, read the statistic with
 * `partialValue`, free them with `disposePartial`. `axis` may be -1 or null (an item axis
 * stacks finished results and has no state to merge).
 */
export const partials = {
  sum: (options: UfuncOptions = {}) => partialOperator('partials.sum', ufuncReduction('partials.sum', resolveUfunc('partials.sum', 'add'), options), options),
  ufunc: (ufunc: string | UserUfunc, options: UfuncOptions = {}) =>
    partialOperator('partials.ufunc', ufuncReduction('partials.ufunc', resolveUfunc('partials.ufunc', ufunc), options), options),
  mean: (options: MeanOptions = {}) => partialOperator('partials.mean', averageReduction('partials.mean', options), { axis: options.axis }),
  average: (options: WithWeights<MeanOptions> = {}) => partialOperator('partials.average', averageReduction('partials.average', options), options),
  var: moments<tf.Tensor>('partials.var', 'var'),
  std: moments<tf.Tensor>('partials.std', 'std'),
  sem: moments<tf.Tensor>('partials.sem', 'sem'),
  averageAndVar: moments<AverageAndVar>('partials.averageAndVar', 'averageAndVar'),
  histogram: (bins: ArrayLike<number>, options: { weights?: Weights } = {}) =>
    partialOperator('partials.histogram', histogramReduction(checkBins('partials.histogram', bins), options.weights !== undefined), options),
};

