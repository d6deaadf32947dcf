import * as tf from '@tensorflow/tfjs-core';
import * as reference from '../reference/sum';
import { GLSL_HELPERS, type GpgpuProgram, run, webglFusable } from './program';

/** (hi, lo) + x for every element: one draw writing both planes of the accumulator. */
function sumAddProgram(n: number): GpgpuProgram {
  return {
    variableNames: ['A', 'X'],
    outputShape: [2, n],
    customUniforms: [{ name: 'one', type: 'float' }],
    userCode: `
      ${GLSL_HELPERS}
      void main() {
        ivec2 c = getOutputCoords();
        vec2 r = dfAdd(getA(0, c.y), getA(1, c.y), getX(c.y));
        setOutput(c.x == 0 ? r.x : r.y);
      }`,
  };
}

/** (hi + lo) / divisor. */
function sumValueProgram(n: number): GpgpuProgram {
  return {
    variableNames: ['A'],
    outputShape: [n],
    customUniforms: [
      { name: 'one', type: 'float' },
      { name: 'divisor', type: 'float' },
    ],
    userCode: `
      void main() {
        int i = getOutputCoords();
        setOutput((getA(0, i) + getA(1, i)) / divisor);
      }`,
  };
}

/** sumAdd on WebGL: one draw per item for float32 sums (int32, kept in float32 textures by
 * tfjs, takes the reference's checked path). */
export function sumAdd(acc: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (acc.dtype !== 'float32' || x.dtype !== 'float32' || !webglFusable()) return reference.sumAdd(acc, x);
  const n = x.size;
  return tf.tidy(() => run(sumAddProgram(n), [tf.reshape(acc, [2, n]), tf.reshape(x, [n])], acc.shape));
}

/** sumValue on WebGL: one draw. */
export function sumValue(acc: tf.Tensor, divisor = 1): tf.Tensor {
  if (acc.dtype !== 'float32' || !webglFusable()) return reference.sumValue(acc, divisor);
  const n = acc.size / 2;
  return tf.tidy(() => run(sumValueProgram(n), [tf.reshape(acc, [2, n])], acc.shape.slice(1), [[divisor]]));
}
