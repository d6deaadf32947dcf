import * as tf from '@tensorflow/tfjs-core';
import * as reference from '../reference/extrema';
import { GLSL_HELPERS, type GpgpuProgram, run, webglFusable } from './program';

const RULES: Record<reference.ExtremumOp, string> = {
  max: 'npsIsNaN(a) || npsIsNaN(x) ? npsNaN() : max(a, x)',
  min: 'npsIsNaN(a) || npsIsNaN(x) ? npsNaN() : min(a, x)',
  fmax: 'npsIsNaN(x) ? a : npsIsNaN(a) ? x : max(a, x)',
  fmin: 'npsIsNaN(x) ? a : npsIsNaN(a) ? x : min(a, x)',
};

/** The running extremum with NumPy's NaN rules, one draw. */
function extremaProgram(n: number, op: reference.ExtremumOp): GpgpuProgram {
  return {
    variableNames: ['A', 'X'],
    outputShape: [n],
    customUniforms: [{ name: 'one', type: 'float' }],
    userCode: `
      ${GLSL_HELPERS}
      void main() {
        int i = getOutputCoords();
        float a = getA(i);
        float x = getX(i);
        setOutput(${RULES[op]});
      }`,
  };
}

/** extremaUpdate on WebGL: one draw per item (float32; int32 takes the reference). */
export function extremaUpdate(acc: tf.Tensor, x: tf.Tensor, op: reference.ExtremumOp): tf.Tensor {
  if (acc.dtype !== 'float32' || x.dtype !== 'float32' || !webglFusable()) return reference.extremaUpdate(acc, x, op);
  const n = x.size;
  return tf.tidy(() => run(extremaProgram(n, op), [tf.reshape(acc, [n]), tf.reshape(x, [n])], acc.shape));
}
