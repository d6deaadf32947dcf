import { type ArrayInput, isTensor, toTensor } from '../core/inputs';
import { type Frame, sizeOf } from './frame';

/**
 * A stream item as a Frame (its own data, C order): what crosses to a worker. A tensor is read
 * into a copy (asynchronously; it stays its owner's, intact); a frame of float32/int32/bool data is taken as it is
 * (`copy: true` copies it first); anything else an operator accepts is converted by the
 * operators' own rules, with their errors (`where` and `index` name the item).
 */
export async function toFrame(item: ArrayInput, where: string, index: number, copy = false): Promise<Frame> {
  if (!isTensor(item) && typeof item === 'object' && item !== null && 'data' in item && 'shape' in item) {
    const { data, shape, dtype } = item as Partial<Frame> & { shape: number[] };
    const own = (d: Frame['data']): Frame['data'] => (copy ? (d.slice() as Frame['data']) : d);
    const valid = Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0) && (data as ArrayLike<number>)?.length === sizeOf(shape);
    // anything else (a shape that does not fit) is left to toTensor, which names what is wrong
    if (valid) {
      if (data instanceof Float32Array && (dtype ?? 'float32') === 'float32') return { data: own(data), shape: [...shape], dtype: 'float32' };
      if (data instanceof Int32Array && (dtype ?? 'int32') === 'int32') return { data: own(data), shape: [...shape], dtype: 'int32' };
      if (data instanceof Uint8Array && dtype === 'bool') return { data: own(data), shape: [...shape], dtype: 'bool' };
    }
  }
  const tensor = toTensor(item, where, index);
  try {
    // the cpu backend hands out a tensor's own storage: a user's tensor gets copied (the frame
    // may be moved to a worker, which would detach that storage)
    const data = (await tensor.data()) as Frame['data'];
    return { data: isTensor(item) ? (data.slice() as Frame['data']) : data, shape: [...tensor.shape], dtype: tensor.dtype as Frame['dtype'] };
  } finally {
    tensor.dispose();
  }
}
