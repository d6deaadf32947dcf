// The WebGPU backend's fused accumulator kernels: WGSL programs, one dispatch per update (one
// invocation per element writes every plane of the accumulator), and a histogram of its own
// in place of tfjs's BincountProgram. Registered for the backend name 'webgpu', which exists
// where the optional peer @tensorflow/tfjs-backend-webgpu is imported.
import '../accumulators'; // declares the kernels registered below
import { registerKernelImpl } from '../registry';
import { bitwiseAnd } from './bitwise';
import { extremaUpdate } from './extrema';
import { histogramUpdate } from './histogram';
import { momentsUpdate, momentsValue } from './moments';
import { sumAdd, sumValue } from './sum';

registerKernelImpl('sumAdd', 'webgpu', sumAdd);
registerKernelImpl('sumValue', 'webgpu', sumValue);
registerKernelImpl('momentsUpdate', 'webgpu', momentsUpdate);
registerKernelImpl('momentsValue', 'webgpu', momentsValue);
registerKernelImpl('extremaUpdate', 'webgpu', extremaUpdate);
registerKernelImpl('histogramUpdate', 'webgpu', histogramUpdate);
// tfjs's webgpu backend has no BitwiseAnd kernel at all
registerKernelImpl('bitwiseAnd', 'webgpu', bitwiseAnd);
