import * as tf from '@tensorflow/tfjs-core';
import * as reference from '../reference/histogram';
import { sumAdd } from './sum';
import { program, run } from './program';

/**
 * np.histogram counts of one item with atomics: each invocation finds its value's bin by binary
 * search over the float32 edges (E) and adds 1 (int32) or its weight (float32, by
 * compare-exchange) to the bin. Replaces tfjs's own BincountProgram, whose WGSL the current
 * compilers reject (every histogram would be garbage).
 */
function countsBody(weighted: boolean, perElementW: boolean): string {
  const add = weighted
    ? `var old = atomicLoad(&result[a]);
        loop {
          let next = bitcast<i32>(bitcast<f32>(old) + w);
          let r = atomicCompareExchangeWeak(&result[a], old, next);
          if (r.exchanged) { break; }
          old = r.old_value;
        }`
    : 'atomicAdd(&result[a], 1);';
  return `
  fn main(i : i32) {
    if (i >= uniforms.n) { return; }
    let v = f32(X[i]);
    let last = uniforms.edges - 1;
    if (!(v >= f32(E[0]) && v <= f32(E[last]))) { return; }
    var a = 0;
    var b = last;
    loop {
      if (b - a <= 1) { break; }
      let mid = (a + b) / 2;
      if (f32(E[mid]) <= v) { a = mid; } else { b = mid; }
    }
    let w = ${perElementW ? 'f32(Wt[i])' : 'uniforms.w'};
    ${add}
  }`;
}

/** histogramUpdate on WebGPU: one atomic dispatch for the item's counts, then one to add them
 * (int32 counts: exact while fewer than 2^31 values were counted, see histogramUpdate). */
export function histogramUpdate(acc: tf.Tensor | null, x: tf.Tensor, w: number | tf.Tensor, edges: Float32Array, weighted: boolean, seen: number): tf.Tensor {
  if (x.dtype !== 'float32') return reference.histogramUpdate(acc, x, w, edges, weighted, seen);
  const nBins = edges.length - 1;
  const n = x.size;
  const perElementW = weighted && typeof w !== 'number';
  return tf.tidy(() => {
    const inputs = [tf.reshape(x, [n]), tf.tensor1d(edges, 'float32')];
    if (perElementW) inputs.push(tf.reshape(tf.mul(tf.onesLike(x), w), [n]));
    const dtype = weighted ? 'float32' : 'int32';
    const prog = program(`histogram_${weighted}_${perElementW}`, perElementW ? ['X', 'E', 'Wt'] : ['X', 'E'], [nBins], n, countsBody(weighted, perElementW), 'edges : i32, w : f32,', true);
    const counts = run(
      prog,
      inputs,
      [nBins],
      n,
      [
        { type: 'int32', data: [edges.length] },
        { type: 'float32', data: [weighted && typeof w === 'number' ? w : 1] },
      ],
      dtype,
      tf.zeros([nBins], dtype),
    );
    if (weighted) return acc ? sumAdd(acc, counts) : tf.stack([counts, tf.zerosLike(counts)]);
    return acc ? reference.addCounts(acc, counts, seen + n) : counts;
  });
}
