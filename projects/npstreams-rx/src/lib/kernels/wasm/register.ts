// The wasm backend's fused accumulator kernels: 128-bit SIMD loops (accumulators.wat, built
// by scripts/build-wasm.mjs) over tfjs-backend-wasm's own heap, in place where the accumulator
// is the library's own. Each falls back to the reference where the module cannot run.
import '../accumulators'; // declares the kernels registered below
import { registerKernelImpl } from '../registry';
import { extremaUpdate } from './extrema';
import { extremaUpdateFrame, momentsUpdateFrame, sumAddFrame } from './frames';
import { histogramUpdate } from './histogram';
import { momentsUpdate, momentsValue } from './moments';
import { sumAdd, sumValue } from './sum';

registerKernelImpl('sumAdd', 'wasm', sumAdd);
registerKernelImpl('sumValue', 'wasm', sumValue);
registerKernelImpl('momentsUpdate', 'wasm', momentsUpdate);
registerKernelImpl('momentsValue', 'wasm', momentsValue);
registerKernelImpl('extremaUpdate', 'wasm', extremaUpdate);
registerKernelImpl('histogramUpdate', 'wasm', histogramUpdate);
registerKernelImpl('sumAddFrame', 'wasm', sumAddFrame);
registerKernelImpl('momentsUpdateFrame', 'wasm', momentsUpdateFrame);
registerKernelImpl('extremaUpdateFrame', 'wasm', extremaUpdateFrame);
