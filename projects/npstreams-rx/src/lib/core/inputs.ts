import * as tf from '@tensorflow/tfjs-core';
import { traitsOf } from './backend-traits';
import { StreamInputError } from './errors';

/** One-dimensional typed arrays accepted as stream items. Float64 data is computed in float32. */
export type TypedArray1D = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array;

/** An array given as flat data and a shape (row-major, as NumPy's C order). */
export interface DataAndShape {
  /** The values in C order: a typed array or a number[], of the shape's size. */
  data: TypedArray1D | readonly number[];
  /** The dimensions, non-negative integers (`[]` for a scalar). */
  shape: readonly number[];
}

/** Nested number arrays of any depth: `[1, 2]`, `[[1, 2], [3, 4]]`... */
export type NestedNumbers = readonly (number | NestedNumbers)[];

/** Anything an operator accepts as a stream item (or as a weight). */
export type ArrayInput = tf.Tensor | number | NestedNumbers | TypedArray1D | DataAndShape | FrameBatch;

/**
 * Several float32 frames of one shape given as one stream item: the streaming operators count
 * them as that many items. Where a reduction and the backend can (var, std, sem and
 * averageAndVar along the stream, unweighted, on cpu and wasm), the batch is folded block by
 * block, the running state read once per batch instead of once per frame: what a worker of
 * parallelReduce does with its shards. A scanX operator emits once per batch. The frames must
 * not change until the operator has taken the batch (it keeps none of them, and never modifies
 * or detaches them).
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { FrameBatch, reduceMean } from 'npstreams-rx';
 *
 * // three frames of shape [2]: one batch of two, then one more frame
 * const batch = new FrameBatch([new Float32Array([1, 2]), new Float32Array([3, 4])], [2]);
 * const mean = await lastValueFrom(from([batch, new Float32Array([5, 6])]).pipe(reduceMean()));
 * console.log(mean.arraySync()); // [3, 4]
 * mean.dispose();
 * ```
 */
export class FrameBatch {
  /**
   * @param frames The frames, each the data of one item in C order.
   * @param shape The shape every frame has (its product is each frame's length).
   */
  constructor(
    /** The frames, each the data of one item in C order (float32). */
    readonly frames: readonly Float32Array[],
    /** The shape of every frame. */
    readonly shape: readonly number[],
  ) {}
}

/** The dtypes the kernels compute in. */
export type NumericDtype = 'float32' | 'int32';

const INT_ARRAYS = [Int8Array, Int16Array, Int32Array, Uint8Array, Uint8ClampedArray, Uint16Array];

/** Describes a value's type for error messages: 'string', 'null', 'object with keys {a, b}'... */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (typeof value !== 'object') return typeof value;
  const ctor = (value as object).constructor?.name;
  if (ctor && ctor !== 'Object') return `${ctor} object`;
  const keys = Object.keys(value as object);
  return keys.length ? `object with keys {${keys.slice(0, 5).join(', ')}}` : 'empty object';
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function isTensor(value: unknown): value is tf.Tensor {
  return value instanceof tf.Tensor || (typeof value === 'object' && value !== null && 'dataId' in value && 'shape' in value && 'dtype' in value);
}

/**
 * Turns one stream item (or weight) into a tensor that the caller owns and must dispose.
 * A user's tensor is cloned (tfjs shares its data, nothing is copied), so the library can
 * dispose everything it holds without ever touching the user's tensors.
 * @param where how to name the value in errors, e.g. `scanSum: item 3`
 */
