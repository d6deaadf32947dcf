// The wasm backend's fused accumulator kernels: 128-bit SIMD loops (accumulators.wat, built
// by scripts/build-wasm.mjs) over tfjs-backend-wasm's own heap, in place where the accumulator
// is the library's own; and the frame kernels, which fold frames given as JS data in chunk by
// chunk. Each falls back to the reference where the module cannot run.
import { registerBackendKernels } from '../accumulators';
import { colorize } from './colorize';
import { extremaUpdate } from './extrema';
import { extremaUpdateFrame, momentsUpdateFrame, momentsUpdateFrames, sumAddFrame } from './frames';
import { histogramUpdate } from './histogram';
import { momentsMerge, momentsUpdate, momentsValue } from './moments';
import { pool2d } from './pool';
import { meanAll } from './mean-all';
import { sumAdd, sumValue } from './sum';

registerBackendKernels('wasm', {
  sumAdd,
  sumValue,
  momentsUpdate,
  momentsValue,
  momentsMerge,
  extremaUpdate,
  histogramUpdate,
  sumAddFrame,
  momentsUpdateFrame,
  momentsUpdateFrames,
  extremaUpdateFrame,
  colorize,
  pool2d,
  meanAll,
});
