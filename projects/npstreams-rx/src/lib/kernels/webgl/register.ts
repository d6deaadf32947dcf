// The WebGL backend's fused accumulator kernels: GPGPU programs, one draw per update (the
// accumulator's planes written by one program). Histograms keep the reference (tfjs's
// searchSorted and bincount).
import { registerBackendKernels } from '../accumulators';
import { extremaUpdate } from './extrema';
import { momentsUpdate, momentsValue } from './moments';
import { sumAdd, sumValue } from './sum';

registerBackendKernels('webgl', { sumAdd, sumValue, momentsUpdate, momentsValue, extremaUpdate });
