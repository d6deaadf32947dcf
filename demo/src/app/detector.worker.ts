/// <reference lib="webworker" />
// The synthetic detector in a Web Worker (npstreams-rx/worker), so that making frames never
// competes with the reductions and the previews on the page's thread: frame(size, k) returns
// frame k, its buffer moved (not copied) to the page.
import { exposeFunctions } from 'npstreams-rx/worker';
import { detectorFrame, expectedCounts } from './detector';

let lambda: { size: number; counts: Float32Array } | null = null;

// exported for its type: the page's workerPool<DetectorFunctions> (a type-only import there)
export const detectorFunctions = exposeFunctions({
  frame: (size: number, k: number) => {
    if (lambda?.size !== size) lambda = { size, counts: expectedCounts(size) };
    return detectorFrame(lambda.counts, size, k);
  },
});
