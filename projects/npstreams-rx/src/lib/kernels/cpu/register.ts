// The cpu backend's fused accumulator kernels: typed-array loops over the backend's own
// buffers, in place where the accumulator is the library's, no allocation per item.
import { registerBackendKernels } from '../accumulators';
import { colorize } from './colorize';
import { extremaUpdate } from './extrema';
import { histogramUpdate } from './histogram';
import { pool2d } from './pool';
import { meanAll } from './mean-all';
import { momentsMerge, momentsUpdate, momentsUpdateFrames, momentsValue } from './moments';
import { sumAdd, sumValue } from './sum';

registerBackendKernels('cpu', { sumAdd, sumValue, momentsUpdate, momentsValue, momentsMerge, momentsUpdateFrames, extremaUpdate, histogramUpdate, colorize, pool2d, meanAll });
