import * as tf from '@tensorflow/tfjs-core';
import { throwDeviceErrors } from './device-errors';

/** A program as tfjs-backend-webgpu runs it (its WebGPUProgram interface, 4.x). */
export interface WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  uniforms?: string;
  atomic?: boolean;
  getUserCode(): string;
}

/** A uniform value as runWebGPUProgram takes it. */
export interface Uniform {
  type: 'float32' | 'int32';
  data: number[];
}

interface WebGPUBackend {
  runWebGPUProgram(program: WebGPUProgram, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms?: Uniform[], output?: tf.TensorInfo): tf.TensorInfo;
}

const WORKGROUP = 64;

/**
 * A program over `threads` invocations (one per element, each writing every plane of its
 * element: one dispatch per update), writing an output of `outputShape`. Every program gets
 * the uniforms `n` (the element count) and `one` (= 1, which the compensated steps multiply
 * sums by, so that no compiler simplifies (a + b) - a into b), then its own.
 */
export function program(key: string, variableNames: string[], outputShape: number[], threads: number, body: string, uniforms = '', atomic = false): WebGPUProgram {
  return {
    outputShape,
    shaderKey: `npstreams_${key}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1],
    variableNames,
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: `n : i32, one : f32, ${uniforms}`,
    atomic,
    getUserCode: () => `${WGSL_HELPERS}\n${body}`,
  };
}

/** Runs a program and returns its output as a tensor of `shape`. */
export function run(p: WebGPUProgram, inputs: tf.Tensor[], shape: number[], n: number, uniforms: Uniform[] = [], dtype: tf.DataType = 'float32', output?: tf.Tensor): tf.Tensor {
  throwDeviceErrors();
  const backend = tf.backend() as unknown as WebGPUBackend;
  const all: Uniform[] = [{ type: 'int32', data: [n] }, { type: 'float32', data: [1] }, ...uniforms];
  const info = backend.runWebGPUProgram(p, inputs, dtype, all, output);
  const out = output ?? tf.engine().makeTensorFromTensorInfo(info);
  if (shape.length === out.shape.length && shape.every((d, i) => d === out.shape[i])) return out;
  const reshaped = tf.reshape(out, shape);
  if (!output) out.dispose();
  return reshaped;
}

/**
 * WGSL shared by the programs: IEEE tests on the bits, and the compensated step in the
 * reference's order (kernels/reference/double-float.ts): dfAdd(hi, lo, x) = (hi, lo) + x
 * renormalized; where the sum is not finite, (sum, 0).
 */
const WGSL_HELPERS = `
  fn npsFinite(v : f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) < 0x7f800000u; }
  fn npsIsNaN(v : f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
  fn dfAdd(hi : f32, lo : f32, x : f32) -> vec2<f32> {
    let s = (hi + x) * uniforms.one;
    let bv = (s - hi) * uniforms.one;
    let t = lo + ((hi - (s - bv)) + (x - bv));
    let h = (s + t) * uniforms.one;
    let l = t - (h - s);
    if (!npsFinite(s)) { return vec2<f32>(s, 0.0); }
    if (!npsFinite(h)) { return vec2<f32>(h, 0.0); }
    return vec2<f32>(h, l);
  }
`;
