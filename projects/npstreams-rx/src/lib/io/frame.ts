import { StreamInputError } from '../core/errors';

/**
 * What the loaders produce: one array as its data, shape and dtype, in C (row-major) order. The
 * operators take it as it is (a `{data, shape}` item); it holds no tensor, so it needs no
 * disposal and its buffer can move to a worker without a copy. Integer samples keep the width the
 * file stores them in (a 16-bit TIFF or PNG gives a Uint16Array, often a view of the file's own
 * bytes): the kernels read 8- and 16-bit data as it is, and the dtype says what tfjs holds.
 */
export interface Frame {
  /** The samples in C order, `shape`'s product of them. */
  data: FrameData;
  /** The dimensions: [h, w] for a gray image, [h, w, c] for c channels, any for a .npy. */
  shape: number[];
  /** The dtype the frame has in tfjs: float32, int32 or bool (data then 0/1 bytes). */
  dtype: 'float32' | 'int32' | 'bool';
}

/** The typed arrays a frame's data comes in: float32, int32, or integers of 8 and 16 bits
 * (dtype int32, or bool for 0/1 bytes). */
export type FrameData = Float32Array | Int32Array | Uint8Array | Int8Array | Uint16Array | Int16Array;

/** Raised when a file (or URL, or Blob) cannot be read, decoded or written: the message names
 * it and says why; what failed underneath is the `cause`. A StreamInputError: `index` is the
 * file's place in the list `load` was given (-1 outside a list). */
export class FileFormatError extends StreamInputError {
  constructor(
    /** The path, URL or file name at fault. */
    readonly file: string,
    reason: string,
    options?: { cause?: unknown; index?: number },
  ) {
    super(`${file}: ${reason}`, options?.index ?? -1, options);
    this.name = 'FileFormatError';
  }
}

/** The product of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
