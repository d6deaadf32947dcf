import * as tf from '@tensorflow/tfjs-core';
import * as reference from '../reference/moments';
import { program, run } from './program';

/** One West/Welford step per element (kernels/reference/moments.ts), all planes by one invocation. */
function updateBody(p: number, perElementW: boolean, ignoreNaN: boolean): string {
  return `
  fn main(i : i32) {
    let n = uniforms.n;
    if (i >= n) { return; }
    var x = f32(X[i]);
    var wi = ${perElementW ? 'f32(Wt[i])' : 'uniforms.w'};
    var ri = uniforms.r;
    ${
      p === 6
        ? `${ignoreNaN ? 'if (npsIsNaN(x)) { wi = 0.0; x = 0.0; }' : ''}
    let W = dfAdd(f32(A[4 * n + i]), f32(A[5 * n + i]), wi);
    result[4 * n + i] = W.x;
    result[5 * n + i] = W.y;
    ri = select(wi / W.x, 0.0, W.x == 0.0);`
        : ''
    }
    let mh = f32(A[i]);
    let ml = f32(A[n + i]);
    if (npsFinite(x) && npsFinite(mh)) {
      let d = (x - mh) - ml;
      let m = dfAdd(mh, ml, d * ri);
      let S = dfAdd(f32(A[2 * n + i]), f32(A[3 * n + i]), (d * wi) * ((x - m.x) - m.y));
      result[i] = m.x;
      result[n + i] = m.y;
      result[2 * n + i] = S.x;
      result[3 * n + i] = S.y;
    } else {
      // inf or NaN: the mean carries it (inf - inf is NaN), the variance is NaN
      result[i] = mh + wi * x;
      result[n + i] = 0.0;
      result[2 * n + i] = uniforms.NAN;
      result[3 * n + i] = 0.0;
    }
  }`;
}

const VALUE_EXPR: Record<reference.MomentsValue, string> = {
  mean: 'select(f32(A[i]) + f32(A[n + i]), uniforms.NAN, total == 0.0)',
  var: 'variance',
  std: 'sqrt(variance)',
  sem: 'select(sqrt(variance / total), uniforms.NAN, total == 0.0)',
};

function valueBody(p: number, what: reference.MomentsValue): string {
  return `
  fn main(i : i32) {
    let n = uniforms.n;
    if (i >= n) { return; }
    let total = ${p === 6 ? 'f32(A[4 * n + i]) + f32(A[5 * n + i])' : 'uniforms.W'};
    let S = f32(A[2 * n + i]) + f32(A[3 * n + i]);
    let den = max(total - uniforms.ddof, 0.0);
    // IEEE division where the denominator is 0: inf, or NaN where S is 0 or NaN
    var variance = S / select(den, 1.0, den == 0.0);
    if (den == 0.0) { variance = select(uniforms.INFINITY, uniforms.NAN, S == 0.0 || npsIsNaN(S)); }
    result[i] = ${VALUE_EXPR[what]};
  }`;
}

/** momentsUpdate on WebGPU: one dispatch per item. */
export function momentsUpdate(acc: tf.Tensor, x: tf.Tensor, w: number | tf.Tensor, W: number, ignoreNaN: boolean): tf.Tensor {
  if (x.dtype !== 'float32') return reference.momentsUpdate(acc, x, w, W, ignoreNaN);
  const p = acc.shape[0];
  const n = x.size;
  const perElementW = typeof w !== 'number';
  return tf.tidy(() => {
    const inputs = [acc, x];
    if (perElementW) inputs.push(tf.reshape(tf.mul(tf.onesLike(x), w), [n]));
    const r = p === 4 ? (W === 0 ? 0 : (w as number) / W) : 0;
    const key = `moments_update_${p}_${perElementW}_${ignoreNaN}`;
    const prog = program(key, perElementW ? ['A', 'X', 'Wt'] : ['A', 'X'], [p, n], n, updateBody(p, perElementW, ignoreNaN), 'w : f32, r : f32,');
    return run(prog, inputs, acc.shape, n, [
      { type: 'float32', data: [perElementW ? 0 : (w as number)] },
      { type: 'float32', data: [r] },
    ]);
  });
}

/** momentsValue on WebGPU: one dispatch. */
export function momentsValue(acc: tf.Tensor, W: number | null, ddof: number, what: reference.MomentsValue): tf.Tensor {
  const p = acc.shape[0];
  const n = acc.size / p;
  const prog = program(`moments_value_${p}_${what}`, ['A'], [n], n, valueBody(p, what), 'W : f32, ddof : f32,');
  return run(prog, [acc], acc.shape.slice(1), n, [
    { type: 'float32', data: [W ?? 0] },
    { type: 'float32', data: [ddof] },
  ]);
}
