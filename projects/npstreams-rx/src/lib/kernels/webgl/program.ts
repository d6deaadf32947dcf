import * as tf from '@tensorflow/tfjs-core';

/** A GPGPU program as tfjs-backend-webgl runs it (its GPGPUProgram interface, 4.x). */
export interface GpgpuProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms?: { name: string; type: 'float' | 'int' }[];
}

interface WebGLBackend {
  runWebGLProgram(program: GpgpuProgram, inputs: tf.TensorInfo[], outputDtype: tf.DataType, customUniformValues?: number[][]): tf.TensorInfo;
}

/**
 * Whether the fused WebGL programs can run: WebGL 2 (bit-level NaN/inf tests) with float32
 * render targets (a float16 fallback would make every compensation meaningless). Elsewhere the
 * reference implementations run.
 */
export function webglFusable(): boolean {
  return tf.env().getNumber('WEBGL_VERSION') === 2 && tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
}

/**
 * Runs one program (one draw) over `inputs` and returns its output as a tensor of `shape`.
 * Every program takes the uniform `one` (= 1), which the compensated steps multiply sums by:
 * a GPU compiler cannot then simplify (a + b) - a into b and lose the compensation.
 */
export function run(program: GpgpuProgram, inputs: tf.Tensor[], shape: number[], uniforms: number[][] = []): tf.Tensor {
  const backend = tf.backend() as unknown as WebGLBackend;
  const info = backend.runWebGLProgram(program, inputs, 'float32', [[1], ...uniforms]);
  const out = tf.engine().makeTensorFromTensorInfo(info);
  if (shape.length === out.shape.length && shape.every((d, i) => d === out.shape[i])) return out;
  const reshaped = tf.reshape(out, shape);
  out.dispose();
  return reshaped;
}

/**
 * GLSL shared by the programs: IEEE tests on the bits (a compiler may assume no NaN in
 * isnan()), and the compensated steps, in the reference's order (kernels/reference/double-float.ts).
 * dfAdd(hi, lo, x) = (hi, lo) + x renormalized; where the sum is not finite, (sum, 0).
 */
export const GLSL_HELPERS = `
  bool npsFinite(float v) { return (floatBitsToUint(v) & 0x7fffffffu) < 0x7f800000u; }
  bool npsIsNaN(float v) { return (floatBitsToUint(v) & 0x7fffffffu) > 0x7f800000u; }
  float npsNaN() { return uintBitsToFloat(0x7fc00000u); }
  vec2 dfAdd(float hi, float lo, float x) {
    float s = (hi + x) * one;
    float bv = (s - hi) * one;
    float t = lo + ((hi - (s - bv)) + (x - bv));
    float h = (s + t) * one;
    float l = t - (h - s);
    if (!npsFinite(s)) return vec2(s, 0.0);
    return vec2(h, npsFinite(h) ? l : 0.0);
  }
`;
