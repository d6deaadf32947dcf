import { exposeFunctions } from 'npstreams-rx/worker';

/** Counts below zero are read noise: clipped, as a detector pipeline would. */
export const functions = exposeFunctions({
  denoise: (frame: { data: Float32Array; shape: number[] }) => ({ shape: frame.shape, data: frame.data.map((v) => Math.max(v, 0)) }),
});
