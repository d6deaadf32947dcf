import { OptionError } from '../core/errors';
import { describeValue } from '../core/inputs';
import type { Reduction } from '../core/reduction';
import { addCounts, histogramUpdate, sumMerge, sumValue } from '../kernels/accumulators';
import type { UfuncState } from './ufunc';

/** Checks histogram bin edges as NumPy does (at least two, monotonically increasing). */
export function checkBins(operator: string, bins: ArrayLike<number>): Float32Array {
  if (bins === null || typeof bins !== 'object' || typeof bins.length !== 'number') {
    throw new OptionError(`${operator}: bins must be an array of increasing edges; received ${describeValue(bins)}`);
  }
  for (let i = 0; i < bins.length; i++) {
    const e = bins[i];
    if (typeof e !== 'number' || Number.isNaN(e)) throw new OptionError(`${operator}: bins must be numbers; edge ${i} is ${typeof e === 'number' ? 'NaN' : describeValue(e)}`);
  }
  const edges = Float32Array.from(bins);
  if (edges.length < 2) throw new OptionError(`${operator}: bins must be at least 2 edges; received ${edges.length}`);
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] >= edges[i - 1])) {
      throw new OptionError(`${operator}: bins must increase monotonically; edge ${i} (${bins[i]}) is below edge ${i - 1} (${bins[i - 1]})`);
    }
  }
  return edges;
}

/**
 * np.histogram of each item (flattened) with fixed edges, summed over the stream (see
 * histogramCounts for NumPy's edge rules). Counts are int32 (exact; an OverflowError past
 * 2^31), weighted counts a compensated float32 sum.
 */
export function histogramReduction(edges: Float32Array, weighted: boolean): Reduction<HistogramState> {
  return {
    computeDtype: () => 'float32',
    init: ({ x, w }) => ({ acc: histogramUpdate(null, x, w, edges, weighted, 0), seen: x.size }),
    update: (state, { x, w }) => ({ acc: histogramUpdate(state.acc, x, w, edges, weighted, state.seen), seen: state.seen + x.size }),
    // int32 counts are bounded by the values counted: checked only where that bound passes int32
    merge: (a, b) => ({ acc: weighted ? sumMerge(a.acc, b.acc) : addCounts(a.acc, b.acc, a.seen + b.seen), seen: a.seen + b.seen }),
    finalize: (state) => sumValue(state.acc),
  };
}

/** A histogram's counts (see sumInit) and how many values were counted (a bound on every count). */
export interface HistogramState extends UfuncState {
  seen: number;
}
