import * as tf from '@tensorflow/tfjs-core';
import { own, writableInPlace } from '../owned';

type Values = Float32Array | Int32Array | Uint8Array;
interface CpuBackend {
  data: { get(dataId: object): { values: Values } };
}

/** The typed array behind a tensor on the cpu backend (no copy). */
export function values(t: tf.Tensor): Values {
  return (tf.backend() as unknown as CpuBackend).data.get(t.dataId as object).values;
}

/** `acc` itself when a kernel may update it in place, else a new buffer of its shape and dtype. */
export function outputFor(acc: tf.Tensor): tf.Tensor {
  return writableInPlace(acc) ? acc : newTensor(acc.shape, acc.dtype as 'float32' | 'int32');
}

/** A new tensor on the cpu backend over a fresh typed array the kernels own. */
export function newTensor(shape: number[], dtype: 'float32' | 'int32'): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return own(tf.tensor(dtype === 'float32' ? new Float32Array(size) : new Int32Array(size), shape, dtype));
}