export function toTensor(value: unknown, where: string, index: number): tf.Tensor {
  const fail = (what: string): never => {
    throw new StreamInputError(`${where} ${what}`, index);
  };
  if (isTensor(value)) {
    if (value.isDisposed) fail('is a disposed tf.Tensor');
    if (value.dtype !== 'float32' && value.dtype !== 'int32' && value.dtype !== 'bool') {
      fail(`is a tf.Tensor of dtype ${value.dtype}; expected float32, int32 or bool`);
    }
    return tf.clone(value);
  }
  if (typeof value === 'number') return tf.scalar(value, 'float32');
  if (Array.isArray(value)) {
    const { data, shape } = flattenNested(value, fail);
    return tf.tensor(data, shape, 'float32');
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return fromTypedArray(value as TypedArray1D, [(value as TypedArray1D).length], fail);
  }
  if (typeof value === 'object' && value !== null && 'data' in value && 'shape' in value) {
    const { data, shape } = value as DataAndShape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`has an invalid shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    const isTyped = ArrayBuffer.isView(data) && !(data instanceof DataView);
    if (!isTyped && !Array.isArray(data)) fail(`has data of type ${describeValue(data)}; expected a typed array or number[]`);
    if ((data as ArrayLike<number>).length !== size) {
      fail(`has ${(data as ArrayLike<number>).length} data values for shape ${formatShape(shape)}, which needs ${size}`);
    }
    if (isTyped) return fromTypedArray(data as TypedArray1D, shape, fail);
    const flat = new Float32Array(size);
    const values = data as readonly unknown[];
    for (let i = 0; i < size; i++) {
      if (!(i in values)) fail(`is a sparse array: data[${i}] is a hole (never assigned); give every element a number`);
      const v = values[i];
      if (typeof v !== 'number') fail(`has a ${describeValue(v)} at data[${i}]; expected numbers`);
      flat[i] = v as number;
    }
    return tf.tensor(flat, shape as number[], 'float32');
  }
  return fail(`is not an array: received ${describeValue(value)}`);
}

function fromTypedArray(data: TypedArray1D, shape: readonly number[], fail: (what: string) => never): tf.Tensor {
  if (data instanceof Float32Array) return tf.tensor(data, shape as number[], 'float32');
  if (data instanceof Float64Array) return tf.tensor(Float32Array.from(data), shape as number[], 'float32');
  if (data instanceof Int32Array) return tf.tensor(data, shape as number[], 'int32');
  if (INT_ARRAYS.some((ctor) => data instanceof ctor)) return tf.tensor(Int32Array.from(data), shape as number[], 'int32');
  if (data instanceof Uint32Array) {
    const big = data.findIndex((v) => v > 0x7fffffff);
    if (big >= 0) fail(`is a Uint32Array with ${data[big]} at [${big}], beyond int32; convert it to Float64Array or Int32Array`);
    return tf.tensor(Int32Array.from(data), shape as number[], 'int32');
  }
  return fail(`is a ${describeValue(data)}, which has no tfjs dtype; use a Float32Array, Float64Array or Int32Array`);
}

function flattenNested(value: readonly unknown[], fail: (what: string) => never): { data: Float32Array; shape: number[] } {
  const shape: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') fail(`has a ${describeValue(v)} at ${path || '[]'}; expected a number`);
      data[k++] = v as number;
      return;
    }
    if (!Array.isArray(v)) fail(`is a ragged nested array: ${path} is a ${describeValue(v)}, expected an array of length ${shape[depth]}`);
    const arr = v as unknown[];
    if (arr.length !== shape[depth]) {
      fail(`is a ragged nested array: ${path || 'the top level'} has length ${arr.length}, expected ${shape[depth]}`);
    }
    for (let i = 0; i < arr.length; i++) {
      // forEach would skip a hole ([1, , 3]) and leave a 0 in its place
      if (!(i in arr)) fail(`is a sparse array: ${path}[${i}] is a hole (never assigned); give every element a number`);
      walk(arr[i], depth + 1, `${path}[${i}]`);
    }
  };
  walk(value, 0, '');
  return { data, shape };
}

/** Casts a later item may need to match the first item's dtype: bool to anything, int32 to float32 (exact up to 2^24). */
export function canCastSafely(from: tf.DataType, to: tf.DataType): boolean {
  return from === to || from === 'bool' || (from === 'int32' && to === 'float32');
}

/**
 * tf.cast, with a float32 buffer behind a float32 result: tfjs's webgpu backend casts int32 and
 * bool to float32 by relabelling the int32 buffer, which its own programs that copy values
 * without converting (TransposeProgram) then reject ("expected f32, got i32"), leaving garbage.
 * One multiplication by 1 there writes a real float32 buffer (values, -0 and NaN unchanged).
 */
export function castTo(x: tf.Tensor, dtype: tf.DataType): tf.Tensor {
  const cast = tf.cast(x, dtype);
  if (dtype !== 'float32' || x.dtype === 'float32' || !traitsOf(tf.getBackend()).castRelabelsBuffers) return cast;
  return tf.tidy(() => tf.mul(cast, tf.scalar(1, 'float32')));
}

/** Frame data the kernels can fold in as float32 without a tensor: float32 itself, and integer
 * arrays whose every value float32 holds exactly (8 and 16 bits: what detectors and image files
 * store). Int32Array is not among them (beyond 2^24 a value would round where tf.cast rounds too,
 * but the tensor path keeps int32 reductions exact). */
export type FloatFrameData = Float32Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array;

const EXACT_IN_FLOAT32 = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array];

/**
 * The item as JS data the kernels fold in as float32, with its shape and the dtype it counts as
 * (float32 for Float32Array, int32 for 8- and 16-bit integers), where it is one: such a typed array,
 * or { data, shape } with such data of the right length (see Reduction.updateFrame). null for
 * anything else.
 */
export function floatFrame(value: unknown): { data: FloatFrameData; shape: readonly number[]; dtype: 'float32' | 'int32' } | null {
  const dtypeOf = (d: unknown) => (d instanceof Float32Array ? 'float32' : EXACT_IN_FLOAT32.some((c) => d instanceof c) ? 'int32' : null);
  if (ArrayBuffer.isView(value)) {
    const dtype = dtypeOf(value);
    return dtype && { data: value as FloatFrameData, shape: [(value as FloatFrameData).length], dtype };
  }
  if (typeof value !== 'object' || value === null || !('data' in value) || !('shape' in value)) return null;
  const { data, shape } = value as DataAndShape;
  const dtype = dtypeOf(data);
  if (!dtype || !Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return null;
  return shape.reduce((a, b) => a * b, 1) === (data as FloatFrameData).length ? { data: data as FloatFrameData, shape, dtype } : null;
}
