// The WebGPU backend's fused accumulator kernels: WGSL programs, one dispatch per update (one
// invocation per element writes every plane of the accumulator), a histogram of its own in
// place of tfjs's BincountProgram, and the BitwiseAnd tfjs lacks there. Registered for the
// backend name 'webgpu', which exists where the optional peer @tensorflow/tfjs-backend-webgpu
// is imported.
import { registerBackendKernels } from '../accumulators';
import { bitwiseAnd } from './bitwise';
import { extremaUpdate } from './extrema';
import { histogramUpdate } from './histogram';
import { momentsUpdate, momentsValue } from './moments';
import { sumAdd, sumValue } from './sum';

registerBackendKernels('webgpu', { sumAdd, sumValue, momentsUpdate, momentsValue, extremaUpdate, histogramUpdate, bitwiseAnd });
