import * as tf from '@tensorflow/tfjs-core';
import { formatShape } from '../core/inputs';

/**
 * np.tensordot(a, b, (axesA, axesB)) with transposes, reshapes and one matMul, so that every
 * backend runs it (tfjs's einsum has no wasm kernel). Throws when the contracted sizes differ.
 */
export function tensordot(a: tf.Tensor, b: tf.Tensor, axesA: number[], axesB: number[]): tf.Tensor {
  const norm = (axes: number[], rank: number) => axes.map((k) => (k < 0 ? k + rank : k));
  const ca = norm(axesA, a.rank);
  const cb = norm(axesB, b.rank);
  const sizes = ca.map((k, i) => [a.shape[k], b.shape[cb[i]]]);
  if (ca.length !== cb.length || sizes.some(([p, q]) => p !== q) || [...ca, ...cb].some((k) => k < 0)) {
    throw new Error(`shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be contracted over axes [${axesA}] and [${axesB}]`);
  }
  const freeA = a.shape.map((_, i) => i).filter((i) => !ca.includes(i));
  const freeB = b.shape.map((_, i) => i).filter((i) => !cb.includes(i));
  const k = ca.reduce((n, i) => n * a.shape[i], 1);
  const m = freeA.reduce((n, i) => n * a.shape[i], 1);
  const n = freeB.reduce((p, i) => p * b.shape[i], 1);
  const a2 = tf.reshape(tf.transpose(a, [...freeA, ...ca]), [m, k]);
  const b2 = tf.reshape(tf.transpose(b, [...cb, ...freeB]), [k, n]);
  return tf.reshape(tf.matMul(a2, b2), [...freeA.map((i) => a.shape[i]), ...freeB.map((i) => b.shape[i])]);
}

/** np.dot: a product of scalars, else the sum over a's last axis and b's second-to-last (or only) axis. */
export function dot(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.rank === 0 || b.rank === 0) return tf.mul(a, b);
  return tensordot(a, b, [-1], [b.rank >= 2 ? -2 : 0]);
}

/** np.inner: a product of scalars, else the sum over the last axes of both. */
export function inner(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.rank === 0 || b.rank === 0) return tf.mul(a, b);
  return tensordot(a, b, [-1], [-1]);
}

/**
 * np.einsum for two operands ('ij,jk->ik', or implicit 'ij,jk' whose output is the indices
 * that appear once, in alphabetical order): both operands are aligned on every index,
 * multiplied with broadcasting and summed over the indices not in the output.
 */
export function einsum2({ inputs, output }: EinsumSpec, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const all = [...new Set([...inputs[0], ...inputs[1]])];
  const sizes = new Map<string, number>();
  [a, b].forEach((t, o) => {
    if (inputs[o].length !== t.rank) throw new Error(`'${inputs[o]}' names ${inputs[o].length} axes, the operand has shape ${formatShape(t.shape)}`);
    [...inputs[o]].forEach((c, i) => {
      if (sizes.has(c) && sizes.get(c) !== t.shape[i]) throw new Error(`index '${c}' has sizes ${sizes.get(c)} and ${t.shape[i]}`);
      sizes.set(c, t.shape[i]);
    });
  });
  const align = (t: tf.Tensor, letters: string): tf.Tensor => {
    const order = all.filter((c) => letters.includes(c));
    const moved = tf.transpose(
      t,
      order.map((c) => letters.indexOf(c)),
    );
    return tf.reshape(
      moved,
      all.map((c) => (letters.includes(c) ? sizes.get(c)! : 1)),
    );
  };
  const product = tf.mul(align(a, inputs[0]), align(b, inputs[1]));
  const summed = all.map((c, i) => (output.includes(c) ? -1 : i)).filter((i) => i >= 0);
  const reduced = summed.length ? tf.sum(product, summed) : product;
  const kept = all.filter((c) => output.includes(c));
  return tf.transpose(
    reduced,
    [...output].map((c) => kept.indexOf(c)),
  );
}

/** The indices of einsum2's two operands and of its output. */
export interface EinsumSpec {
  inputs: [string, string];
  output: string;
}

/** Splits 'ij,jk->ik' into its operands' and output's indices; checks what einsum2 supports. */
export function parseEinsum(subscripts: string): EinsumSpec {
  if (typeof subscripts !== 'string') throw new Error(`subscripts must be a string such as 'ij,jk->ik'; received ${String(subscripts)}`);
  const parts = subscripts.replace(/\s/g, '').split('->');
  if (parts.length > 2) throw new Error(`'${subscripts}' has ${parts.length - 1} '->'; at most one may name the output`);
  const [lhs, rhs] = parts;
  const inputs = lhs.split(',');
  if (inputs.length !== 2 || inputs.some((s) => !/^[a-zA-Z]*$/.test(s))) {
    throw new Error(`'${subscripts}' must name two operands with letters, e.g. 'ij,jk->ik' (no ellipsis)`);
  }
  for (const s of inputs) {
    if (new Set(s).size !== s.length) throw new Error(`'${s}' repeats an index within one operand (a diagonal), which is not supported`);
  }
  const counts = new Map<string, number>();
  [...inputs[0], ...inputs[1]].forEach((c) => counts.set(c, (counts.get(c) ?? 0) + 1));
  const output =
    rhs ??
    [...counts.keys()]
      .filter((c) => counts.get(c) === 1)
      .sort()
      .join('');
  if ([...output].some((c) => !counts.has(c)) || new Set(output).size !== output.length) {
    throw new Error(`the output '${output}' must use distinct indices of the operands`);
  }
  return { inputs: [inputs[0], inputs[1]], output };
}
