import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { checkBins, histogramReduction } from '../reductions/histogram';

export interface HistogramOptions {
  /** One weight per item, a scalar or an array of the item's shape (np.histogram's weights). */
  weights?: Weights;
}

/** Running histogram of every value seen (npstreams' `ihistogram`): `bins` are the edges, the
 * rightmost inclusive, as np.histogram; items of any shape are flattened. */
export function scanHistogram(bins: ArrayLike<number>, options: HistogramOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanHistogram', histogramReduction(checkBins('scanHistogram', bins), options.weights !== undefined), options, 'scan');
}

/** Histogram of a whole stream, emitted once on complete. */
export function reduceHistogram(bins: ArrayLike<number>, options: HistogramOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceHistogram', histogramReduction(checkBins('reduceHistogram', bins), options.weights !== undefined), options, 'reduce');
}
