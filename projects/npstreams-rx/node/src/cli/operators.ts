import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { type ArrayInput, type PartialOf, partials, reduceHistogram, reduceMax, reduceMean, reduceMin, reduceSem, reduceStd, reduceSum, reduceVar, setWasmPaths } from 'npstreams-rx';
import type { CliOptions, CliSetup, Statistic } from './statistics';

/** Each statistic as the operator that reduces the stream on the main thread and as the
 * partials operator worker threads run; `axis` and `moments` are the options they take. */
export const OPERATORS: Record<Statistic, { reduce: (o: Options) => OperatorFunction<ArrayInput, tf.Tensor>; partial: (o: Options) => PartialOf<unknown> }> = {
  sum: { reduce: (o) => reduceSum(o.axis), partial: (o) => partials.sum(o.axis) },
  mean: { reduce: (o) => reduceMean(o.axis), partial: (o) => partials.mean(o.axis) },
  average: { reduce: (o) => reduceMean(o.axis), partial: (o) => partials.mean(o.axis) },
  var: { reduce: (o) => reduceVar(o.moments), partial: (o) => partials.var(o.moments) },
  std: { reduce: (o) => reduceStd(o.moments), partial: (o) => partials.std(o.moments) },
  sem: { reduce: (o) => reduceSem(o.moments), partial: (o) => partials.sem(o.moments) },
  min: { reduce: (o) => reduceMin(o.axis), partial: (o) => partials.ufunc('minimum', o.axis) },
  max: { reduce: (o) => reduceMax(o.axis), partial: (o) => partials.ufunc('maximum', o.axis) },
  histogram: { reduce: (o) => reduceHistogram(o.bins), partial: (o) => partials.histogram(o.bins) },
};

export interface Options {
  axis: { axis?: number | null; ignoreNaN?: boolean };
  moments: { axis?: number | null; ddof?: number; ignoreNaN?: boolean };
  bins: number[];
}

export function operatorOptions(o: CliOptions): Options {
  const axis = { ...(o.axis === undefined ? {} : { axis: o.axis === 'none' ? null : o.axis }), ...(o.ignoreNan ? { ignoreNaN: true } : {}) };
  return { axis, moments: { ...axis, ...(o.ddof === undefined ? {} : { ddof: o.ddof }) }, bins: o.bins ?? [] };
}

/** Applies runCli's setup before a backend starts. */
export function applyCliSetup(setup: CliSetup): void {
  if (setup.wasmPaths) setWasmPaths(setup.wasmPaths);
}
