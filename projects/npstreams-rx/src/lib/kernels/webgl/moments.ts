import * as tf from '@tensorflow/tfjs-core';
import * as reference from '../reference/moments';
import { GLSL_HELPERS, type GpgpuProgram, run, webglFusable } from './program';

/**
 * One West/Welford step (kernels/reference/moments.ts) for every element, one draw: each
 * output texel computes the element's whole update and writes its own plane. P = 4: uniforms
 * w and r = w / W; P = 6: the W planes, and the weight from input Wt (per element) or w.
 */
function momentsUpdateProgram(n: number, p: number, perElementW: boolean, ignoreNaN: boolean): GpgpuProgram {
  return {
    variableNames: perElementW ? ['A', 'X', 'Wt'] : ['A', 'X'],
    outputShape: [p, n],
    customUniforms: [
      { name: 'one', type: 'float' },
      { name: 'w', type: 'float' },
      { name: 'r', type: 'float' },
    ],
    userCode: `
      ${GLSL_HELPERS}
      void main() {
        ivec2 c = getOutputCoords();
        int i = c.y;
        float x = getX(i);
        float wi = ${perElementW ? 'getWt(i)' : 'w'};
        float ri = r;
        vec2 W = vec2(0.0);
        ${
          p === 6
            ? `${ignoreNaN ? 'if (npsIsNaN(x)) { wi = 0.0; x = 0.0; }' : ''}
        W = dfAdd(getA(4, i), getA(5, i), wi);
        ri = W.x == 0.0 ? 0.0 : wi / W.x;`
            : ''
        }
        float mh = getA(0, i);
        float ml = getA(1, i);
        bool ok = npsFinite(x) && npsFinite(mh);
        float d = (x - mh) - ml;
        vec2 m = dfAdd(mh, ml, d * ri);
        vec2 S = dfAdd(getA(2, i), getA(3, i), (d * wi) * ((x - m.x) - m.y));
        float v;
        if (c.x == 0) v = ok ? m.x : mh + wi * x;
        else if (c.x == 1) v = ok ? m.y : 0.0;
        else if (c.x == 2) v = ok ? S.x : npsNaN();
        else if (c.x == 3) v = ok ? S.y : 0.0;
        else if (c.x == 4) v = W.x;
        else v = W.y;
        setOutput(v);
      }`,
  };
}

/** mean, var, std or sem of an accumulator (planes P; W a uniform unless P = 6). */
function momentsValueProgram(n: number, p: number, what: reference.MomentsValue): GpgpuProgram {
  return {
    variableNames: ['A'],
    outputShape: [n],
    customUniforms: [
      { name: 'one', type: 'float' },
      { name: 'W', type: 'float' },
      { name: 'ddof', type: 'float' },
    ],
    userCode: `
      ${GLSL_HELPERS}
      void main() {
        int i = getOutputCoords();
        float total = ${p === 6 ? 'getA(4, i) + getA(5, i)' : 'W'};
        ${
          what === 'mean'
            ? 'setOutput(total == 0.0 ? npsNaN() : getA(0, i) + getA(1, i));'
            : `float S = getA(2, i) + getA(3, i);
        float den = max(total - ddof, 0.0);
        // IEEE division where the denominator is 0 (WebGL's own gives 1 for 0/0)
        float variance = den == 0.0 ? (S == 0.0 || npsIsNaN(S) ? npsNaN() : S * uintBitsToFloat(0x7f800000u)) : S / den;
        ${what === 'var' ? 'setOutput(variance);' : what === 'std' ? 'setOutput(sqrt(variance));' : 'setOutput(total == 0.0 ? npsNaN() : sqrt(variance / total));'}`
        }
      }`,
  };
}

/** momentsUpdate on WebGL: one draw per item. */
export function momentsUpdate(acc: tf.Tensor, x: tf.Tensor, w: number | tf.Tensor, W: number, ignoreNaN: boolean): tf.Tensor {
  if (x.dtype !== 'float32' || !webglFusable()) return reference.momentsUpdate(acc, x, w, W, ignoreNaN);
  const p = acc.shape[0];
  const n = x.size;
  return tf.tidy(() => {
    const perElementW = typeof w !== 'number';
    const inputs = [tf.reshape(acc, [p, n]), tf.reshape(x, [n])];
    if (perElementW) inputs.push(tf.reshape(tf.mul(tf.onesLike(x), w), [n]));
    const r = p === 4 ? (W === 0 ? 0 : (w as number) / W) : 0;
    return run(momentsUpdateProgram(n, p, perElementW, ignoreNaN), inputs, acc.shape, [[perElementW ? 0 : (w as number)], [r]]);
  });
}

/** momentsValue on WebGL: one draw. */
export function momentsValue(acc: tf.Tensor, W: number | null, ddof: number, what: reference.MomentsValue): tf.Tensor {
  if (!webglFusable()) return reference.momentsValue(acc, W, ddof, what);
  const p = acc.shape[0];
  const n = acc.size / p;
  return tf.tidy(() => run(momentsValueProgram(n, p, what), [tf.reshape(acc, [p, n])], acc.shape.slice(1), [[W ?? 0], [ddof]]));
}
